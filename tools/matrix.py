"""Run tests/integration (real ansible-playbook against the emulator, the role test included) on the supported
ansible-core releases of tools/support-matrix.yml, each in its own venv (.venv-matrix/core<X.Y>-py<A.B>).

    python tools/matrix.py                      # every row whose Python is on this machine (make matrix)
    python tools/matrix.py --ends               # the oldest and the newest supported release (make test)
    python tools/matrix.py --core 2.20 --python 3.12   # one row; fails if that Python is missing (CI jobs)

Each row runs the guide-dialect cases only (pytest --dialect guide, unless the pytest arguments name a
--dialect): a row checks the collection against an ansible-core release, and the dialect layer lies below
Ansible's API, so `make pytest` runs both dialects once on the newest core while the rows stay in CI's
budget; tests/integration/test_mixed_fleet.py still puts current-dialect phones in every row.

A row needs `python<A.B>` on PATH. A row that cannot run here is reported as NOT RUN with the reason, never
as passed; with --strict (or a single --core/--python row) it fails the run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MATRIX_FILE = ROOT / "tools" / "support-matrix.yml"
VENVS = ROOT / ".venv-matrix"
COLLECTIONS = ROOT / ".venv" / "collections"  # `make install` links the checkout there
REQUIREMENTS = ROOT / "requirements-matrix.txt"


def version_key(version: str):
    return tuple(int(part) for part in version.split("."))


def load_matrix(path: Path = MATRIX_FILE) -> dict[str, list[str]]:
    """{"2.16": ["3.11", "3.12"], ...} sorted by ansible-core release."""
    with open(path, encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)["ansible_core"]
    return {core: list(rows[core]) for core in sorted(rows, key=version_key)}


def _works_as(path, python: str) -> bool:
    probe = subprocess.run([path, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, check=False)
    return probe.returncode == 0 and probe.stdout.strip() == python


def interpreter(python: str):
    """The path of a working python<A.B>, or None.

    PATH first; a pyenv shim answers there even for a version that pyenv has but does not select, so the
    versions pyenv installed (``$PYENV_ROOT/versions/A.B.*``) are looked at too.
    """
    candidates = [shutil.which(f"python{python}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates += sorted(str(path) for path in pyenv_root.glob(f"versions/{python}.*/bin/python{python}"))
    return next((path for path in candidates if path and _works_as(path, python)), None)


def venv_for(core: str, python: str) -> Path:
    """A venv with ansible-core <core>.* and requirements-matrix.txt, reinstalled when those change."""
    venv = VENVS / f"core{core}-py{python}"
    stamp = venv / ".installed"
    wanted = f"ansible-core=={core}.*\n" + REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([interpreter(python), "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"ansible-core=={core}.*", "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return venv


def installed_core(venv: Path) -> str:
    probe = "import ansible.release; print(ansible.release.__version__)"
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], check=True, capture_output=True, text=True).stdout
    return out.strip()


def with_dialect(pytest_args: list[str]) -> list[str]:
    """The pytest arguments of a row: guide-dialect cases only, unless they name a --dialect themselves."""
    if any(arg == "--dialect" or arg.startswith("--dialect=") for arg in pytest_args):
        return list(pytest_args)
    return ["--dialect", "guide"] + list(pytest_args)


def run_row(core: str, python: str, pytest_args: list[str]) -> bool:
    venv = venv_for(core, python)
    actual = installed_core(venv)
    if not actual.startswith(core + "."):
        print(f"matrix: {venv} has ansible-core {actual}, not {core}", flush=True)
        return False
    pytest_args = with_dialect(pytest_args)
    print(f"\n=== tests/integration on ansible-core {actual}, Python {python} ({' '.join(pytest_args)}) ===",
          flush=True)
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
               ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), PYTHONPATH=str(COLLECTIONS), ANSIBLE_NOCOLOR="1")
    env.pop("VIRTUAL_ENV", None)
    cmd = [str(venv / "bin" / "python"), "-m", "pytest", "tests/integration", "-p", "no:cacheprovider"] + pytest_args
    return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode == 0


def plan(matrix: dict[str, list[str]], args) -> list[tuple[str, list[str]]]:
    """[(core, [pythons to try in order])]: one run per core with the first Python found, or the given row."""
    if args.core:
        if args.core not in matrix:
            sys.exit(f"ansible-core {args.core} is not in {MATRIX_FILE.name}: {', '.join(matrix)}")
        if args.python and args.python not in matrix[args.core]:
            sys.exit(f"ansible-core {args.core} is supported on Python {', '.join(matrix[args.core])}, "
                     f"not {args.python}")
        pythons = [args.python] if args.python else matrix[args.core]
        return [(args.core, pythons)]
    cores = list(matrix)
    if args.ends:
        cores = [cores[0], cores[-1]]
    return [(core, matrix[core]) for core in cores]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ends", action="store_true", help="only the oldest and the newest supported release")
    parser.add_argument("--core", help="one ansible-core release (X.Y)")
    parser.add_argument("--python", help="with --core: the Python version (A.B)")
    parser.add_argument("--strict", action="store_true", help="a row that cannot run here fails the run")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    strict = args.strict or bool(args.core)
    matrix = load_matrix()
    passed, failed, not_run = [], [], []
    for core, pythons in plan(matrix, args):
        python = next((candidate for candidate in pythons if interpreter(candidate)), None)
        if python is None:
            reason = f"ansible-core {core} needs Python {' or '.join(pythons)}; none is on this machine"
            print(f"\n=== NOT RUN: {reason} ===", flush=True)
            not_run.append(f"{core} ({reason})")
        elif run_row(core, python, args.pytest_args or ["-n", "2"]):
            passed.append(f"{core}/py{python}")
        else:
            failed.append(f"{core}/py{python}")
    print(f"\nmatrix: passed {', '.join(passed) or '-'}; failed {', '.join(failed) or '-'}", flush=True)
    for row in not_run:
        print(f"matrix: NOT RUN {row}", flush=True)
    return 1 if failed or (strict and not_run) else 0


if __name__ == "__main__":
    sys.exit(main())
