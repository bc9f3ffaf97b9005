"""gs_call (call.py): validation, dialable numbers and line tracking, without a phone."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import call
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError


def line(number, state, remote=""):
    return {"line": number, "state": state, "state_name": call_state_name(state), "number": remote}


def call_state_name(state):
    return {"0": "idle", "2": "ringing", "3": "calling", "4": "in_call", "5": "hold", "8": "failed"}[state]


def test_a_dialled_call_is_found_on_a_line_that_was_idle_and_then_followed_by_id():
    watch = call.LineWatch("idle", number="100", idle_before={2, 3})
    busy_before = line(1, "4", "100")  # an older call to the same number
    assert watch.judge([busy_before, line(2, "0"), line(3, "0")])[:2] == (False, "the call is not on a line yet")
    assert watch.judge([busy_before, line(2, "3", "100"), line(3, "0")])[:2] == (False, "line 2 is calling")
    assert watch.line == 2
    reached, answer, entry = watch.judge([busy_before, line(2, "0"), line(3, "0")])
    assert reached and answer == "line 2 is idle" and entry["line"] == 2


def test_a_dialled_call_that_ends_early_or_fails_stops_the_wait():
    watch = call.LineWatch("in_call", number="100", idle_before={1})
    watch.judge([line(1, "3", "100")])
    with pytest.raises(PhoneError, match="ended before it was in_call"):
        watch.judge([line(1, "0")])
    with pytest.raises(PhoneError, match="failed while waiting for in_call"):
        call.LineWatch("in_call", line=1).judge([line(1, "8")])


def test_waiting_on_an_existing_line_may_start_idle():
    watch = call.LineWatch("ringing", line=1)
    assert watch.judge([line(1, "0")])[0] is False
    assert watch.judge([line(1, "2", "200")])[0] is True


def test_a_missing_line_is_a_validation_error_listing_the_lines():
    with pytest.raises(ValidationError, match=r"line 9 does not exist on this phone \(it has lines 1, 2\)"):
        call.LineWatch("idle", line=9).judge([line(1, "0"), line(2, "0")])


CALL_DEFAULTS = dict(number=None, account=None, operation=None, line=None, wait_for=None, wait_timeout=30,
                     poll_interval=0.5)


@pytest.mark.parametrize("options, field", [
    ({"number": "1 00"}, "number"),
    ({"number": "+"}, "number"),
    ({"number": "100", "account": -1}, "account"),
    ({"operation": "end", "line": -1}, "line"),
    ({"wait_for": "idle"}, "line"),
    ({"number": "100", "wait_timeout": 0}, "wait_timeout"),
])
def test_call_refusals_name_the_option(options, field):
    with pytest.raises(ValidationError) as failure:
        call.validate(dict(CALL_DEFAULTS, **options))
    assert failure.value.field == field


@pytest.mark.parametrize("number", ["100", "+4930123456", "*97", "#31#100"])
def test_dialable_numbers(number):
    call.validate(dict(CALL_DEFAULTS, number=number))


def test_call_option_relations():
    validator = call.ENGINE
    assert not validator.validate({"number": "100", "wait_for": "in_call"}).error_messages
    assert not validator.validate({"operation": "hold", "line": 1}).error_messages
    assert validator.validate({"number": "100", "operation": "end"}).error_messages


def test_engine_spec_and_relations_are_accepted_by_ansible():
    assert call.ENGINE.validate(dict({"number": "1"}, host="h", password="p")).error_messages == []
