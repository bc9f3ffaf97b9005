"""login_memory.py: what a run remembers of refused, accepted and locked passwords (no phone, no login)."""

import os
import time
from ansible_collections.grandstream.phone.plugins.module_utils import login_memory
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory


def test_a_refused_password_is_remembered_until_cleared_but_not_another_one(tmp_path, monkeypatch):
    memory = LoginMemory(persistent=str(tmp_path))
    memory.remember("http://h:1", "admin", "wrong", "auth", attempts_left=4)
    refused = memory.check("http://h:1", "admin", "wrong")
    assert refused["kind"] == "auth" and refused["attempts_left"] == 4
    assert memory.check("http://h:1", "admin", "right") is None
    assert memory.check("http://h:1", "user", "wrong") is None
    assert "wrong" not in next(tmp_path.iterdir()).read_text()
    later = time.time() + 30 * 24 * 3600  # a month of nightly runs later: still not sent again
    monkeypatch.setattr(time, "time", lambda: later)
    assert memory.check("http://h:1", "admin", "wrong")["kind"] == "auth"
    memory.accepted("http://h:1", "admin", "wrong")  # the phone accepted it after all (it was set by hand)
    assert memory.check("http://h:1", "admin", "wrong") is None


def test_only_a_password_the_phone_accepted_is_known_good_and_a_refusal_ends_it(tmp_path):
    memory = LoginMemory(persistent=str(tmp_path))
    assert memory.known_good("http://h:1", "admin", "pw") is False
    memory.accepted("http://h:1", "admin", "pw")
    assert memory.known_good("http://h:1", "admin", "pw") is True
    assert memory.known_good("http://h:1", "admin", "other") is False
    assert memory.known_good("http://h:1", "user", "pw") is False
    assert memory.known_good("http://h:2", "admin", "pw") is False
    assert "pw" not in next(tmp_path.iterdir()).read_text()
    memory.remember("http://h:1", "admin", "pw", "auth", attempts_left=4)  # changed on the phone since
    assert memory.known_good("http://h:1", "admin", "pw") is False


def test_a_lock_refuses_every_password_until_it_expires(tmp_path, monkeypatch):
    memory = LoginMemory(persistent=str(tmp_path))
    memory.remember("http://h:1", "admin", "wrong", "locked", lock_minutes=5)
    assert memory.check("http://h:1", "user", "any")["kind"] == "locked"
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert memory.check("http://h:1", "admin", "any") is None


def test_an_unanswered_login_is_remembered_for_the_run_only(tmp_path):
    memory = LoginMemory(persistent=str(tmp_path / "cache"), run=str(tmp_path / "run"))
    memory.remember("http://h:1", "admin", "pw", "unanswered")
    assert memory.check("http://h:1", "admin", "pw")["scope"] == "run"
    assert LoginMemory(persistent=str(tmp_path / "cache")).check("http://h:1", "admin", "pw") is None


def test_the_run_directory_is_private_and_named_by_the_parent_and_its_start(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    path = login_memory.run_directory()
    assert os.path.basename(path) == "%d-%s" % (os.getppid(), login_memory._process_start(os.getppid()))
    assert oct(os.stat(path).st_mode & 0o777) == "0o700"
    stale = os.path.join(os.path.dirname(path), "%d-1" % os.getpid())  # our pid, another start: an ended run
    os.makedirs(stale)
    os.rmdir(path)
    login_memory.run_directory()
    assert not os.path.exists(stale)


def test_a_worker_names_its_run_by_the_start_time_its_parent_read_before_the_fork(tmp_path, monkeypatch):
    """The main process reads its own start once (remember_own_start, at action_base import); a forked worker
    asks for its parent's and gets that answer without reading /proc; any other parent is still read."""
    real_process_start = login_memory._process_start
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setattr(login_memory, "_own_start", {})
    login_memory.remember_own_start()
    read = []

    def counted(pid):
        read.append(pid)
        return real_process_start(pid)

    monkeypatch.setattr(login_memory, "_process_start", counted)
    # As a worker whose parent is this process: the answer read before the fork, no /proc read for it.
    path = login_memory.run_directory(ppid=os.getpid())
    assert os.path.basename(path) == "%d-%s" % (os.getpid(), real_process_start(os.getpid()))
    assert os.getpid() not in read
    # As a worker of another parent (this process's own parent): read from /proc, as before.
    other = login_memory.run_directory(ppid=os.getppid())
    assert read.count(os.getppid()) >= 1
    assert os.path.basename(other) == "%d-%s" % (os.getppid(), real_process_start(os.getppid()))
