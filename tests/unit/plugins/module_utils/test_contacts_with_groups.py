"""gs_contacts with groups (contacts_with_groups.py): groups and contacts in one run, over an in-memory phone."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import contacts, contacts_with_groups
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError

from .phonebook_fake import JACK, FakePhone, params, phone_with_sales


@pytest.fixture
def phone():
    return phone_with_sales()


def test_group_add_lost_after_acting_makes_no_second_group(phone):
    phone.lose = {1: ("connection", "after")}
    result = contacts_with_groups.run(phone, dict(params(config=[dict(JACK, group="Support")]), groups=[
        {"name": "Support"}], groups_state="merged"), check_mode=False)
    assert [name for unused_id, name in phone.groups] == ["default", "blacklist", "Sales", "Support"]
    assert [(c["first"], c["group"]) for c in phone.contacts] == [("Jack", 2)]
    assert result["commands"][0] == "add_group name=Support"


def both(config, group_config, state="merged", groups_state="merged"):
    return {"state": state, "config": config, "groups": group_config, "groups_state": groups_state}


def test_groups_and_contacts_in_one_run_check_mode_plans_both_without_warnings():
    phone = FakePhone()
    result = contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}, {"name": "Support"}]), True)
    assert result["commands"] == ["add_group name=Sales", "add_group name=Support",
                                  "save_contact first_name=Jack last_name=Brown group=Sales work=123"]
    assert result["groups"]["commands"] == result["commands"][:2]
    assert result["groups"]["after"][-2:] == [{"name": "Sales"}, {"name": "Support"}]
    assert result["after"] == [dict(JACK)] and "warnings" not in result
    assert [part["before_header"] for part in result["diff"]] == ["groups", "contacts"]
    assert phone.writes() == []


def test_groups_and_contacts_apply_then_cost_two_reads():
    phone = FakePhone()
    first = contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}]), False)
    assert first["changed"] and first["after"] == [dict(JACK)]
    assert phone.contacts[0]["group"] == next(gid for gid, name in phone.groups if name == "Sales")
    phone.calls = []
    again = contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}]), False)
    assert not again["changed"] and again["commands"] == [] and "diff" not in again
    assert [name for name, unused_params in phone.calls] == ["api-get_contacts", "phonebook_download"]


def test_a_contact_in_a_group_overridden_away_fails_before_any_write(phone):
    contacts.run(phone, params(config=[JACK]), False)
    phone.calls = []
    with pytest.raises(ValidationError) as caught:
        contacts_with_groups.run(phone, both([JACK], [{"name": "Support"}], groups_state="overridden"), False)
    assert caught.value.field == "config[0].group" and "'Sales'" in str(caught.value)
    assert phone.writes() == []


def test_check_mode_predicts_contacts_of_a_deleted_group_moving_to_default(phone):
    contacts.run(phone, params(config=[JACK]), False)
    planned = contacts_with_groups.run(phone, both([], [{"name": "Sales"}], groups_state="deleted"), True)
    assert planned["commands"] == ["delete_group id=1 name=Sales"]
    assert planned["before"] == [dict(JACK)] and planned["after"] == [dict(JACK, group="default")]
    applied = contacts_with_groups.run(phone, both([], [{"name": "Sales"}], groups_state="deleted"), False)
    assert applied["after"] == planned["after"] == [dict(JACK, group="default")]


def test_a_renamed_group_keeps_its_contacts_without_contact_calls(phone):
    contacts.run(phone, params(config=[JACK]), False)
    renamed = dict(JACK, group="Field Sales")
    rename = [{"name": "Field Sales", "old_name": "Sales"}]
    planned = contacts_with_groups.run(phone, both([renamed], rename), True)
    assert planned["commands"] == ["rename_group id=1 old_name=Sales name='Field Sales'"]
    applied = contacts_with_groups.run(phone, both([renamed], rename), False)
    assert applied["commands"] == planned["commands"] and applied["after"] == [renamed]


def test_a_contact_failure_after_group_changes_lists_both_as_applied():
    phone = FakePhone()
    phone.fail_on = ("api-save_edit_contact", 1)
    with pytest.raises(PhoneError) as caught:
        contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}]), False)
    assert caught.value.details["applied"] == ["add_group name=Sales"]
    assert "the group changes before it were applied: add_group name=Sales" in str(caught.value)


@pytest.mark.parametrize("run_params, field", [
    (both(None, [{"name": "Sales"}], state="gathered"), "groups"),
    (both([JACK], [{"name": "default"}], groups_state="deleted"), "groups[0].name"),
    (both([JACK], [{"name": "Sales"}, {"name": "Sales"}]), "groups[1].name"),
])
def test_bad_group_input_is_refused_before_any_request(run_params, field):
    phone = FakePhone()
    with pytest.raises(ValidationError) as caught:
        contacts_with_groups.run(phone, run_params, False)
    assert caught.value.field == field
    assert phone.calls == []


def test_without_groups_it_is_plain_gs_contacts(phone):
    result = contacts_with_groups.run(phone, dict(params(config=[JACK]), groups=None, groups_state="merged"), True)
    assert "groups" not in result and result["commands"] == [
        "save_contact first_name=Jack last_name=Brown group=Sales work=123"]
