"""PhoneAction's part of Ansible's no_log: the diff of a no_log task is blanked as ActionBase does it."""

from types import SimpleNamespace

from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import NO_LOG_DIFF, PhoneAction


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
