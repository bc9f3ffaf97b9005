"""The phone role's task names and its gs_phone result read part by part, as the tests ask for them."""

ROLE = "grandstream.phone.phone"
# The role's one task per phone (gs_phone) and the last task of its rescue.
PHONE_TASK = ROLE + " : Phonebook, P-values and passwords"
FAIL_TASK = ROLE + " : Fail the phone"
PARTS = ("phonebook", "pvalues", "admin_password", "user_password")


def part_status(part):
    """A part's status in the record_results callback's words (the status its own task would have had)."""
    for status in ("failed", "unreachable", "skipped"):
        if part.get(status):
            return status
    return "ok"


def role_part(playbook_run, host, part):
    """The result of ``part`` (phonebook, pvalues, admin_password, user_password) in the role's gs_phone task on
    ``host``, with ``_status`` as its own task would have had it and the task's ``requests``."""
    task = playbook_run.result(host, PHONE_TASK)
    if part not in (task.get("results") or {}):
        raise AssertionError("no %s part in the role's task on %s: %r" % (part, host, task))
    found = dict(task["results"][part])
    found["_status"] = part_status(found)
    found.setdefault("requests", task.get("requests"))
    return found


def stopped_message(playbook_run, host):
    """The message the role stopped ``host`` with, after checking how: its gs_phone task failed with it
    (error_kind stopped, no client built, no part run), the rescue failed the phone with the same message, and the
    PLAY RECAP counts the phone failed once."""
    task = playbook_run.result(host, PHONE_TASK)
    assert task["_status"] == "failed" and task["error_kind"] == "stopped", task
    assert "requests" not in task and "results" not in task, task  # no client was even built, no part ran
    final = playbook_run.result(host, FAIL_TASK)
    assert final["_status"] == "failed" and final["msg"] == task["msg"], final
    assert playbook_run.stats[host]["failures"] == 1
    return task["msg"]
