"""The pure mappings of the firmware dialects (no phone): what each answer shape means to the engines."""

import hashlib

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import dialects
from ansible_collections.grandstream.phone.plugins.module_utils.client import _journal_fields
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_current import (
    CurrentDialect, aliases_by_key, challenge_answer, configs_by_key)
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_guide import GuideDialect


class Answer:
    def __init__(self, status, text):
        self.status_code = status
        self.text = text


def test_the_challenge_answer_is_the_hex_sha256_of_password_and_nonce():
    assert challenge_answer("admin", "n0nce") == hashlib.sha256(b"adminn0nce").hexdigest()
    assert challenge_answer("admin", "n0nce") != challenge_answer("admin", "other")


def test_an_entry_with_empty_alias_and_value_is_unknown_but_an_empty_setting_with_an_alias_is_empty():
    answer = {"configs": [{"alias": "", "pvalue": "22234", "value": ""},
                          {"alias": "network.ntp.server", "pvalue": "30", "value": ""},
                          {"alias": "", "pvalue": ":dnd", "value": "0"},
                          {"alias": "lcd.backlight.timeout", "pvalue": "1413", "value": 0}]}
    assert configs_by_key(answer) == {"30": "", ":dnd": "0", "1413": "0"}
    # Only a non-empty alias names the value: "" is a key the phone lacks or a runtime value.
    assert aliases_by_key(answer) == {"30": "network.ntp.server", "1413": "lcd.backlight.timeout"}


@pytest.mark.parametrize("answer", [{}, {"configs": "nope"}, {"response": "success", "body": "x"}])
def test_an_answer_without_a_configs_list_is_refused(answer):
    with pytest.raises(ValueError):
        configs_by_key(answer)


@pytest.mark.parametrize("status, text, expected", [
    (200, '{"model": "WP826", "vendor_name": "Grandstream", "defines": {}}', {"model": "WP826",
                                                                              "vendor": "Grandstream"}),
    (200, '{"model": "WP826", "defines": {}, "pvalue_json_checksum": "ab"}', {"model": "WP826"}),
    (404, "<html>Not Found</html>", None),
    (200, "<html>a login page</html>", None),
    (200, '{"model": ""}', None),
    (200, "[1, 2]", None),
    (401, '{"model": "WP826"}', None),
])
def test_model_define_decides_the_dialect(status, text, expected):
    assert dialects.parse_model_define(Answer(status, text)) == expected


def test_status_requests_are_shaped_as_the_captures_show_only_on_current_firmware():
    current, guide = CurrentDialect(), GuideDialect()
    assert current.shape("api-get_line_status", "GET", None, None) == ("POST", None, {"line": "-1"})
    assert current.shape("api-get_line_status", "GET", {"line": 2}, None) == ("POST", None, {"line": 2})
    assert current.shape("api-get_phone_status", "GET", None, None) == ("POST", None, {})
    assert current.shape("api-get_accounts", "GET", None, None) == ("GET", None, None)
    assert guide.shape("api-get_line_status", "GET", None, None) == ("GET", None, None)


def test_facts_keep_only_known_non_empty_texts():
    assert dialects.clean_facts({"firmware": " 1.0.3.35 ", "mac": "", "model": None, "sid": "x"}) == {
        "firmware": "1.0.3.35"}
    assert CurrentDialect().login_facts({"ver": "1.0.3.35", "mac": "00:0B:82:12:34:56", "role": "f" * 64}) == {
        "firmware": "1.0.3.35", "mac": "00:0B:82:12:34:56"}
    assert GuideDialect().login_facts({"sid": "x", "role": "admin"}) == {}


def test_a_json_write_is_journaled_by_p_names_and_aliases_never_values():
    fields = _journal_fields({"alias": {"lcd.backlight.timeout": "s3cret"}, "pvalue": {"334": "60", ":dnd": "1"}})
    assert sorted(fields) == [":dnd", "P334", "lcd.backlight.timeout"]


def test_an_unknown_dialect_name_is_refused():
    with pytest.raises(ValueError):
        dialects.for_name("2019")
