"""The built tarball is clean and works when installed the way users install it: the plugins, their docs and
the emulator users test their playbooks against, all from the installed copy only."""

import json
import os
import subprocess
import sys
import tarfile
import time
import types
import urllib.request

import yaml

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import EXIT_PORT_UNAVAILABLE, find_free_port_block

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
# What stays in the repository (galaxy.yml build_ignore): the developer's tooling, tests and benchmarks.
FORBIDDEN_PARTS = (".venv", ".git", "__pycache__", ".build", "tests", "benchmarks", "extensions", "tools",
                   ".pytest_cache", ".ci")
FORBIDDEN_FILES = ("Makefile", "requirements-dev.txt", "requirements-bench.txt", "requirements-matrix.txt",
                   "docs/performance.md", "docs/performance-history.md", "docs/reliability.md")


def galaxy(*args, cwd=ROOT, env=None):
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy")] + list(args), cwd=cwd, capture_output=True,
                          text=True, check=False, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def version():
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["version"]


def build_and_install(tmp_path):
    galaxy("collection", "build", "--output-path", str(tmp_path), "--force")
    tarballs = [name for name in os.listdir(tmp_path) if name.endswith(".tar.gz")]
    assert tarballs == ["grandstream-phone-%s.tar.gz" % version()]
    tarball = os.path.join(tmp_path, tarballs[0])
    install_dir = tmp_path / "installed"
    galaxy("collection", "install", "--offline", "--no-deps", "--force", "-p", str(install_dir), tarball)
    return tarball, install_dir


def start_installed_emulator(install_dir, work_dir, count):
    """`python -m ansible_collections.grandstream.phone.emulator`, as docs/docsite/rst/guide_testing.rst says,
    from a directory where the checkout's own `emulator` package cannot be imported."""
    env = dict(os.environ, PYTHONPATH=str(install_dir))
    ready_file = work_dir / "ready.json"
    for unused_attempt in range(5):
        base_port = find_free_port_block(count + 1) + 1
        process = subprocess.Popen(
            [sys.executable, "-m", "ansible_collections.grandstream.phone.emulator", "--count", str(count),
             "--protocol", "http", "--base-port", str(base_port), "--ready-file", str(ready_file),
             "--state-dir", str(work_dir / "state"), "--log-file", str(work_dir / "emulator.log")],
            cwd=str(work_dir), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None and not ready_file.exists():
            time.sleep(0.05)
        if ready_file.exists():
            return process, json.loads(ready_file.read_text(encoding="utf-8"))
        if process.poll() is None:
            process.kill()
        stderr = process.communicate(timeout=10)[1].decode(errors="replace")
        assert process.returncode == EXIT_PORT_UNAVAILABLE, stderr
    raise AssertionError("the installed emulator found no free ports in 5 attempts")


def control(ready, path, method="GET"):
    """The emulator's control API (docs/emulator.md), straight over HTTP: no helper from the checkout."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (ready["control_port"], path),
                                     data=b"{}" if method == "POST" else None,
                                     headers={"Content-Type": "application/json"}, method=method)
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def test_tarball_is_clean_installs_and_runs_with_the_installed_emulator(tmp_path):
    tarball, install_dir = build_and_install(tmp_path)
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    for shipped in ("plugins/modules/gs_info.py", "roles/phone/tasks/main.yml", "roles/phone/README.md",
                    "schemas/phone.schema.json", "meta/runtime.yml", "meta/execution-environment.yml",
                    "requirements.txt", "execution-environment/execution-environment.yml",
                    "emulator/__main__.py", "CHANGELOG.rst", "changelogs/changelog.yaml",
                    "docs/docsite/links.yml", "docs/docsite/extra-docs.yml"):
        assert shipped in names, shipped
    leaked = [name for name in names
              if set(name.split("/")) & set(FORBIDDEN_PARTS) or name.endswith(".pyc") or name in FORBIDDEN_FILES]
    assert leaked == []
    # No empty directory left behind by build_ignore (an empty extensions/ was one).
    directories = {member.name for member in tarfile.open(tarball).getmembers() if member.isdir()}
    assert sorted(d for d in directories if not any(n.startswith(d + "/") for n in names)) == []
    collection = install_dir / "ansible_collections" / "grandstream" / "phone"
    assert json.loads((collection / "MANIFEST.json").read_text())["collection_info"]["version"] == version()

    work_dir = tmp_path / "emulator"
    work_dir.mkdir()
    process, ready = start_installed_emulator(install_dir, work_dir, count=2)
    try:
        phones = types.SimpleNamespace(ports=ready["ports"], https_ports=[])
        play = [{"hosts": "phones", "gather_facts": False,
                 "tasks": [{"name": "info", "grandstream.phone.gs_info": {}}]}]
        # PYTHONPATH must not point at the checkout: only the installed copy may be used.
        env = {"ANSIBLE_COLLECTIONS_PATH": str(install_dir), "PYTHONPATH": ""}
        run = run_playbook(tmp_path, play, inventory_for(phones, "http"), env=env)
        assert run.rc == 0, run
        model = run.result("phone1", "info")["system"]["model"]
        assert model == control(ready, "/phones/1/state")["model"]
        assert control(ready, "/phones/1/counters")["logins"] == 1
    finally:
        try:
            control(ready, "/shutdown", method="POST")
            process.wait(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_every_plugin_renders_with_ansible_doc_from_the_installed_collection(tmp_path):
    unused_tarball, install_dir = build_and_install(tmp_path)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(install_dir), PYTHONPATH="", ANSIBLE_NOCOLOR="1")
    listed = {}
    for kind in ("module", "callback", "role"):
        proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", kind, "--list", "--json", "grandstream.phone"],
                              capture_output=True, text=True, env=env, check=False, timeout=120)
        assert proc.returncode == 0, proc.stderr
        listed[kind] = sorted(json.loads(proc.stdout))
    modules = sorted("grandstream.phone." + name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if name.endswith(".py") and name != "__init__.py")
    assert listed["module"] == modules
    assert listed["callback"] == ["grandstream.phone.drift_report"]
    assert listed["role"] == ["grandstream.phone.phone"]
    for kind, names in listed.items():
        proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", kind, "--json"] + names,
                              capture_output=True, text=True, env=env, check=False, timeout=300)
        assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
        rendered = json.loads(proc.stdout)
        assert sorted(rendered) == names, kind
