"""gs_sysop (sysop.py): validation and the pending-reboot markers, without a phone."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import sysop
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers


def conn(username="admin", password="admin"):
    return ConnectionParams(host="phone.example", protocol="http", username=username, password=password)


SYSOP_DEFAULTS = dict(confirm=False, wait=False, wait_timeout=300, wait_delay=10.0, poll_interval=1.0)


@pytest.mark.parametrize("username, options, field", [
    ("admin", {"operation": "reset"}, "confirm"),
    ("user", {"operation": "reset", "confirm": True}, "operation"),
    ("user", {"operation": "provision"}, "operation"),
    ("admin", {"operation": "reboot", "wait_timeout": 0}, "wait_timeout"),
    ("admin", {"operation": "reboot", "poll_interval": 0}, "poll_interval"),
])
def test_sysop_refusals_name_the_option(username, options, field):
    with pytest.raises(ValidationError) as failure:
        sysop.validate(conn(username), dict(SYSOP_DEFAULTS, **options))
    assert failure.value.field == field


def test_a_user_may_reboot():
    sysop.validate(conn("user"), dict(SYSOP_DEFAULTS, operation="reboot"))


class RebootingClient:
    """Accepts the reboot request, then answers the polls in ``answers`` order (the last one repeats)."""

    def __init__(self, answers):
        self.conn = conn()
        self.answers = list(answers)
        self.sent = []

    def call(self, endpoint, params=None, auth="forms", idempotent=True):
        self.sent.append((endpoint, params["request"]))
        return {"response": "success", "body": "reboot"}

    def drop_session(self):
        pass

    def ping(self, timeout):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def progress(self, message):
        pass


@pytest.mark.parametrize("answers, wait, still_pending", [
    (["refused", "503", "up"], True, False),  # seen going down and back: the pending reboot happened
    (["up"], True, True),  # never seen down (only wait_delay passed): gs_pvalues asks the uptime instead
    (["refused", "up"], False, True),  # not waited for: nothing seen
])
def test_only_a_reboot_seen_through_ends_a_pending_one(answers, wait, still_pending):
    markers = RebootMarkers()
    client = RebootingClient(answers)
    markers.record(client.conn.label, ["account1.transport (P130)"])
    params = dict(SYSOP_DEFAULTS, operation="reboot", wait=wait, wait_delay=0.0, poll_interval=0.01)
    result = sysop.run(client, params, check_mode=False)
    assert result["changed"] is True and client.sent == [("api-sys_operation", "REBOOT")]
    assert result["commands"] == ["api-sys_operation REBOOT"]
    assert result["before"] == {} and result["after"] == result["diff"]["after"] == {"operation": "reboot"}
    assert (markers.load(client.conn.label) is not None) is still_pending


def test_engine_spec_and_relations_are_accepted_by_ansible():
    assert sysop.ENGINE.validate(dict({"operation": "reboot"}, host="h", password="p")).error_messages == []
