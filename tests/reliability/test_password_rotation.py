"""Password rotation: the inventory's password changed before the phone's, gs_password_previous covers the gap.

The previous password is sent at most once, only when the phone refuses the configured one, and a refused
password is never sent again (login_memory.py): the emulator's counters prove what each run spent, on both
firmware dialects.
"""

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.reliability.support import both_dialects

NEW = "New-Pass-77"
PREVIOUS = "admin"  # what the emulated phones hold from the factory
STALE_WARNING = ("the phone still holds password_previous (gs_password_previous) for user 'admin', not password "
                 "(gs_password): the rotation has not reached this phone")
dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=1, protocol="http")


def reads(count=2):
    return play(*[{"name": "read %d" % number, "grandstream.phone.gs_info": {"gather_subset": ["system"]}}
                  for number in range(count)])


def rotation_inventory(phones, **passwords):
    return inventory_for(phones, "http", extra_vars=dict({"gs_password": NEW, "gs_password_previous": PREVIOUS},
                                                         **passwords))


def test_a_stale_phone_password_falls_back_once_warns_and_the_rotation_clears_it(phones, tmp_path):
    run = run_playbook(tmp_path, reads(), rotation_inventory(phones), name="first")
    assert run.rc == 0, run
    counters = phones.counters(0)
    # The new password is refused once, the previous one accepted once; the second task reuses the session.
    assert (counters["failed_logins"], counters["logins"], counters["by_endpoint"]["dologin"]) == (1, 1, 2), counters
    for task in ("read 0", "read 1"):
        assert any(STALE_WARNING in warning for warning in run.result("phone0", task)["warnings"]), task
    assert NEW not in run.stdout + str(run.results) and "New-Pass" not in run.stderr

    # A later run: the refused new password is not sent again, the cached session opened with the previous one
    # still works, and the warning says so again.
    phones.reset_counters()
    again = run_playbook(tmp_path, reads(1), rotation_inventory(phones), name="again")
    assert again.rc == 0, again
    assert (phones.counters(0)["failed_logins"], phones.counters(0)["logins"]) == (0, 0)
    assert any(STALE_WARNING in warning for warning in again.result("phone0", "read 0")["warnings"])
    # Even when the session is gone: the memory holds back the new password, the previous one logs in.
    phones.expire_sessions(0)
    phones.reset_counters()
    expired = run_playbook(tmp_path, reads(1), rotation_inventory(phones), name="expired")
    assert expired.rc == 0, expired
    assert (phones.counters(0)["failed_logins"], phones.counters(0)["logins"]) == (0, 1)

    # gs_password finishes the rotation; from then on the new password works and nothing warns.
    rotate = play({"name": "rotate",
                   "grandstream.phone.gs_password": {"new_password": NEW, "current_password": PREVIOUS}})
    rotated = run_playbook(tmp_path, rotate, rotation_inventory(phones), name="rotate")
    assert rotated.rc == 0, rotated.result("phone0", "rotate")
    assert phones.state(0)["passwords"]["admin"] == NEW
    phones.expire_sessions(0)
    phones.reset_counters()
    after = run_playbook(tmp_path, reads(1), rotation_inventory(phones), name="after")
    assert after.rc == 0, after
    assert (phones.counters(0)["failed_logins"], phones.counters(0)["logins"]) == (0, 1)
    assert not any(STALE_WARNING in warning for warning in after.result("phone0", "read 0").get("warnings", []))


def test_two_wrong_passwords_cost_one_failed_login_each_ever_and_lock_nothing(phones, tmp_path):
    inventory = rotation_inventory(phones, gs_password="Wrong-New-1", gs_password_previous="Wrong-Old-2")
    run = run_playbook(tmp_path, reads(), inventory, name="wrong")
    assert run.rc != 0
    assert phones.counters(0)["failed_logins"] == 2 and phones.counters(0)["by_endpoint"]["dologin"] == 2
    assert run.result("phone0", "read 0")["error_kind"] == "auth"
    phones.reset_counters()
    again = run_playbook(tmp_path, reads(), inventory, name="wrong-again")
    assert again.rc != 0
    assert (phones.counters(0)["failed_logins"], phones.counters(0)["logins"]) == (0, 0)
    assert phones.state(0)["lock"]["locked"] is False


def test_without_a_previous_password_nothing_changes(phones, tmp_path):
    run = run_playbook(tmp_path, reads(), inventory_for(phones, "http", extra_vars={"gs_password": NEW}))
    assert run.rc != 0
    assert phones.counters(0)["failed_logins"] == 1 and phones.counters(0)["by_endpoint"]["dologin"] == 1
