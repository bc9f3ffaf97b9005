"""gs_contacts: validation messages and the command plan of every state, without a phone."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import contacts
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupDirectory
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import (
    Record, Snapshot, changed_entries, plan, predict)

RESOURCE = ContactResource()
GROUPS = [(0, "default"), (100, "blacklist"), (1, "Sales"), (2, "Support")]
FIELDS = ("work", "home", "mobile", "fax", "email")


def contact(first, last="", group="default", **values):
    data = {"first_name": first, "last_name": last, "group": group}
    data.update({field: values.get(field, "") for field in FIELDS})
    return data


def phone(*records):
    """A snapshot of (id, contact) pairs with GROUPS."""
    ids = dict((name, group_id) for group_id, name in GROUPS)
    context = {"groups": GroupDirectory.complete(GROUPS), "group_of": {cid: ids.get(data["group"]) for cid, data in records}}
    return Snapshot([Record(cid, data) for cid, data in records], context)


def run_plan(state, config, snapshot, check_mode=False):
    desired = RESOURCE.validate(config, state) if config is not None else None
    warnings = RESOURCE.check_references(desired or [], snapshot, check_mode) if state != "deleted" else []
    operations = plan(RESOURCE, state, desired, snapshot)
    return operations, warnings


def commands(state, config, snapshot):
    return [operation.command for operation in run_plan(state, config, snapshot)[0]]


JACK = (3, contact("Jack", "Brown", "Sales", work="123", email="jack@example.com"))
MARY = (4, contact("Mary", "Ann Smith", mobile="555"))


def test_merged_changes_only_the_given_fields_and_keeps_the_id():
    operations, unused_after = run_plan("merged", [{"first_name": "Jack", "last_name": "Brown", "home": "999"}], phone(JACK))
    assert [o.command for o in operations] == [
        "save_contact id=3 first_name=Jack last_name=Brown group=Sales work=123 home=999 email=jack@example.com"]
    assert operations[0].params == {"id": 3, "firstname": "Jack", "lastname": "Brown", "group": 1,
                                    "newphone1": "123", "newphone2": "999", "newphone3": "", "newphone4": "",
                                    "email": "jack@example.com"}


def test_merged_is_a_no_op_when_everything_matches():
    assert commands("merged", [{"first_name": "Jack", "last_name": "Brown", "work": " 123 "}], phone(JACK)) == []


def test_merged_can_clear_a_field_with_an_empty_string():
    assert commands("merged", [{"first_name": "Jack", "last_name": "Brown", "email": ""}], phone(JACK)) == [
        "save_contact id=3 first_name=Jack last_name=Brown group=Sales work=123 email=''"]


def test_moving_between_groups_is_an_edit_with_the_new_group_id():
    desired = [{"first_name": "Jack", "last_name": "Brown", "group": "Support"}]
    operations, unused_after = run_plan("merged", desired, phone(JACK))
    assert operations[0].params["group"] == 2 and operations[0].params["id"] == 3


def test_new_contacts_are_saved_without_id_and_only_with_set_fields():
    desired = [{"first_name": "Ann", "last_name": "Lee", "fax": "+49 (30) 1234-5"}]
    operations, unused_after = run_plan("merged", desired, phone())
    assert operations[0].command == "save_contact first_name=Ann last_name=Lee group=default fax='+49 (30) 1234-5'"
    assert operations[0].params == {"firstname": "Ann", "lastname": "Lee", "group": 0, "newphone4": "+49 (30) 1234-5"}
    assert operations[0].idempotent is False


def test_replaced_clears_the_fields_not_given():
    assert commands("replaced", [{"first_name": "Jack", "last_name": "Brown", "work": "123"}], phone(JACK, MARY)) == [
        "save_contact id=3 first_name=Jack last_name=Brown group=default work=123 email=''"]


def test_replaced_leaves_other_contacts_alone_and_overridden_deletes_them_first():
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123",
               "email": "jack@example.com"}, {"first_name": "New", "last_name": "Person"}]
    assert commands("replaced", config, phone(JACK, MARY)) == [
        "save_contact first_name=New last_name=Person group=default"]
    assert commands("overridden", config, phone(JACK, MARY)) == [
        "delete_contact id=4 name='Mary Ann Smith'", "save_contact first_name=New last_name=Person group=default"]


def test_the_split_of_first_and_last_name_is_part_of_the_contact():
    # Same key "Mary Ann Smith", different split: replaced fixes the split in place.
    assert commands("replaced", [{"first_name": "Mary Ann", "last_name": "Smith", "mobile": "555"}], phone(MARY)) == [
        "save_contact id=4 first_name='Mary Ann' last_name=Smith group=default mobile=555"]


def test_deleted_with_config_deletes_those_one_by_one():
    assert commands("deleted", [{"first_name": "Mary", "last_name": "Ann Smith"}, {"first_name": "Gone"}],
                    phone(JACK, MARY)) == ["delete_contact id=4 name='Mary Ann Smith'"]
    # Even when that happens to be every contact: delete_all only without config.
    assert commands("deleted", [{"first_name": "Jack", "last_name": "Brown"},
                                {"first_name": "Mary", "last_name": "Ann Smith"}], phone(JACK, MARY)) == [
        "delete_contact id=3 name='Jack Brown'", "delete_contact id=4 name='Mary Ann Smith'"]


def test_deleted_without_config_is_one_delete_all_call():
    operations, unused_after = run_plan("deleted", None, phone(JACK, MARY))
    assert [(o.endpoint, o.command) for o in operations] == [("api-delete_all_contact", "delete_all_contacts")]
    assert predict(phone(JACK, MARY), operations) == []
    assert run_plan("deleted", None, phone())[0] == []


def test_overridden_with_an_empty_config_deletes_each_contact():
    expected = ["delete_contact id=3 name='Jack Brown'", "delete_contact id=4 name='Mary Ann Smith'"]
    assert commands("overridden", [], phone(JACK, MARY)) == expected


def test_duplicates_of_a_desired_contact_are_drift_in_every_state_and_one_copy_stays():
    twin = (9, contact("Jack", "Brown", "Sales", work="777"))
    snapshot = phone(JACK, twin)
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123",
               "email": "jack@example.com"}]
    for state in ("merged", "replaced", "overridden"):
        assert commands(state, config, snapshot) == ["delete_contact id=9 name='Jack Brown'"], state
    assert commands("deleted", [{"first_name": "Jack", "last_name": "Brown"}], snapshot) == [
        "delete_contact id=3 name='Jack Brown'", "delete_contact id=9 name='Jack Brown'"]


def test_the_copy_that_already_matches_is_kept_even_when_it_is_not_the_first():
    first = (3, contact("Jack", "Brown", "Sales", work="777"))
    second = (5, contact("Jack", "Brown", "Sales", work="123"))
    third = (8, contact("Jack", "Brown", "Sales", work="123"))
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    # Of the two exact copies the lowest id stays; nothing is edited.
    assert commands("merged", config, phone(first, second, third)) == [
        "delete_contact id=3 name='Jack Brown'", "delete_contact id=8 name='Jack Brown'"]


def test_no_copy_matches_the_best_is_edited_and_the_diff_shows_every_copy():
    far = (3, contact("Jack", "Brown", "Support", work="777"))
    near = (5, contact("Jack", "Brown", "Sales", work="777"))
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    operations, unused_warnings = run_plan("merged", config, phone(far, near))
    assert [operation.command for operation in operations] == [
        "delete_contact id=3 name='Jack Brown'",
        "save_contact id=5 first_name=Jack last_name=Brown group=Sales work=123"]
    diff = changed_entries(RESOURCE, operations)
    assert diff["before"] == {"Jack Brown": RESOURCE.present(near[1]), "Jack Brown (2)": RESOURCE.present(far[1])}
    assert diff["after"] == {"Jack Brown": RESOURCE.present(contact("Jack", "Brown", "Sales", work="123"))}


def test_an_unchanged_kept_copy_shows_on_both_sides_of_the_diff():
    twin = (9, dict(JACK[1]))
    operations, unused_warnings = run_plan("merged", [{"first_name": "Jack", "last_name": "Brown"}], phone(JACK, twin))
    diff = changed_entries(RESOURCE, operations)
    assert diff == {"before": {"Jack Brown": RESOURCE.present(JACK[1]), "Jack Brown (2)": RESOURCE.present(JACK[1])},
                    "after": {"Jack Brown": RESOURCE.present(JACK[1])}}


def test_duplicates_of_contacts_not_in_config_are_left_alone_by_merged():
    twin = (9, dict(MARY[1]))
    assert commands("merged", [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123",
                                "email": "jack@example.com"}], phone(JACK, MARY, twin)) == []


def test_unknown_group_is_an_error_naming_entry_and_group():
    with pytest.raises(ValidationError) as caught:
        run_plan("merged", [{"first_name": "A"}, {"first_name": "Jack", "last_name": "Brown", "group": "Salse"}],
                 phone(JACK))
    assert caught.value.field == "config[1].group"
    assert "group 'Salse' of contact 'Jack Brown' does not exist on the phone" in str(caught.value)
    assert "nothing was written" in str(caught.value)


def test_unknown_group_only_warns_in_check_mode():
    operations, warnings = run_plan("merged", [{"first_name": "A", "group": "Later"}], phone(), check_mode=True)
    assert [o.command for o in operations] == ["save_contact first_name=A group=Later"]
    assert len(warnings) == 1 and "'Later'" in warnings[0]


def test_builtin_group_names_resolve_even_when_the_phone_translates_them():
    snapshot = Snapshot([], {"groups": GroupDirectory.complete([(0, "Standard"), (100, "Sperrliste")]), "group_of": {}})
    operations, unused_after = run_plan("merged", [{"first_name": "Spam", "group": "blacklist"}], snapshot)
    assert operations[0].params["group"] == 100


@pytest.mark.parametrize("config, field, fragment", [
    ([{"first_name": " "}], "config[0].first_name", "must not be empty"),
    ([{"first_name": None}], "config[0].first_name", "is required"),
    ([{"first_name": "A"}, {"first_name": "B"}, {"first_name": "C"}, {"first_name": "D", "email": "nope"}],
     "config[3].email", "'nope' is not an email address"),
    ([{"first_name": "A", "email": "a@b"}], "config[0].email", "not an email address"),
    ([{"first_name": "A", "work": "12a4"}], "config[0].work", "'12a4' is not a dialable number"),
    ([{"first_name": "A", "mobile": "1+2"}], "config[0].mobile", "not a dialable number"),
    ([{"first_name": "A", "fax": "--"}], "config[0].fax", "not a dialable number"),
    ([{"first_name": "A", "home": "sip:1@pbx"}], "config[0].home", "not a dialable number"),
    ([{"first_name": "A", "group": ""}], "config[0].group", "must not be empty"),
    ([{"first_name": "A\tB"}], "config[0].first_name", "control characters"),
    ([{"first_name": "Jack", "last_name": "Brown"}, {"first_name": "Jack Brown"}], "config[1].first_name",
     "'Jack Brown' is listed twice (also config[0])"),
])
def test_validation_names_the_field(config, field, fragment):
    with pytest.raises(ValidationError) as caught:
        RESOURCE.validate(config, "merged")
    assert caught.value.field == field
    assert fragment in str(caught.value)


@pytest.mark.parametrize("number", ["123", "+1 (555) 010-0100", "*97", "#31#0123", "00 49 30 1234"])
def test_dialable_numbers_are_accepted(number):
    assert RESOURCE.validate([{"first_name": "A", "work": number}], "merged")[0]["work"] == number


def test_rendered_needs_no_phone_and_matches_an_add_to_an_empty_phone():
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    result = contacts.run(None, {"state": "rendered", "config": config}, check_mode=False)
    assert result["commands"] == ["save_contact first_name=Jack last_name=Brown group=Sales work=123"]
    assert result["rendered"] == result["commands"] and result["changed"] is False
    assert not contacts.needs_phone({"state": "rendered"}) and contacts.needs_phone({"state": "gathered"})


def test_present_omits_empty_values():
    assert RESOURCE.present(JACK[1]) == {"first_name": "Jack", "last_name": "Brown", "group": "Sales",
                                         "work": "123", "email": "jack@example.com"}
