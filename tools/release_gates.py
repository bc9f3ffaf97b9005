"""The checks Galaxy, Automation Hub, ansible-builder and the docsite apply to a release, run offline (make lint).

    python tools/release_gates.py build               # .build/dist/<tarball> and .build/installed/ from it
    python tools/release_gates.py importer            # galaxy-importer on the tarball, Automation Hub settings
    python tools/release_gates.py ee                  # ansible-builder introspect + create
    python tools/release_gates.py docsite             # antsibull-docs lint + docsite build

Each exits non-zero with the reason when its check fails. `build` runs first: the other three check the
tarball and the tree installed from it, not the checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / ".build"
DIST = BUILD / "dist"
INSTALLED = BUILD / "installed"
COLLECTION = "grandstream.phone"
IMPORTER_CONFIG = ROOT / "tools" / "galaxy-importer.cfg"
IMAGE_DEFINITION = ROOT / "execution-environment" / "execution-environment.yml"

# Warnings of a docsite build that come only from having no network, by name: the intersphinx inventories
# cannot be fetched, so references into the Ansible, Python and Jinja docs do not resolve. Any other warning
# fails the build.
OFFLINE_LABELS = frozenset({"action_plugins", "callback_plugins", "common_return_values",
                            "ansible_configuration_settings"})
INVENTORY_UNREACHABLE = re.compile(r"failed to reach any of the inventories")
UNDEFINED_LABEL = re.compile(r"undefined label: '(?P<label>[^']+)'")
# Ansible's own environment variables are documented in the Ansible docsite, not in the collection's.
ANSIBLE_ENVVAR = re.compile(r"'envvar' reference target not found: ANSIBLE_[A-Z_]+")


class GateFailed(Exception):
    """A release check found a problem."""


def run(cmd, cwd=ROOT, env=None, capture=True):
    proc = subprocess.run([str(part) for part in cmd], cwd=cwd, env=env, text=True, check=False,
                          stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None)
    return proc.returncode, proc.stdout or ""


def version() -> str:
    with open(ROOT / "galaxy.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["version"]


def tarball() -> Path:
    path = DIST / f"grandstream-phone-{version()}.tar.gz"
    if not path.exists():
        raise GateFailed(f"{path} is missing: run `python tools/release_gates.py build` first")
    return path


def build():
    shutil.rmtree(DIST, ignore_errors=True)
    shutil.rmtree(INSTALLED, ignore_errors=True)
    rc, out = run(["ansible-galaxy", "collection", "build", "--output-path", DIST, "--force"])
    if rc:
        raise GateFailed("ansible-galaxy collection build failed:\n" + out)
    rc, out = run(["ansible-galaxy", "collection", "install", "--offline", "--no-deps", "--force",
                   "-p", INSTALLED, tarball()])
    if rc:
        raise GateFailed("ansible-galaxy collection install of the tarball failed:\n" + out)
    print(f"built {tarball().relative_to(ROOT)}, installed into {INSTALLED.relative_to(ROOT)}")


def importer_problems(log: str) -> list[str]:
    """Lines of a galaxy-importer log that Galaxy or Automation Hub would show as a problem."""
    return [line for line in log.splitlines() if line.startswith(("ERROR", "WARNING"))]


def importer():
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=str(IMPORTER_CONFIG))
    work = BUILD / "importer"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rc, log = run([sys.executable, "-m", "galaxy_importer.main", tarball()], cwd=work, env=env)
    (work / "importer.log").write_text(log, encoding="utf-8")
    problems = importer_problems(log)
    if rc or problems or "Importer processing completed successfully" not in log:
        raise GateFailed(f"galaxy-importer (exit {rc}) found problems; full log in {work}/importer.log:\n"
                         + "\n".join(problems or log.splitlines()[-20:]))
    print("galaxy-importer: imported with Automation Hub settings, no error, no warning")


def requirement_names(lines) -> set[str]:
    names = set()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=!~ \[;]", line, maxsplit=1)[0].lower())
    return names


def ee():
    pip_file = BUILD / "ee-introspected-requirements.txt"
    rc, out = run(["ansible-builder", "introspect", "--sanitize", "--write-pip", pip_file, INSTALLED])
    if rc:
        raise GateFailed("ansible-builder introspect failed on the installed collection:\n" + out)
    introspected = requirement_names(pip_file.read_text(encoding="utf-8").splitlines())
    declared = requirement_names((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    if introspected != declared or not declared:
        raise GateFailed(f"ansible-builder introspect found {sorted(introspected)}, requirements.txt declares "
                         f"{sorted(declared)}:\n{out}")
    if "ansible-core" in introspected or "ansible" in introspected:
        raise GateFailed("the collection's requirements would pin ansible into every execution environment")
    context = BUILD / "ee"
    shutil.rmtree(context, ignore_errors=True)
    rc, out = run(["ansible-builder", "create", "-f", IMAGE_DEFINITION, "-c", context])
    # Containerfile for podman, Dockerfile where ansible-builder picks docker as the container runtime.
    if rc or not any((context / name).exists() for name in ("Containerfile", "Dockerfile")):
        raise GateFailed("ansible-builder create failed on the image definition:\n" + out)
    print(f"ansible-builder: introspect finds {', '.join(sorted(introspected))}; build context in "
          f"{context.relative_to(ROOT)} (the image build itself needs a container engine and registry)")


def is_offline_warning(line: str) -> bool:
    label = UNDEFINED_LABEL.search(line)
    return bool(INVENTORY_UNREACHABLE.search(line) or ANSIBLE_ENVVAR.search(line)
                or (label and label.group("label") in OFFLINE_LABELS))


def unexpected_docsite_warnings(log: str) -> list[str]:
    """The warnings of a Sphinx log that do not come from being offline."""
    return [line for line in log.splitlines() if "WARNING:" in line and not is_offline_warning(line)]


def docsite():
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(INSTALLED))
    rc, out = run(["antsibull-docs", "lint-collection-docs", "--plugin-docs", INSTALLED / "ansible_collections"
                   / "grandstream" / "phone"], env=env)
    if rc:
        raise GateFailed("antsibull-docs lint-collection-docs --plugin-docs failed:\n" + out)
    site = BUILD / "docsite"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(mode=0o700, parents=True)  # antsibull-docs refuses a directory others may write to
    rc, out = run(["antsibull-docs", "sphinx-init", "--use-current", "--squash-hierarchy", "--dest-dir", site,
                   COLLECTION], env=env)
    if rc:
        raise GateFailed("antsibull-docs sphinx-init failed:\n" + out)
    (site / "rst").mkdir(exist_ok=True)
    (site / "rst").chmod(0o700)
    rc, out = run(["antsibull-docs", "--config-file", "antsibull-docs.cfg", "collection", "--cleanup", "everything",
                   "--use-current", "--squash-hierarchy", "--fail-on-error", "--dest-dir", "rst", COLLECTION],
                  cwd=site, env=env)
    if rc:
        raise GateFailed("antsibull-docs collection failed:\n" + out)
    rc, out = run(["sphinx-build", "-M", "html", "rst", "build", "-c", ".", "--keep-going", "-q"], cwd=site, env=env)
    (site / "sphinx.log").write_text(out, encoding="utf-8")
    unexpected = unexpected_docsite_warnings(out)
    if rc or unexpected:
        raise GateFailed(f"the docsite build (exit {rc}) warned:\n" + "\n".join(unexpected or out.splitlines()[-20:]))
    pages = sorted(path.name for path in (site / "build" / "html" / "docsite").glob("*.html"))
    if not pages:
        raise GateFailed("the docsite has no extra docs (docs/docsite/extra-docs.yml)")
    print(f"docsite: built in {site.relative_to(ROOT)}/build/html, guides {', '.join(pages)}")


GATES = {"build": build, "importer": importer, "ee": ee, "docsite": docsite}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in GATES:
        sys.exit(__doc__)
    try:
        GATES[sys.argv[1]]()
    except GateFailed as failure:
        sys.exit(f"FAILED {sys.argv[1]}: {failure}")
