"""What Galaxy, Automation Hub, ansible-builder and a user reading the shipped docs rely on, checked offline:
shipped documents link only to shipped files, the support matrix is stated the same everywhere, the
dependency declaration and the release notes are there. (make lint runs the tools themselves.)"""

import os
import re
import subprocess
import sys
import tarfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, os.path.join(ROOT, "tools"))

import matrix  # noqa: E402  tools/matrix.py
import release_gates  # noqa: E402  tools/release_gates.py

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
RST_LINK = re.compile(r"`[^`<]*<([^>`]+)>`_")


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return handle.read()


def load_yaml(*parts):
    return yaml.safe_load(read(*parts))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """{name: text or None} of every file in the tarball `ansible-galaxy collection build` makes."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (tarball,) = out.iterdir()
    files = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.isfile():
                data = archive.extractfile(member).read()
                files[member.name] = data.decode("utf-8") if member.name.endswith((".md", ".rst")) else None
    return files


def relative_links(text):
    for target in MARKDOWN_LINK.findall(text) + RST_LINK.findall(text):
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#"):
            yield target.split("#", 1)[0]


def test_shipped_documents_link_only_to_files_that_ship(shipped):
    documents = {name: text for name, text in shipped.items() if text is not None}
    assert "README.md" in documents and "roles/phone/README.md" in documents and "CHANGELOG.rst" in documents
    broken = []
    for name, text in documents.items():
        for target in relative_links(text):
            path = os.path.normpath(os.path.join(os.path.dirname(name), target.rstrip("/")))
            if path not in shipped and not any(other.startswith(path + "/") for other in shipped):
                broken.append("%s -> %s" % (name, target))
    assert broken == []


def test_the_link_check_finds_a_link_to_an_unshipped_file():
    text = "see [results](benchmarks/results/latest.md), [site](https://example.org/x.md), [top](#top)"
    assert list(relative_links(text)) == ["benchmarks/results/latest.md"]
    assert list(relative_links("`guide <docs/performance.md#p1>`_")) == ["docs/performance.md"]


def test_readme_serves_the_installed_user_first():
    headings = [line[3:].strip() for line in read("README.md").splitlines() if line.startswith("## ")]
    for wanted in ("Installation", "Usage", "Support", "Release notes", "Developing this collection"):
        assert wanted in headings, wanted
    assert headings.index("Installation") == 0
    assert headings.index("Developing this collection") > headings.index("Release notes") > headings.index("Usage")
    before_developing = read("README.md").split("## Developing this collection")[0]
    # An installed copy has no Makefile: before "Developing", make is named only in the intro's one paragraph
    # for readers of a clone, which names the two commands that work on a fresh machine.
    intro, unused = before_developing.split("## Installation", 1)
    clone_paragraph = [part for part in intro.split("\n\n") if "make " in part]
    assert len(clone_paragraph) == 1 and clone_paragraph[0].startswith("From a clone of the repository")
    assert "`make demo`" in clone_paragraph[0] and "`make test`" in clone_paragraph[0]
    assert "make " not in before_developing.replace(clone_paragraph[0], "")


def readme_matrix():
    rows = re.findall(r"^\| (2\.\d+) \| ([0-9., ]+) \|$", read("README.md"), flags=re.MULTILINE)
    return {core: [python.strip() for python in pythons.split(",")] for core, pythons in rows}


def ci_matrix():
    rows = re.findall(r'- \{core: "(2\.\d+)", python: "(3\.\d+)"\}', read("docs", "ci.md"))
    table = {}
    for core, python in rows:
        table.setdefault(core, []).append(python)
    return table


def test_support_matrix_is_the_same_in_runtime_readme_ci_and_the_image_definition():
    supported = matrix.load_matrix()
    cores = list(supported)
    assert cores[0] == "2.16" and len(cores) >= 2
    assert load_yaml("meta", "runtime.yml")["requires_ansible"] == ">=%s.0" % cores[0]
    assert readme_matrix() == supported
    assert ci_matrix() == supported
    newest = matrix.version_key(cores[-1])
    image = load_yaml("execution-environment", "execution-environment.yml")
    assert image["dependencies"]["ansible_core"]["package_pip"] == "ansible-core>=%s,<%d.%d" % (
        cores[0], newest[0], newest[1] + 1)
    summary = load_yaml("changelogs", "changelog.yaml")["releases"]["1.0.0"]["changes"]["release_summary"]
    assert "ansible-core %s to %s" % (cores[0], cores[-1]) in summary


def test_matrix_plans_the_oldest_and_newest_and_never_counts_a_missing_python_as_passed(monkeypatch, capsys):
    supported = matrix.load_matrix()
    ends = matrix.plan(supported, matrix.argparse.Namespace(core=None, python=None, ends=True))
    assert [core for core, unused in ends] == [list(supported)[0], list(supported)[-1]]
    assert matrix.interpreter("3.99") is None
    # A row runs the guide dialect's integration cases (the main run takes both), unless told otherwise.
    assert matrix.with_dialect(["-n", "2"]) == ["--dialect", "guide", "-n", "2"]
    assert matrix.with_dialect(["--dialect=current", "-x"]) == ["--dialect=current", "-x"]
    monkeypatch.setattr(matrix, "interpreter", lambda python: None)
    monkeypatch.setattr(matrix, "run_row", lambda *args: pytest.fail("a row without its Python ran"))
    assert matrix.main(["--ends"]) == 0
    assert matrix.main(["--ends", "--strict"]) == 1
    assert matrix.main(["--core", "2.16", "--python", "3.11"]) == 1
    out = capsys.readouterr().out
    assert "NOT RUN" in out and "passed -;" in out


def requirement_names(*parts):
    return release_gates.requirement_names(read(*parts).splitlines())


def test_the_collection_declares_its_dependencies_without_pinning_ansible():
    declaration = load_yaml("meta", "execution-environment.yml")
    assert declaration["version"] == 1
    dependencies = declaration["dependencies"]
    assert dependencies["python"] == "requirements.txt"  # relative to the collection root
    for key, path in dependencies.items():
        assert os.path.exists(os.path.join(ROOT, path)), "%s: %s is missing" % (key, path)
    names = requirement_names("requirements.txt")
    assert names and not names & {"ansible", "ansible-core", "ansible-base"}
    # Everything the runtime needs is in the developer's venv and in the matrix venvs too.
    for other in ("requirements-dev.txt", "requirements-matrix.txt"):
        assert "-r requirements.txt" in read(other)
    assert "ansible-core" in requirement_names("requirements-dev.txt")


def test_release_notes_exist_for_the_galaxy_version():
    version = load_yaml("galaxy.yml")["version"]
    assert matrix.version_key(version) >= (1, 0, 0)  # Automation Hub refuses anything older
    changelog = load_yaml("changelogs", "changelog.yaml")
    released = sorted(changelog["releases"], key=matrix.version_key)
    assert released and matrix.version_key(released[-1]) <= matrix.version_key(version)
    assert load_yaml("changelogs", "config.yaml")["keep_fragments"] is True
    if version in changelog["releases"]:
        # Until the version is tagged, every fragment belongs to its release notes (make changelog folds new
        # ones in). After the tag galaxy.yml moves to the next version, which has no release entry yet.
        recorded = {name for release in changelog["releases"].values() for name in release.get("fragments", [])}
        fragments = set(os.listdir(os.path.join(ROOT, "changelogs", "fragments")))
        missing = sorted(fragments - recorded)
        assert missing == [], "fragments missing from the %s release notes (make changelog): %s" % (version, missing)
    assert "v%s\n" % released[-1] in read("CHANGELOG.rst")


def test_importer_and_docsite_filters_let_only_offline_warnings_through():
    log = "\n".join([
        "WARNING: failed to reach any of the inventories with the following issues:",
        "rst/gs_call_module.rst:60: WARNING: undefined label: 'action_plugins' [ref.ref]",
        "rst/drift_report_callback.rst:77: WARNING: 'envvar' reference target not found: ANSIBLE_CALLBACKS_ENABLED",
        "rst/guide_testing.rst:3: WARNING: undefined label: 'ansible_collections.grandstream.phone.nope' [ref.ref]",
        "rst/gs_info_module.rst:9: WARNING: Inline literal start-string without end-string.",
    ])
    assert release_gates.unexpected_docsite_warnings(log) == log.splitlines()[3:]
    importer_log = "Linting module gs_info via flake8...\nWARNING: plugins/x.py:1:1: W503 line break\nERROR: bad"
    assert release_gates.importer_problems(importer_log) == importer_log.splitlines()[1:]
