"""The gs_pvalues engine over real HTTP against the emulator: writes, idempotency, drops, secrets, request counts."""

import json

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import pvalues
from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers
from tests.helpers.dialect_requests import VALUES_WRITE, session_requests
from tests.helpers.emulator_proc import emulator_fixtures

GXV3370, WP820 = 0, 3
ACCOUNT1 = {
    "account1.active": True, "account1.name": "Reception", "account1.sip_server": "pbx.example.com:5060",
    "account1.sip_user_id": "1001", "account1.auth_id": "1001", "account1.display_name": "Front desk",
    "account1.outbound_proxy": "proxy.example.com", "account1.transport": "tls", "account1.register_expiration": 30,
}
TWENTY_VALUES = dict(ACCOUNT1, **{
    "ntp.server": "ntp.example.com", "time.zone": "CET", "time.format": "24h", "display.language": "de",
    "syslog.server": "syslog.example.com:514", "upgrade.via": "https", "phonebook.xml_download": "https",
    "phonebook.xml_server_path": "pb.example.com/phonebook.xml", "phonebook.download_interval": 60,
    "account2.name": "Support", "account2.sip_server": "pbx2.example.com",
})
assert len(TWENTY_VALUES) == 20
# A client without a session cache (these engine calls) ends its session on current firmware (dologout).
LOGOUTS = {"guide": 0, "current": 1}


phones, factory_phones = emulator_fixtures(count=4)  # GXV3370, GXV3380, GXV3350, WP820


def connect(phones, index, password="admin"):
    return PhoneClient(ConnectionParams(host="127.0.0.1", port=phones.ports[index], protocol="http",
                                        password=password, retries=0))


def apply(phones, values, index=GXV3370, check_mode=False, update_secrets="on_create", strict=False):
    client = connect(phones, index)
    try:
        return pvalues.run(client, {"values": values, "update_secrets": update_secrets, "strict": strict},
                           check_mode)
    finally:
        client.close()


def endpoint_count(phones, index, endpoint):
    return phones.counters(index)["by_endpoint"].get(endpoint, 0)


def values_writes(phones, index):
    """Values writes phone ``index`` received in its dialect (api-values.post, or config_update)."""
    return endpoint_count(phones, index, VALUES_WRITE[phones.dialect(index)["dialect"]])


def test_apply_then_nothing_to_do(phones, dialect):
    result = apply(phones, ACCOUNT1)
    assert result["changed"] is True and result["reboot_required"] is True  # the transport changed
    assert result["changes"]["account1.transport"] == {"pvalue": "P130", "before": "0", "after": "2"}
    stored = phones.state(GXV3370)["pvalues"]
    assert (stored["P271"], stored["P47"], stored["P130"], stored["P32"]) == ("1", "pbx.example.com:5060", "2", "30")
    # The dialect probe, login, read, one write, one read-back; on current firmware the client (no session
    # cache here) ends its session with a dologout.
    assert phones.counters(GXV3370)["by_endpoint"] == session_requests(dialect, reads=2, writes=1,
                                                                       logouts=LOGOUTS[dialect])

    phones.reset_counters()
    again = apply(phones, ACCOUNT1)
    assert again["changed"] is False and again["changes"] == {} and "diff" not in again
    assert values_writes(phones, GXV3370) == 0


def test_equal_spellings_are_no_change(phones):
    apply(phones, ACCOUNT1)
    phones.reset_counters()
    result = apply(phones, {"P271": "yes", "130": "TLS", "P32": "030", "account1.sip_server": "pbx.example.com:5060"})
    assert result["changed"] is False
    assert values_writes(phones, GXV3370) == 0


def test_check_mode_reads_and_never_writes(phones):
    before = phones.state(GXV3370)["pvalues"]
    result = apply(phones, ACCOUNT1, check_mode=True)
    assert result["changed"] is True and result["diff"]["after"]["account1.sip_server"] == "pbx.example.com:5060"
    assert phones.state(GXV3370)["pvalues"] == before
    assert values_writes(phones, GXV3370) == 0
    assert phones.counters(GXV3370)["writes"] == 0


def test_no_change_run_of_twenty_values_is_one_login_and_one_read(phones, dialect):
    apply(phones, TWENTY_VALUES)
    phones.reset_counters()
    # The transport was written and the phone has not rebooted: one more request asks its uptime.
    assert apply(phones, TWENTY_VALUES)["reboot_pending"] is True
    assert phones.counters(GXV3370)["by_endpoint"] == session_requests(
        dialect, reads=1, logouts=LOGOUTS[dialect], also={"api-get_time": 1})
    RebootMarkers().forget("127.0.0.1:%d" % phones.ports[GXV3370])  # what gs_sysop's reboot does
    phones.reset_counters()
    result = apply(phones, TWENTY_VALUES)
    assert result["changed"] is False and result["reboot_pending"] is False
    counters = phones.counters(GXV3370)
    # The dialect probe (no login), the login, one read (and on current firmware the access challenge and
    # the dologout).
    assert counters["by_endpoint"] == session_requests(dialect, reads=1, logouts=LOGOUTS[dialect])
    assert counters["requests"] == sum(counters["by_endpoint"].values()) == (3 if dialect == "guide" else 5)


def test_many_values_are_read_in_chunks(phones, dialect):
    # 600 uncatalogued names already at their (empty) value: only the URL limit splits the read.
    values = {"P%d" % number: "" for number in range(20000, 20600)}
    assert apply(phones, values)["changed"] is False
    assert phones.counters(GXV3370)["by_endpoint"] == session_requests(dialect, reads=3, logouts=LOGOUTS[dialect])


def test_dropped_write_is_reported_by_alias_and_pnumber(phones):
    phones.faults(GXV3370, {"drop_writes": ["P30"]})
    with pytest.raises(PhoneError) as failure:
        apply(phones, {"ntp.server": "ntp.example.com", "account1.name": "Desk", "web.access_mode": "http"})
    error = failure.value
    assert error.kind == "not_applied"
    assert error.details["not_applied"] == ["ntp.server (P30)"]
    assert error.details["applied"] == ["account1.name (P270)", "web.access_mode (P1650)"]
    assert error.details["reboot_required"] is True
    assert "ntp.server (P30)" in str(error) and str(error).startswith("127.0.0.1:")
    stored = phones.state(GXV3370)["pvalues"]
    assert (stored["P30"], stored["P270"]) == ("pool.ntp.org", "Desk")


def test_over_length_value_is_not_applied(phones):
    # Uncatalogued names carry no length limit here; the phone drops what is too long.
    with pytest.raises(PhoneError) as failure:
        apply(phones, {"P9999": "x" * 300, "account1.name": "Desk"})
    assert failure.value.details == {"changed": True, "not_applied": ["P9999"], "applied": ["account1.name (P270)"],
                                     "unverified": [], "reboot_pending": False, "reboot_required": False}


def test_catalogued_limits_are_checked_before_any_request(phones):
    with pytest.raises(ValidationError) as failure:
        apply(phones, {"account1.name": "x" * 65, "account1.transport": "sctp"})
    assert "values.account1.name: must be at most 64 characters" in failure.value.message
    assert "values.account1.transport: must be one of udp(0), tcp(1), tls(2), got 'sctp'" in failure.value.message
    assert phones.counters(GXV3370)["requests"] == 0


def test_on_create_writes_a_new_accounts_password_once(phones):
    values = {"account1.sip_user_id": "1001", "account1.sip_server": "pbx.example.com",
              "account1.password": "first-secret"}
    result = apply(phones, values)
    assert result["changes"]["account1.password"]["secret"] is True
    assert phones.state(GXV3370)["pvalues"]["P34"] == "first-secret"
    assert "first-secret" not in json.dumps(result)

    phones.reset_counters()
    values["account1.password"] = "other-secret"  # the account exists: on_create leaves it alone
    assert apply(phones, values)["changed"] is False
    assert phones.state(GXV3370)["pvalues"]["P34"] == "first-secret"
    assert values_writes(phones, GXV3370) == 0

    values["account1.sip_user_id"] = "1002"  # new credentials: the password goes with them
    result = apply(phones, values)
    assert set(result["changes"]) == {"account1.sip_user_id", "account1.password"}
    assert phones.state(GXV3370)["pvalues"]["P34"] == "other-secret"


def test_always_rewrites_secrets_every_run(phones):
    phones.set_pvalues(GXV3370, {"P404": "2001"})
    for secret in ("secret-one", "secret-one"):
        result = apply(phones, {"account2.password": secret}, update_secrets="always")
        assert result["changed"] is True
        assert result["before"] == result["after"] == {"account2.password": "********"}
    assert values_writes(phones, GXV3370) == 2
    assert phones.state(GXV3370)["pvalues"]["P406"] == "secret-one"


def test_changing_the_login_password_keeps_the_task_working(phones):
    client = connect(phones, GXV3370)
    result = pvalues.run(client, {"values": {"admin_password": "next-admin-pw", "ntp.server": "ntp.example.com"},
                                  "update_secrets": "always"}, False)
    client.close()
    assert result["changed"] is True
    assert phones.state(GXV3370)["passwords"]["admin"] == "next-admin-pw"
    later = connect(phones, GXV3370, password="next-admin-pw")
    assert later.get_values(["P30"]) == {"P30": "ntp.example.com"}
    later.close()


def test_model_specific_values(phones):
    with pytest.raises(ValidationError, match="account3.name .P517. is not available on a WP820"):
        apply(phones, {"account3.name": "Third"}, index=WP820)
    assert values_writes(phones, WP820) == 0
    result = apply(phones, {"wifi.key": "wpa-passphrase"}, index=WP820, update_secrets="always")
    assert result["model"] == "WP820" and result["changed"] is True
    assert phones.state(WP820)["pvalues"]["P8404"] == "wpa-passphrase"
    with pytest.raises(ValidationError, match="wifi.key .P8404. is not available on a GXV3370"):
        apply(phones, {"wifi.key": "wpa-passphrase"}, update_secrets="always")


def test_drift_is_detected_and_repaired(phones):
    apply(phones, ACCOUNT1)
    phones.set_pvalues(GXV3370, {"P47": "rogue.example.com", "P130": "0"})
    drift = apply(phones, ACCOUNT1, check_mode=True)
    assert drift["changes"] == {
        "account1.sip_server": {"pvalue": "P47", "before": "rogue.example.com", "after": "pbx.example.com:5060"},
        "account1.transport": {"pvalue": "P130", "before": "0", "after": "2"}}
    assert apply(phones, ACCOUNT1)["changed"] is True
    assert apply(phones, ACCOUNT1)["changed"] is False


def test_session_expiry_during_the_task_costs_one_relogin(phones):
    phones.faults(GXV3370, {"expire_every": 2})
    result = apply(phones, {"ntp.server": "ntp.example.com"})
    assert result["changed"] is True
    assert phones.state(GXV3370)["pvalues"]["P30"] == "ntp.example.com"
