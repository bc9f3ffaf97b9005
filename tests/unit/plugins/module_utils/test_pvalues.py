"""The gs_pvalues engine's pure logic: validation, normalised diff, secrets, read-back, result shape.

A small in-memory client stands in for the phone here; tests/integration/test_pvalues_engine.py runs
the same engine over real HTTP against the emulator.
"""

import json

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import catalog, pvalues
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError

SECRETS = {"P2", "P196", "P34", "P406", "P506", "P606", "P1706", "P1806", "P1359", "P8404"}


class FakeConn:
    label = "phone1:80"
    username = "admin"
    password = "admin-login-pw"


MASKED = "********"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Reboot markers (beside the session cache) of each test in its own directory."""
    monkeypatch.setenv("GS_SESSION_CACHE_DIR", str(tmp_path / "sessions"))
    return tmp_path / "sessions"


class FakeClient:
    """Phone-like: names in ``drop`` are silently not stored; secrets read back empty, or with
    ``masks`` as a mask when set (the admin password P2 is set, as on every phone one logs in to)."""

    def __init__(self, values=None, drop=(), masks=False, uptime=" 0 day, 1 hour, 0 minutes, 0seconds"):
        self.conn = FakeConn()
        self.store = {"P89": "GXV3370", "P2": "admin-login-pw"}
        self.store.update(values or {})
        self.drop = set(drop)
        self.masks = masks
        self.uptime = uptime
        self.reads, self.posts, self.remembered, self.calls, self.said = [], [], [], [], []

    def phone_facts(self):  # a guide-dialect phone: the facts come from the values read
        return {}

    def get_values(self, names):
        self.reads.append(list(names))
        return {name: self._read(name) for name in names}

    def _read(self, name):
        if name in SECRETS:
            return MASKED if self.masks and self.store.get(name) else ""
        return self.store.get(name, "")

    def call(self, endpoint):
        self.calls.append(endpoint)
        return {"date": "Tue 08/30/2016", "time": " 11:30", "uptime": self.uptime}

    def progress(self, message):
        self.said.append(message)

    def post_values(self, values):
        self.posts.append(dict(values))
        self.store.update((name, value) for name, value in values.items() if name not in self.drop)

    def remember_password(self, new_password, retired_password):
        self.remembered.append((new_password, retired_password))


def run(client, values, check_mode=False, update_secrets="on_create", strict=False):
    return pvalues.run(client, {"values": values, "update_secrets": update_secrets, "strict": strict}, check_mode)


# ------------------------------------------------------------------------------------------- validation
def test_prepare_normalises_by_type_and_keeps_the_given_name():
    desired = pvalues.prepare({"account1.active": "yes", "P130": "TLS", "32": "060", "P9999": 7})
    assert [(d.given, d.entry.pname, d.value) for d in desired] == [
        ("account1.active", "P271", "1"), ("P130", "P130", "2"), ("32", "P32", "60"), ("P9999", "P9999", "7")]


def test_one_bad_value_names_its_field():
    with pytest.raises(ValidationError) as failure:
        pvalues.prepare({"account1.transport": "sctp"})
    assert failure.value.field == "values.account1.transport"
    assert failure.value.message == "values.account1.transport: must be one of udp(0), tcp(1), tls(2), got 'sctp'"


def test_all_problems_are_reported_together():
    with pytest.raises(ValidationError) as failure:
        pvalues.prepare({"account1.transport": "sctp", "device.mac": "x", "acount1.name": "x",
                         "account1.sip_server": "a", "P47": "b", "account1.register_expiration": 0,
                         "ntp.server": "ok.example.com"})
    message = failure.value.message
    assert message.startswith("5 invalid values: ")
    for part in ("values.account1.transport: must be one of", "values.device.mac: device.mac (P67) is read-only",
                 "values.acount1.name: ", "did you mean account1.name",
                 "values.P47: names the same P-value as values.account1.sip_server (account1.sip_server (P47))",
                 "values.account1.register_expiration: must be between 1 and 64800 minutes, got 0"):
        assert part in message
    assert failure.value.field == "values.account1.transport"


@pytest.mark.parametrize("other", ["P334", "334", "display.backlight_brightness", "LCD.BACKLIGHT.BRIGHTNESS.ACTIVE"])
def test_a_grandstream_alias_and_another_name_of_the_same_pvalue_are_refused_naming_both(other):
    with pytest.raises(ValidationError) as failure:
        pvalues.prepare({"lcd.backlight.brightness.active": "60", other: "60"})
    assert failure.value.field == "values.%s" % other
    assert failure.value.message == ("values.%s: names the same P-value as values.lcd.backlight.brightness.active "
                                     "(display.backlight_brightness (P334)); give it once" % other)


def test_a_value_given_by_grandstreams_name_is_written_by_number_and_named_by_our_alias():
    desired, = pvalues.prepare({"lcd.backlight.timeout": 0})
    assert (desired.entry.pname, desired.entry.key, desired.given, desired.value) == (
        "P1413", "display.backlight_timeout", "lcd.backlight.timeout", "0")


def test_strict_refuses_uncatalogued_pvalues():
    assert pvalues.prepare({"P9999": "x"})[0].entry.known is False
    with pytest.raises(ValidationError, match="values.P9999: P9999 is not in the catalog"):
        pvalues.prepare({"P9999": "x"}, strict=True)


def test_secret_values_never_appear_in_validation_errors():
    with pytest.raises(ValidationError) as failure:
        pvalues.prepare({"account1.password": "x" * 65 + "TOPSECRET", "wifi.key": "TOPSEC"})
    assert "TOPSEC" not in failure.value.message
    assert "values.account1.password: must be at most 64 characters" in failure.value.message


def test_nothing_is_requested_when_validation_fails():
    client = FakeClient()
    with pytest.raises(ValidationError):
        run(client, {"account1.transport": "sctp"})
    assert client.reads == [] and client.posts == []


def test_empty_values_make_no_request_and_the_task_reports_itself_skipped():
    client = FakeClient()
    assert run(client, {}) == {"changed": False, "skipped": True, "msg": pvalues.NOTHING_DESIRED, "before": {},
                               "after": {}, "changes": {}, "commands": [], "reboot_required": False,
                               "reboot_pending": False, "unverified": []}
    assert client.reads == []
    assert pvalues.needs_phone({"values": {}}) is False and pvalues.needs_phone({"values": {"P30": "x"}}) is True


# ------------------------------------------------------------------------------------------- diff and write
def test_apply_writes_only_changes_in_one_post_and_reads_them_back():
    client = FakeClient({"P47": "old.example.com", "P271": "1", "P130": "2", "P32": "60"})
    result = run(client, {"account1.sip_server": "pbx.example.com", "account1.active": True,
                          "account1.transport": "tls", "P32": 60})
    assert result["changed"] is True
    assert result["changes"] == {"account1.sip_server": {"pvalue": "P47", "before": "old.example.com",
                                                         "after": "pbx.example.com"}}
    assert result["before"] == {"account1.sip_server": "old.example.com", "account1.active": "1",
                                "account1.transport": "2", "account1.register_expiration": "60"}
    assert result["after"]["account1.sip_server"] == "pbx.example.com"
    assert result["diff"] == {"before": {"account1.sip_server": "old.example.com"},
                              "after": {"account1.sip_server": "pbx.example.com"}}
    assert result["reboot_required"] is False
    assert result["model"] == "GXV3370"
    assert client.posts == [{"P47": "pbx.example.com"}]
    assert client.reads == [["P47", "P271", "P130", "P32", "P89", "P68", "hw_rev"], ["P47"]]


def test_no_change_means_one_read_and_no_write():
    client = FakeClient({"P30": "pool.ntp.org", "P122": "1"})
    result = run(client, {"ntp.server": "pool.ntp.org", "time.format": "24h"})
    assert result["changed"] is False and "diff" not in result and result["changes"] == {}
    assert len(client.reads) == 1 and client.posts == []


def test_check_mode_reads_but_never_writes():
    client = FakeClient({"P1650": "0"})
    result = run(client, {"web.access_mode": "http"}, check_mode=True)
    assert result["changed"] is True and result["reboot_required"] is True
    assert result["changes"]["web.access_mode"] == {"pvalue": "P1650", "before": "0", "after": "1"}
    assert client.posts == [] and len(client.reads) == 1


def test_uncatalogued_names_are_keyed_by_pnumber():
    client = FakeClient({"P9999": "a"})
    result = run(client, {"9999": "b"})
    assert result["changes"] == {"P9999": {"pvalue": "P9999", "before": "a", "after": "b"}}


def test_dropped_write_fails_naming_alias_and_pnumber():
    client = FakeClient({"P47": "", "P30": ""}, drop={"P47"})
    with pytest.raises(PhoneError) as failure:
        run(client, {"account1.sip_server": "pbx.example.com", "ntp.server": "ntp.example.com",
                     "account1.transport": "tcp"})
    error = failure.value
    assert error.kind == "not_applied" and error.host == "phone1:80"
    assert error.details["not_applied"] == ["account1.sip_server (P47)"]
    assert error.details["applied"] == ["ntp.server (P30)", "account1.transport (P130)"]
    assert error.details["reboot_required"] is True
    assert "1 of 3 written value(s) did not stick" in error.message and "account1.sip_server (P47)" in error.message


def test_model_mismatch_is_refused_before_any_write():
    client = FakeClient({"P89": "GXV3370"})
    with pytest.raises(ValidationError) as failure:
        run(client, {"wifi.key": "abcdefgh", "account3.name": "x"})
    assert "values.wifi.key: wifi.key (P8404) is not available on a GXV3370 (catalogued for WP820)" \
        in failure.value.message
    assert client.posts == []
    wp820 = FakeClient({"P89": "WP820"})
    with pytest.raises(ValidationError, match="values.account3.name: account3.name .P517. is not available on a WP820"):
        run(wp820, {"account3.name": "x"})


def test_unknown_model_is_trusted():
    client = FakeClient({"P89": ""})
    result = run(client, {"wifi.key": "abcdefgh"}, update_secrets="always")
    assert result["changed"] is True and "model" not in result


# ------------------------------------------------------------------------------------------- secrets
def test_on_create_writes_the_password_of_a_new_account():
    client = FakeClient({"P35": ""})
    result = run(client, {"account1.sip_user_id": "1001", "account1.password": "s3cret-pw"})
    assert result["changes"]["account1.password"] == {"pvalue": "P34", "before": "********", "after": "********",
                                                      "secret": True,
                                                      "reason": "written again because account1.sip_user_id changes"}
    # This phone reads every secret back empty: written, but never reported as verified.
    assert result["diff"]["after"]["account1.password"] == "******** (written, unverified)"
    assert result["unverified"] == ["account1.password (P34)"]
    assert result["warnings"] == ["account1.password (P34) written but not verified: this phone reads secrets "
                                  "back empty whether they are set or not"]
    assert client.posts == [{"P35": "1001", "P34": "s3cret-pw"}]
    assert client.reads[-1] == ["P35"]  # a secret is not read back where the phone shows nothing of it


def test_on_create_leaves_the_password_of_an_existing_account_alone():
    client = FakeClient({"P35": "1001", "P47": "pbx"})
    result = run(client, {"account1.sip_user_id": "1001", "account1.sip_server": "pbx", "account1.password": "pw"})
    assert result["changed"] is False and client.posts == []
    assert result["before"]["account1.password"] == result["after"]["account1.password"] == "********"
    assert "warnings" not in result
    assert result["unverified"] == ["account1.password (P34)"]  # the phone cannot show it is set


def test_on_create_reads_the_anchor_even_when_it_is_not_managed():
    client = FakeClient({"P404": "2002"})
    result = run(client, {"account2.password": "pw"})
    assert result["changed"] is False
    assert client.reads == [["P406", "P404", "P2", "P89", "P68", "hw_rev"]]


def test_on_create_renews_the_password_when_the_identity_changes():
    client = FakeClient({"P35": "1001", "P47": "old-pbx"})
    result = run(client, {"account1.sip_server": "new-pbx", "account1.password": "pw"})
    assert set(result["changes"]) == {"account1.sip_server", "account1.password"}
    assert client.posts == [{"P47": "new-pbx", "P34": "pw"}]


def test_always_writes_every_secret_every_run():
    client = FakeClient({"P35": "1001"})
    for _run in range(2):
        result = run(client, {"account1.password": "pw", "provisioning.xml_config_password": "x"},
                     update_secrets="always")
        assert result["changed"] is True
    assert client.posts == [{"P34": "pw", "P1359": "x"}] * 2


def test_on_create_warns_about_secrets_it_can_never_write():
    client = FakeClient({"P89": "WP820"})
    result = run(client, {"wifi.key": "abcdefgh", "provisioning.xml_config_password": "x",
                          "admin_password": "new-admin-pw"})
    assert result["changed"] is False and client.posts == []
    assert len(result["warnings"]) == 3
    assert len(result["unverified"]) == 3
    assert any("admin_password (P2) was not written" in w and "gs_password" in w for w in result["warnings"])
    assert any("provisioning.config_server_path changes" in w for w in result["warnings"])


def test_xml_password_is_renewed_with_its_config_path():
    client = FakeClient({"P237": "fm.grandstream.com/gs"})
    result = run(client, {"provisioning.config_server_path": "fm.example.com/cfg",
                          "provisioning.xml_config_password": "x"})
    assert result["warnings"] == ["provisioning.xml_config_password (P1359) written but not verified: this phone "
                                  "reads secrets back empty whether they are set or not"]
    assert client.posts == [{"P237": "fm.example.com/cfg", "P1359": "x"}]


# ------------------------------------------------------------------------------------------- secrets the phone shows
def test_on_create_decides_on_the_secrets_own_state_where_the_phone_shows_it():
    # The account has a SIP user ID but no password: the sibling would say "exists", the secret says "unset".
    client = FakeClient({"P35": "1001"}, masks=True)
    result = run(client, {"account1.sip_user_id": "1001", "account1.password": "pw"})
    assert client.posts == [{"P34": "pw"}]
    assert result["unverified"] == [] and "warnings" not in result
    assert result["diff"]["after"]["account1.password"] == "******** (written)"
    assert client.reads[-1] == ["P34"]  # read back: it must now show as set
    # Set now: on_create leaves it alone, and nothing is unverified.
    again = run(client, {"account1.sip_user_id": "1001", "account1.password": "other"})
    assert again["changed"] is False and again["unverified"] == [] and len(client.posts) == 1
    # A password set by hand before the account's user ID: its own state wins over the empty sibling.
    by_hand = FakeClient({"P35": "", "P34": "set-by-hand"}, masks=True)
    assert run(by_hand, {"account1.password": "pw"})["changed"] is False and by_hand.posts == []


def test_a_dropped_secret_fails_as_not_applied_and_is_never_listed_as_applied():
    client = FakeClient({"P35": "1001"}, drop={"P34"}, masks=True)
    for attempt in range(2):  # the next run tries again: the secret still reads back unset
        with pytest.raises(PhoneError) as failure:
            run(client, {"account1.sip_user_id": "1001", "account1.password": "pw", "ntp.server": "ntp.test"})
        error = failure.value
        assert error.kind == "not_applied" and "account1.password (P34)" in error.message
        assert error.details["not_applied"] == ["account1.password (P34)"]
        assert error.details["changed"] is True  # the write reached the phone
        assert "account1.password (P34)" not in error.details["applied"]
        assert "pw" not in json.dumps(error.details) + error.message
    assert client.posts == [{"P30": "ntp.test", "P34": "pw"}, {"P34": "pw"}]
    # Check mode (the drift check) sees the missing secret as a change.
    assert run(client, {"account1.password": "pw"}, check_mode=True)["changes"]["account1.password"]["secret"]


def test_a_secret_written_over_a_set_one_is_unverified():
    client = FakeClient({"P34": "old"}, masks=True)
    result = run(client, {"account1.password": "new"}, update_secrets="always")
    assert result["changed"] is True and result["unverified"] == ["account1.password (P34)"]
    assert result["diff"]["after"]["account1.password"] == "******** (written, unverified)"
    assert result["warnings"] == ["account1.password (P34) written but not verified: the phone shows only that "
                                  "a value is set, not which"]


def test_clearing_a_secret_is_verified_as_unset():
    client = FakeClient({"P34": "old"}, masks=True)
    result = run(client, {"account1.password": ""})
    assert client.posts == [{"P34": ""}] and result["unverified"] == []
    dropped = FakeClient({"P34": "old"}, drop={"P34"}, masks=True)
    with pytest.raises(PhoneError, match="did not stick"):
        run(dropped, {"account1.password": ""})


# ------------------------------------------------------------------------------------------- pending reboots
def marker_files(cache):
    directory = cache / "reboot-pending"
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def test_a_reboot_needing_write_leaves_a_marker_the_next_run_reports(private_cache):
    client = FakeClient({"P130": "0"})
    first = run(client, {"account1.transport": "tls", "ntp.server": "ntp.test"})
    assert first["reboot_required"] is True and first["reboot_pending"] is True
    assert first["reboot_pending_values"] == ["account1.transport (P130)"] and "warnings" not in first
    assert len(marker_files(private_cache)) == 1
    marker = (private_cache / "reboot-pending" / marker_files(private_cache)[0])
    assert oct(marker.stat().st_mode & 0o777) == "0o600"
    assert oct(marker.parent.stat().st_mode & 0o777) == "0o700"
    # Nothing differs any more, yet the phone has not rebooted (uptime one hour): still pending.
    for check_mode in (True, False):
        again = run(client, {"account1.transport": "tls", "ntp.server": "ntp.test"}, check_mode=check_mode)
        assert again["changed"] is False and again["changes"] == {}
        assert again["reboot_pending"] is True and again["reboot_required"] is True
        assert "reboot pending since" in again["warnings"][0] and "account1.transport (P130)" in again["warnings"][0]
    assert client.calls == ["api-get_time", "api-get_time"]  # only while a marker exists
    assert len(client.posts) == 1


def test_the_marker_is_written_before_the_value_is_sent(private_cache):
    class LostWrite(FakeClient):
        def post_values(self, values):
            raise PhoneError("connection reset by the phone", host=self.conn.label, kind="connection")

    with pytest.raises(PhoneError):
        run(LostWrite({"P130": "0"}), {"account1.transport": "tls"})
    assert len(marker_files(private_cache)) == 1


def test_a_dropped_reboot_value_leaves_no_marker(private_cache):
    with pytest.raises(PhoneError, match="did not stick"):
        run(FakeClient({"P130": "0"}, drop={"P130"}), {"account1.transport": "tls"})
    assert marker_files(private_cache) == []


def test_a_phone_that_booted_after_the_write_has_no_reboot_pending(private_cache):
    client = FakeClient({"P130": "0"})
    run(client, {"account1.transport": "tls"})
    path = private_cache / "reboot-pending" / marker_files(private_cache)[0]
    marker = json.loads(path.read_text())
    marker["last_write_at"] -= 7200  # written two hours ago
    path.write_text(json.dumps(marker))
    client.uptime = " 0 days, 2 hours, 30 minutes, 0seconds"  # up since before the write: still pending
    assert run(client, {"account1.transport": "tls"}, check_mode=True)["reboot_pending"] is True
    client.uptime = " 0 days, 0 hours, 1 minute, 5seconds"  # booted since the write (a power cycle by hand)
    checked = run(client, {"account1.transport": "tls"}, check_mode=True)
    assert checked["reboot_pending"] is False and checked["reboot_required"] is False
    assert len(marker_files(private_cache)) == 1  # check mode changes nothing, not even the controller's memory
    applied = run(client, {"account1.transport": "tls"})
    assert applied["reboot_pending"] is False and applied["changed"] is False
    assert marker_files(private_cache) == []
    assert any("booted after the reboot-needing write" in message for message in client.said)


def test_a_phone_without_uptime_keeps_the_reboot_pending(private_cache):
    class NoClock(FakeClient):
        def call(self, endpoint):
            raise PhoneError("HTTP 404 for api-get_time", host=self.conn.label, kind="http")

    client = NoClock({"P130": "0"})
    run(client, {"account1.transport": "tls"})
    assert run(client, {"account1.transport": "tls"})["reboot_pending"] is True


def test_writing_the_connection_users_own_password_keeps_the_session_usable():
    client = FakeClient()
    run(client, {"admin_password": "next-admin-pw", "user_password": "user-pw"}, update_secrets="always")
    assert client.remembered == [("next-admin-pw", "admin-login-pw")]


def test_secrets_never_leave_the_engine():
    client = FakeClient({"P35": ""}, drop={"P35"})
    params = {"account1.sip_user_id": "1001", "account1.password": "TOPSECRET-1", "P2": "TOPSECRET-2"}
    with pytest.raises(PhoneError) as failure:
        run(client, params, update_secrets="always")
    assert "TOPSECRET" not in str(failure.value) + json.dumps(failure.value.details)
    check = run(FakeClient({"P35": ""}), params, check_mode=True, update_secrets="always")
    assert "TOPSECRET" not in json.dumps(check)
    assert pvalues.ENGINE.secret_values({"values": params}) == {"TOPSECRET-1", "TOPSECRET-2"}


def test_secret_values_ignores_names_it_cannot_resolve():
    values = {"nonsense": "x", "P47": "pbx", "account2.password": 1234}
    assert pvalues.ENGINE.secret_values({"values": values}) == {"1234"}


def test_the_fake_phones_secret_list_is_the_catalogs():
    assert SECRETS == {entry.pname for entry in catalog.ENTRIES if entry.secret}


def test_commands_show_the_one_write_with_secrets_masked():
    client = FakeClient({"P34": ""})
    result = run(client, {"ntp.server": "ntp.example.com", "account1.password": "TOPSECRET-9"}, check_mode=True)
    assert result["commands"] == ["set P30=ntp.example.com, P34=********"]
    assert client.posts == [] and "TOPSECRET" not in json.dumps(result)
    again = run(FakeClient({"P30": "ntp.example.com"}), {"ntp.server": "ntp.example.com"})
    assert again["changed"] is False and again["commands"] == []
