"""Stand-in for ansible-test's pip bootstrap script (get-pip.py), for machines that reach PyPI but not
ci-files.testing.ansible.com: bootstrap pip from the interpreter's own ensurepip, then install the
pinned packages ansible-test asked for from the package index as usual.
tools/ansible-test.sh puts it where ansible-test looks for its cached bootstrap script."""

import subprocess
import sys

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")

if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"],
                          stdout=subprocess.DEVNULL)
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", "--force-reinstall"] + args)
