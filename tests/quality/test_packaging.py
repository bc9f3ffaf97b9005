"""The built tarball is clean and works when installed the way users install it."""

import os
import subprocess
import sys
import tarfile

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import EmulatorProcess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
FORBIDDEN_PARTS = (".venv", ".git", "__pycache__", ".build", "tests", "emulator", ".pytest_cache", ".ci")


def galaxy(*args, cwd=ROOT):
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy")] + list(args), cwd=cwd, capture_output=True,
                          text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_tarball_is_clean_installs_and_runs(tmp_path):
    galaxy("collection", "build", "--output-path", str(tmp_path), "--force")
    tarballs = [name for name in os.listdir(tmp_path) if name.endswith(".tar.gz")]
    assert tarballs == ["grandstream-phone-0.1.0.tar.gz"]
    tarball = os.path.join(tmp_path, tarballs[0])
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert "plugins/modules/gs_info.py" in names and "roles/phone/tasks/main.yml" in names
    assert "schemas/phone.schema.json" in names and "meta/runtime.yml" in names
    leaked = [name for name in names if set(name.split("/")) & set(FORBIDDEN_PARTS) or name.endswith(".pyc")]
    assert leaked == []

    install_dir = tmp_path / "installed"
    galaxy("collection", "install", "--offline", "--no-deps", "--force", "-p", str(install_dir), tarball)
    assert (install_dir / "ansible_collections" / "grandstream" / "phone" / "MANIFEST.json").exists()

    play = [{"hosts": "phones", "gather_facts": False,
             "tasks": [{"name": "info", "grandstream.phone.gs_info": {}}]}]
    with EmulatorProcess(count=2, protocol="http") as phones:
        # PYTHONPATH must not point at the checkout: only the installed copy may be used.
        env = {"ANSIBLE_COLLECTIONS_PATH": str(install_dir), "PYTHONPATH": ""}
        run = run_playbook(tmp_path, play, inventory_for(phones, "http"), env=env)
        assert run.rc == 0, run
        assert run.result("phone1", "info")["system"]["model"] == phones.state(1)["model"]
