"""gs_validate's messages: the modules' words, every stage at once, the variable named as the user wrote it."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import vars_validation
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

DIALABLE = "is not a dialable number (digits, a leading +, *, #, spaces, - and parentheses)"
GROUPS = [{"name": "Sales"}]


def problems(**variables):
    return vars_validation.validation_errors(variables)


def test_a_contact_number_is_worded_as_gs_contacts_words_it_not_as_a_regular_expression():
    found = problems(phone_host_contacts=[{"first_name": "Yan", "work": "sip:yan@pbx"}])
    assert found == ["phone_host_contacts[0].work: 'sip:yan@pbx' %s" % DIALABLE]


def test_an_unknown_variable_gets_its_likely_meaning_and_no_top_placeholder():
    assert problems(phone_contactz=[]) == ["phone_contactz: unknown variable (did you mean phone_contacts?)"]
    assert problems(phone_zzz=1) == ["phone_zzz: unknown variable"]
    assert problems(phone_contacts=[{"first_name": "A", "emial": "a@b.test"}]) == [
        "phone_contacts[0].emial: unknown field (did you mean email?)"]
    assert not any("(top)" in line for line in problems(phone_contactz=[], gs_port="x"))


def test_every_stage_is_reported_together():
    found = problems(gs_port=0, phone_groups_state="present", phone_pvalues={"time.format": "25h"},
                     phone_contacts=[{"first_name": "", "email": "nope"}])
    assert found == [
        "gs_port: must be at least 1, got 0",
        "phone_groups_state: must be one of merged, overridden, deleted, got 'present'",
        "phone_contacts[0].first_name must not be empty",
        "phone_contacts[0].email: 'nope' is not an email address",
        "phone_pvalues.time.format: must be one of 12h(0), 24h(1), got '25h'",
    ]


def test_schema_words_for_types_and_patterns():
    assert problems(phone_reboot_on_change="yes") == ["phone_reboot_on_change: must be true or false, got text"]
    assert problems(phone_mac="zz") == [
        "phone_mac: 'zz' is not a MAC address (six pairs of hex digits, : or - between them)"]
    assert problems(phone_contacts=[{"last_name": "Roth"}]) == ["phone_contacts[0].first_name is required"]


def test_a_password_is_never_quoted():
    found = problems(phone_admin_password="Bad Secret 7f3")
    assert found == ["phone_admin_password: the value (not shown) contains white space, which a phone password "
                     "cannot hold"]


def test_a_contacts_group_must_be_declared_or_built_in():
    contacts = [{"first_name": "N%d" % i, "group": "Sales"} for i in range(20)]
    contacts.append({"first_name": "Rita", "group": "Support"})
    contacts.append({"first_name": "Bob", "group": "blacklist"})
    found = problems(phone_groups=GROUPS, phone_contacts=contacts)
    assert found == ["phone_contacts[20].group: group 'Support' is neither in phone_groups nor built in (blacklist, "
                     "default): add it to phone_groups"]
    assert problems(phone_groups=GROUPS, phone_host_groups=[{"name": "Support"}], phone_contacts=contacts) == []
    assert problems(phone_groups=GROUPS, phone_groups_state="deleted", phone_contacts=contacts[:1]) == [
        "phone_contacts[0].group: group 'Sales' is deleted by phone_groups_state: deleted"]
    assert problems(phone_contacts=contacts[20:21], phone_contacts_state="deleted") == []


def run_hosts(data, check_mode, report_per_host=True, sources=None):
    params = {"data": data, "hosts": list(data), "schema": None, "name": "vars", "report_per_host": report_per_host,
              "sources": sources}
    return vars_validation.run(None, params, check_mode)


def test_check_mode_stops_only_the_invalid_host_an_apply_run_every_host():
    data = {"desk01": {"gs_port": 80}, "desk02": {"gs_port": 0}}
    checked = run_hosts(data, check_mode=True)
    assert checked["stopped"] == {"desk02": "1 problem(s) in the variables of this phone, so it was not checked: "
                                            "gs_port: must be at least 1, got 0"}
    assert checked["validated_hosts"] == ["desk01"] and checked["changed"] is False
    applied = run_hosts(data, check_mode=False)
    assert applied["stopped_hosts"] == ["desk01", "desk02"]
    assert applied["stopped"]["desk01"].startswith(
        "stopped before any phone was touched: the variables of desk02 are invalid")
    assert applied["stopped"]["desk02"].startswith("1 problem(s) in the variables of this phone, so nothing was sent")


def test_without_report_per_host_the_one_task_fails_for_the_batch():
    with pytest.raises(ValidationError) as raised:
        run_hosts({"desk01": {}, "desk02": {"gs_port": 0}}, check_mode=True, report_per_host=False)
    assert raised.value.details["stopped_hosts"] == ["desk01", "desk02"]
    assert "desk02: gs_port: must be at least 1, got 0" in raised.value.message


def test_a_shared_variable_is_named_with_where_it_was_set():
    bad = {"phone_pvalues": {"time.format": "25h"}}
    data = {"desk01": dict(bad), "desk02": dict(bad), "desk03": {"gs_port": 0}}
    sources = {"desk01": {"phone_pvalues": "group_vars/phones.yml:2"},
               "desk02": {"phone_pvalues": "group_vars/phones.yml:2"}, "desk03": {"gs_port": "host_vars/desk03.yml:1"}}
    result = run_hosts(data, check_mode=True, sources=sources)
    assert result["problems"]["desk01"] == ["phone_pvalues.time.format: must be one of 12h(0), 24h(1), got '25h' "
                                            "(a shared variable, set in group_vars/phones.yml:2: the same problem on "
                                            "2 phones)"]
    assert result["problems"]["desk03"] == ["gs_port: must be at least 1, got 0 (set in host_vars/desk03.yml:1)"]


def test_named_and_model_layers_are_checked_like_phone_pvalues_and_a_secret_is_never_quoted():
    secret = "x" * 80  # too long for a SIP password
    found = problems(phone_pvalues_layers=["phone_layer_sales"],
                     phone_layer_sales={"ntp.servr": "a.test", "account1.password": secret},
                     phone_model_pvalues={"GXV3370": {"time.format": "25h"}})
    assert any(line.startswith("phone_layer_sales.ntp.servr: ") and "ntp.server" in line for line in found)
    assert any(line.startswith("phone_layer_sales.account1.password") for line in found)
    assert any(line.startswith("phone_model_pvalues.GXV3370.time.format: ") for line in found)
    assert not any(secret in line for line in found)
    assert vars_validation.secret_values({"data": {"phone_layer_sales": {"account1.password": secret},
                                                   "phone_model_pvalues": {"WP820": {"P34": "pw-of-wp"}}}}) == [
        secret, "pw-of-wp"]


def test_a_layer_name_must_be_a_layer_variable_and_a_listed_layer_a_phone_lacks_is_fine():
    assert problems(phone_pvalues_layers=["sales"]) == [
        "phone_pvalues_layers[0]: 'sales' is not a layer variable name (phone_layer_<name>: lower-case letters, "
        "digits, _)"]
    assert problems(phone_pvalues_layers=["phone_layer_sales", "phone_layer_floor2"],
                    phone_layer_floor2={"time.format": "24h"}) == []
