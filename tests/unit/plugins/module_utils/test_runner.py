"""runner.py: what every module shares when it runs an engine (secret scrubbing, the failure result)."""

from ansible_collections.grandstream.phone.plugins.module_utils import runner
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError


def test_scrub_masks_long_secrets_inside_strings_and_short_ones_only_as_whole_values():
    result = {"msg": "pushed s3cret-value to P34", "role": "admin", "list": ["admin", "x"], "admin": 1}
    cleaned = runner.scrub(result, {"s3cret-value", "admin"})
    assert cleaned["msg"] == "pushed ******** to P34"
    assert cleaned["list"] == ["********", "x"]
    assert cleaned["role"] == "********"


def test_failure_result_reports_journaled_writes_when_the_engine_has_no_applied():
    error = PhoneError("connection reset by the phone", host="h:1", kind="connection")
    result = runner.failure_result(error, ["api.values.post (P30)"])
    assert result["changed"] is True and result["applied"] == ["api.values.post (P30)"]
    own = PhoneError("x", details={"applied": ["add group Sales"]})
    assert runner.failure_result(own, ["api-add_group (name)"])["applied"] == ["add group Sales"]
    assert runner.failure_result(PhoneError("x"), [])["changed"] is False
    # The engine read back that nothing stuck: its empty applied is the truth, not the journal.
    dropped = PhoneError("1 of 1 written value(s) did not stick", details={"applied": [], "not_applied": ["P30"]})
    assert runner.failure_result(dropped, ["api.values.post (P30)"])["changed"] is False
    reset = PhoneError("connection reset by the phone", kind="connection", details={"applied": []}, may_have_acted=True)
    assert runner.failure_result(reset, ["api-add_group (name) (no clear answer)"])["changed"] is True
