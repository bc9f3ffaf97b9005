"""stop_message's pure logic (stop.py): which values stop a task, and the result a stopped task gives."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import stop


@pytest.mark.parametrize("given, expected", [({}, None), ({"stop_message": None}, None), ({"stop_message": ""}, None),
                                             ({"stop_message": "halt"}, "halt")])
def test_only_a_message_stops(given, expected):
    assert stop.stop_message(given) == expected


def test_the_stopped_result_changes_nothing_and_names_its_kind():
    assert stop.stopped_result("halt") == {"failed": True, "changed": False, "msg": "halt", "error_kind": "stopped"}
