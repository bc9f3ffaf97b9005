"""Project-wide pytest fixtures. Keep them generic; suite-specific fixtures go in that suite's conftest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.helpers.emulator_proc import DIALECTS, EmulatorProcess  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--dialect", action="append", choices=DIALECTS, default=None,
                     help="tests/integration: run only this firmware dialect's cases (repeatable; default both)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than about a minute")
    config.addinivalue_line("markers", "dialect(name, reason=...): under tests/integration, the test is about one "
                                       "firmware dialect and is skipped on the other (the reason says why)")


@pytest.fixture(autouse=True)
def private_controller_cache(tmp_path, monkeypatch):
    """Engines called in-process keep controller-side files (reboot markers, sessions) in the test's own
    directory, never in the real home's cache (playbook runs get their own in tests/helpers/ansible_run.py)."""
    monkeypatch.setenv("GS_SESSION_CACHE_DIR", str(tmp_path / "controller-cache"))


@pytest.fixture(scope="session")
def dialect():
    """The firmware dialect of fleets started without an explicit one (`emulator_fixtures`): the guide's.
    tests/integration/conftest.py overrides it to run each test on both dialects."""
    return "guide"


@pytest.fixture(scope="session")
def emulator():
    """Three HTTP phones (GXV3370, GXV3380, GXV3350) shared by the whole test session."""
    with EmulatorProcess(count=3) as process:
        yield process


@pytest.fixture
def fresh_phones(emulator):
    """The session's emulator with every phone at factory state, no faults, counters at zero."""
    emulator.reset()
    yield emulator


@pytest.fixture
def emulator_factory():
    """Start emulators with custom options (`EmulatorProcess` arguments); all stopped after the test."""
    started = []

    def start(**options) -> EmulatorProcess:
        process = EmulatorProcess(**options).start()
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        process.stop()
