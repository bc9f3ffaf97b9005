"""gs_health's engine against a phone-like fake: what is a problem, and how many requests it costs."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import health
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError


class Conn:
    label = "127.0.0.1:1"


class Phone:
    def __init__(self, accounts=None, values=None, error=None):
        self.conn = Conn()
        self.accounts = accounts if accounts is not None else []
        self.values = values or {}
        self.error = error
        self.requests = []

    def call(self, endpoint):
        self.requests.append(endpoint)
        if self.error:
            raise self.error
        return {"response": "success", "body": self.accounts}

    def phone_facts(self):  # a guide-dialect phone: the facts come from the values read
        return {}

    def get_values(self, names):
        self.requests.append("api-values.get")
        return {name: self.values.get(name, "") for name in names}


def params(**options):
    base = {"accounts": True, "accounts_expected": None, "firmware": None, "reported": None, "reboot_pending": False}
    base.update(options)
    return base


def test_configured_unregistered_accounts_are_problems_unconfigured_ones_are_not():
    phone = Phone([{"id": "1", "sip_server": "pbx", "sip_id": "10", "reg": 0},
                   {"id": 2, "sip_server": "", "sip_id": "", "reg": 0},
                   {"id": 3, "sip_server": "pbx", "sip_id": "30", "reg": 1}])
    result = health.run(phone, params(), check_mode=True)
    assert result["problems"] == ["account 1 (10@pbx) is not registered"] and result["healthy"] is False
    assert [account["id"] for account in result["accounts"]] == [1, 2, 3]
    assert phone.requests == ["api-get_accounts"]


def test_firmware_from_reported_costs_no_request_and_ahead_is_no_problem():
    phone = Phone()
    result = health.run(phone, params(accounts=False, firmware={"GXV3370": "1.0.3.48"},
                                      reported={"version": "1.0.4.1", "model": "GXV3370"}), check_mode=True)
    assert result["firmware"]["status"] == "ahead" and result["healthy"] is True and phone.requests == []


def test_a_model_missing_from_the_map_is_a_problem():
    phone = Phone(values={"P68": "1.2.7.6", "P89": "WP820"})
    result = health.run(phone, params(accounts=False, firmware={"GXV3370": "1.0.3.48"}), check_mode=True)
    assert result["problems"] == ["firmware: model 'WP820' is not in the desired firmware map"]
    assert phone.requests == ["api-values.get"]


def test_an_unreachable_phone_is_a_problem_and_other_errors_fail():
    down = Phone(error=PhoneError("connection refused", kind="connection"))
    result = health.run(down, params(), check_mode=True)
    assert result["reachable"] is False and result["problems"] == ["unreachable: connection refused"]
    locked = Phone(error=PhoneError("locked", kind="locked"))
    with pytest.raises(PhoneError):
        health.run(locked, params(), check_mode=True)


def test_a_reported_firmware_without_a_version_is_an_unknown_version_not_a_crash():
    phone = Phone()
    result = health.run(phone, params(accounts=False, firmware={"GXV3370": "1.0.3.48"}, reported={"model": "GXV3370"}),
                        check_mode=True)
    assert result["firmware"]["status"] == "unknown" and phone.requests == []
    assert result["problems"] == ["firmware: the phone reports '' as its firmware, not a dotted version"]


def test_a_bad_firmware_map_is_refused_before_any_request():
    phone = Phone()
    with pytest.raises(ValidationError) as caught:
        health.run(phone, params(firmware={"GXV3370": {"version": "1.x"}}), check_mode=True)
    assert caught.value.field == "firmware.GXV3370.version" and phone.requests == []
