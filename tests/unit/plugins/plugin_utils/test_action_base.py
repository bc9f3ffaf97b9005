"""action_base.py: PhoneAction's part of Ansible's no_log (the diff of a no_log task is blanked as ActionBase does
it) and which failed results count as unreachable."""

from types import SimpleNamespace

import pytest

from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import (
    NO_LOG_DIFF, PhoneAction, as_unreachable)


def action_with(no_log):
    action = PhoneAction.__new__(PhoneAction)  # only the task matters here
    action._task = SimpleNamespace(no_log=no_log)
    return action


def test_a_no_log_tasks_diff_is_blanked_and_the_rest_left_to_ansible():
    result = {"changed": True, "diff": {"before": {"ntp.server": "a.test"}, "after": {"ntp.server": "b.test"}}}
    hidden = action_with(True)._hide_diff_under_no_log(dict(result))
    assert hidden["diff"] == {"before": "", "after": NO_LOG_DIFF} and "b.test" not in str(hidden)
    assert hidden["changed"] is True


def test_without_no_log_the_diff_is_shown():
    result = {"changed": True, "diff": {"before": {"P30": "a"}, "after": {"P30": "b"}}}
    assert action_with(False)._hide_diff_under_no_log(dict(result))["diff"] == result["diff"]
    assert "diff" not in action_with(True)._hide_diff_under_no_log({"changed": False})


@pytest.mark.parametrize("outcome, unreachable", [
    ({"failed": True, "changed": False, "error_kind": "connection", "unreachable": True, "msg": "refused"}, True),
    ({"failed": True, "changed": False, "error_kind": "timeout", "unreachable": True, "msg": "timed out"}, True),
    # Something may have reached the phone: stays failed, so the change is not hidden.
    ({"failed": True, "changed": True, "error_kind": "connection", "unreachable": True, "applied": ["x"]}, False),
    ({"failed": True, "changed": False, "error_kind": "connection", "unreachable": True, "applied": []}, False),
    # A phone that answered and refused.
    ({"failed": True, "changed": False, "error_kind": "timeout", "msg": "the call did not ring"}, False),
])
def test_only_a_phone_nothing_reached_is_unreachable(outcome, unreachable):
    result = as_unreachable(dict(outcome))
    assert result.get("unreachable", False) is unreachable
    assert result.get("failed", False) is not unreachable
