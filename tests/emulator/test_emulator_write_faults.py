"""The write faults of the control API: resets limited to writes, and a phone that goes away after a write."""

from __future__ import annotations

import pytest
import requests

from tests.helpers.emulator_proc import EmulatorError
from tests.helpers.phone_http import forms_login


def test_reset_on_writes_spares_reads(fresh_phones):
    admin = forms_login(fresh_phones, 0)
    fresh_phones.faults(0, {"reset_rate": 1.0, "reset_on": "writes"})
    assert admin.get(fresh_phones.url(0, "api-get_groups")).status_code == 200
    with pytest.raises(requests.ConnectionError):
        admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "never.example"})
    assert fresh_phones.state(0)["pvalues"]["P30"] == "pool.ntp.org"  # reset before it was handled


def test_reset_after_writes_applies_the_write_then_resets_everything(fresh_phones):
    admin = forms_login(fresh_phones, 0)
    fresh_phones.faults(0, {"reset_after_writes": 1})
    assert admin.get(fresh_phones.url(0, "api-get_groups")).status_code == 200  # reads before the write are fine
    answer = admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "applied.example"})
    assert answer.json()["body"] == {"status": "right"}
    with pytest.raises(requests.ConnectionError):
        admin.get(fresh_phones.url(0, "api.values.get"), params={"request": "P30"})
    assert fresh_phones.state(0)["pvalues"]["P30"] == "applied.example"
    fresh_phones.faults(0, {})
    assert forms_login(fresh_phones, 0).get(fresh_phones.url(0, "api-get_groups")).status_code == 200


@pytest.mark.parametrize("body", [{"reset_on": "reads"}, {"reset_after_writes": -1}, {"reset_after_writes": True}])
def test_bad_write_faults_are_refused(fresh_phones, body):
    with pytest.raises(EmulatorError, match="HTTP 400"):
        fresh_phones.faults(0, body)
