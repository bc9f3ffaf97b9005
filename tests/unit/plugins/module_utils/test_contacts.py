"""gs_contacts (contacts.py): validation messages and the command plan of every state without a phone, then the
whole run over an in-memory phone (phonebook_fake.py): check mode, idempotency, read-back, lost writes."""

from urllib.parse import urlencode

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import contacts, groups
from ansible_collections.grandstream.phone.plugins.module_utils.client import MAX_URL_BYTES
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource, match_names
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupDirectory
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import (
    Record, Snapshot, changed_entries, plan, predict)

from .phonebook_fake import JACK, FakePhone, params, phone_with_sales

RESOURCE = ContactResource()
GROUPS = [(0, "default"), (100, "blacklist"), (1, "Sales"), (2, "Support")]
FIELDS = ("work", "home", "mobile", "fax", "email")


def contact(first, last="", group="default", **values):
    data = {"first_name": first, "last_name": last, "group": group}
    data.update({field: values.get(field, "") for field in FIELDS})
    return data


def book(*records):
    """A phonebook snapshot of (id, contact) pairs with GROUPS."""
    ids = dict((name, group_id) for group_id, name in GROUPS)
    context = {"groups": GroupDirectory.complete(GROUPS),
               "group_of": {cid: ids.get(data["group"]) for cid, data in records}}
    return Snapshot([Record(cid, data) for cid, data in records], context)


def run_plan(state, config, snapshot, check_mode=False):
    desired = RESOURCE.validate(config, state) if config is not None else None
    warnings = RESOURCE.check_references(desired or [], snapshot, check_mode) if state != "deleted" else []
    operations = plan(RESOURCE, state, desired, snapshot)
    return operations, warnings


def commands(state, config, snapshot):
    return [operation.command for operation in run_plan(state, config, snapshot)[0]]


# (id, contact) pairs on the phone
JACK_3 = (3, contact("Jack", "Brown", "Sales", work="123", email="jack@example.com"))
MARY_4 = (4, contact("Mary", "Ann Smith", mobile="555"))


def test_merged_changes_only_the_given_fields_and_keeps_the_id():
    operations, unused_after = run_plan("merged", [{"first_name": "Jack", "last_name": "Brown", "home": "999"}],
                                        book(JACK_3))
    assert [o.command for o in operations] == [
        "save_contact id=3 first_name=Jack last_name=Brown group=Sales work=123 home=999 email=jack@example.com"]
    assert operations[0].params == {"id": 3, "firstname": "Jack", "lastname": "Brown", "group": 1,
                                    "newphone1": "123", "newphone2": "999", "newphone3": "", "newphone4": "",
                                    "email": "jack@example.com"}


def test_merged_is_a_no_op_when_everything_matches():
    assert commands("merged", [{"first_name": "Jack", "last_name": "Brown", "work": " 123 "}], book(JACK_3)) == []


def test_merged_can_clear_a_field_with_an_empty_string():
    assert commands("merged", [{"first_name": "Jack", "last_name": "Brown", "email": ""}], book(JACK_3)) == [
        "save_contact id=3 first_name=Jack last_name=Brown group=Sales work=123 email=''"]


def test_moving_between_groups_is_an_edit_with_the_new_group_id():
    desired = [{"first_name": "Jack", "last_name": "Brown", "group": "Support"}]
    operations, unused_after = run_plan("merged", desired, book(JACK_3))
    assert operations[0].params["group"] == 2 and operations[0].params["id"] == 3


def test_new_contacts_are_saved_without_id_and_only_with_set_fields():
    desired = [{"first_name": "Ann", "last_name": "Lee", "fax": "+49 (30) 1234-5"}]
    operations, unused_after = run_plan("merged", desired, book())
    assert operations[0].command == "save_contact first_name=Ann last_name=Lee group=default fax='+49 (30) 1234-5'"
    assert operations[0].params == {"firstname": "Ann", "lastname": "Lee", "group": 0, "newphone4": "+49 (30) 1234-5"}
    assert operations[0].idempotent is False


def test_replaced_clears_the_fields_not_given():
    config = [{"first_name": "Jack", "last_name": "Brown", "work": "123"}]
    assert commands("replaced", config, book(JACK_3, MARY_4)) == [
        "save_contact id=3 first_name=Jack last_name=Brown group=default work=123 email=''"]


def test_replaced_leaves_other_contacts_alone_and_overridden_deletes_them_first():
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123",
               "email": "jack@example.com"}, {"first_name": "New", "last_name": "Person"}]
    assert commands("replaced", config, book(JACK_3, MARY_4)) == [
        "save_contact first_name=New last_name=Person group=default"]
    assert commands("overridden", config, book(JACK_3, MARY_4)) == [
        "delete_contact id=4 name='Mary Ann Smith'", "save_contact first_name=New last_name=Person group=default"]


def test_the_split_of_first_and_last_name_is_part_of_the_contact():
    # Same key "Mary Ann Smith", different split: replaced fixes the split in place.
    assert commands("replaced", [{"first_name": "Mary Ann", "last_name": "Smith", "mobile": "555"}], book(MARY_4)) == [
        "save_contact id=4 first_name='Mary Ann' last_name=Smith group=default mobile=555"]


def test_deleted_with_config_deletes_those_one_by_one():
    assert commands("deleted", [{"first_name": "Mary", "last_name": "Ann Smith"}, {"first_name": "Gone"}],
                    book(JACK_3, MARY_4)) == ["delete_contact id=4 name='Mary Ann Smith'"]
    # Even when that happens to be every contact: delete_all only without config.
    assert commands("deleted", [{"first_name": "Jack", "last_name": "Brown"},
                                {"first_name": "Mary", "last_name": "Ann Smith"}], book(JACK_3, MARY_4)) == [
        "delete_contact id=3 name='Jack Brown'", "delete_contact id=4 name='Mary Ann Smith'"]


def test_deleted_without_config_is_one_delete_all_call():
    operations, unused_after = run_plan("deleted", None, book(JACK_3, MARY_4))
    assert [(o.endpoint, o.command) for o in operations] == [("api-delete_all_contact", "delete_all_contacts")]
    assert predict(book(JACK_3, MARY_4), operations) == []
    assert run_plan("deleted", None, book())[0] == []


def test_overridden_with_an_empty_config_deletes_each_contact():
    expected = ["delete_contact id=3 name='Jack Brown'", "delete_contact id=4 name='Mary Ann Smith'"]
    assert commands("overridden", [], book(JACK_3, MARY_4)) == expected


def test_duplicates_of_a_desired_contact_are_drift_in_every_state_and_one_copy_stays():
    twin = (9, contact("Jack", "Brown", "Sales", work="777"))
    snapshot = book(JACK_3, twin)
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
    assert commands("merged", config, book(first, second, third)) == [
        "delete_contact id=3 name='Jack Brown'", "delete_contact id=8 name='Jack Brown'"]


def test_no_copy_matches_the_best_is_edited_and_the_diff_shows_every_copy():
    far = (3, contact("Jack", "Brown", "Support", work="777"))
    near = (5, contact("Jack", "Brown", "Sales", work="777"))
    config = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    operations, unused_warnings = run_plan("merged", config, book(far, near))
    assert [operation.command for operation in operations] == [
        "delete_contact id=3 name='Jack Brown'",
        "save_contact id=5 first_name=Jack last_name=Brown group=Sales work=123"]
    diff = changed_entries(RESOURCE, operations)
    assert diff["before"] == {"Jack Brown": RESOURCE.present(near[1]), "Jack Brown (2)": RESOURCE.present(far[1])}
    assert diff["after"] == {"Jack Brown": RESOURCE.present(contact("Jack", "Brown", "Sales", work="123"))}


def test_an_unchanged_kept_copy_shows_on_both_sides_of_the_diff():
    twin = (9, dict(JACK_3[1]))
    operations, unused_warnings = run_plan("merged", [{"first_name": "Jack", "last_name": "Brown"}], book(JACK_3, twin))
    diff = changed_entries(RESOURCE, operations)
    assert diff == {"before": {"Jack Brown": RESOURCE.present(JACK_3[1]),
                               "Jack Brown (2)": RESOURCE.present(JACK_3[1])},
                    "after": {"Jack Brown": RESOURCE.present(JACK_3[1])}}


def test_duplicates_of_contacts_not_in_config_are_left_alone_by_merged():
    twin = (9, dict(MARY_4[1]))
    assert commands("merged", [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123",
                                "email": "jack@example.com"}], book(JACK_3, MARY_4, twin)) == []


def test_unknown_group_is_an_error_naming_entry_and_group():
    with pytest.raises(ValidationError) as caught:
        run_plan("merged", [{"first_name": "A"}, {"first_name": "Jack", "last_name": "Brown", "group": "Salse"}],
                 book(JACK_3))
    assert caught.value.field == "config[1].group"
    assert "group 'Salse' of contact 'Jack Brown' does not exist on the phone" in str(caught.value)
    assert "nothing was written" in str(caught.value)


def test_unknown_group_only_warns_in_check_mode():
    operations, warnings = run_plan("merged", [{"first_name": "A", "group": "Later"}], book(), check_mode=True)
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
    assert RESOURCE.present(JACK_3[1]) == {"first_name": "Jack", "last_name": "Brown", "group": "Sales",
                                           "work": "123", "email": "jack@example.com"}


@pytest.fixture
def phone():
    return phone_with_sales()


def test_check_mode_reports_but_never_writes(phone):
    result = contacts.run(phone, params(config=[JACK]), check_mode=True)
    assert result["changed"] and result["commands"] == ["save_contact first_name=Jack last_name=Brown group=Sales "
                                                        "work=123"]
    assert result["after"] == [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    assert result["diff"] == {"before": {}, "after": {"Jack Brown": result["after"][0]}}
    assert phone.writes() == [] and phone.contacts == []


def test_apply_then_second_run_is_unchanged_with_reads_only(phone):
    first = contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert first["changed"] and first["after"] == [dict(JACK)]
    phone.calls = []
    second = contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert not second["changed"] and second["commands"] == [] and "diff" not in second
    # The groups come with the phonebook XML: no api-get_groups.
    assert [name for name, unused_params in phone.calls] == ["api-get_contacts", "phonebook_download"]


def test_firmware_whose_xml_lists_no_groups_costs_one_group_read(phone):
    contacts.run(phone, params(config=[JACK]), check_mode=False)
    phone.xml_lists_groups, phone.calls = False, []
    second = contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert not second["changed"] and second["before"] == [dict(JACK)]
    assert [name for name, unused_params in phone.calls] == ["api-get_contacts", "phonebook_download",
                                                             "api-get_groups"]


def test_request_cost_of_many_new_contacts(phone):
    config = [{"first_name": "User", "last_name": str(n), "work": str(1000 + n)} for n in range(300)]
    result = contacts.run(phone, params(config=config), check_mode=False)
    names = [name for name, unused_params in phone.calls]
    assert len(result["commands"]) == 300 and names.count("api-save_edit_contact") == 300
    # groups + contacts (an empty phonebook needs no XML), then contacts + XML to read back.
    assert len(names) == 2 + 300 + 2


def test_dropped_write_fails_as_not_applied_with_details(phone):
    phone.ignore.add("api-save_edit_contact")
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=[JACK]), check_mode=False)
    error = caught.value
    assert error.kind == "not_applied" and "1 contact(s): Jack Brown" in str(error)
    assert error.details["applied"] == ["save_contact first_name=Jack last_name=Brown group=Sales work=123"]
    assert error.details["mismatches"]["Jack Brown"]["actual"] == []


def test_failure_midway_reports_what_was_applied(phone):
    phone.fail_on = ("api-save_edit_contact", 3)
    config = [{"first_name": name} for name in ("A", "B", "C", "D")]
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=config), check_mode=False)
    assert caught.value.details["applied"] == ["save_contact first_name=A group=default",
                                               "save_contact first_name=B group=default"]
    assert caught.value.details["failed"] == "save_contact first_name=C group=default"
    assert "after 2 of 4 change(s) were applied" in str(caught.value)


def saves(phone):
    return [name for name, unused_params in phone.writes() if name == "api-save_edit_contact"]


def test_a_write_answered_after_acting_is_not_sent_again(phone):
    phone.lose = {1: ("connection", "after")}
    config = [{"first_name": name} for name in ("A", "B")]
    result = contacts.run(phone, params(config=config), check_mode=False)
    assert [c["first"] for c in phone.contacts] == ["A", "B"] and len(saves(phone)) == 2
    assert result["changed"] and result["commands"] == ["save_contact first_name=A group=default",
                                                        "save_contact first_name=B group=default"]


def test_a_write_lost_before_acting_is_sent_again_after_reading_the_phone(phone):
    phone.lose = {2: ("booting", "before"), 3: ("connection", "before")}
    config = [{"first_name": name} for name in ("A", "B")]
    contacts.run(phone, params(config=config), check_mode=False)
    assert [c["first"] for c in phone.contacts] == ["A", "B"] and len(saves(phone)) == 4


def test_rounds_are_bounded_and_the_failure_says_what_was_applied(phone):
    phone.lose = {n: ("connection", "before") for n in range(2, 10)}
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=[{"first_name": name} for name in ("A", "B")]), check_mode=False)
    assert len(saves(phone)) == 4  # A, then B in each of the 3 rounds
    assert caught.value.details["applied"] == ["save_contact first_name=A group=default"]
    assert caught.value.details["failed"] == "save_contact first_name=B group=default"
    assert "read again and the rest retried 2 time(s)" in str(caught.value)


def test_a_timed_out_add_the_phone_does_not_show_yet_is_not_resent(phone):
    phone.lose = {1: ("timeout", "before")}
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=[{"first_name": "A"}]), check_mode=False)
    assert len(saves(phone)) == 1 and caught.value.details["changed"] is True
    assert caught.value.details["unverified"] == ["save_contact first_name=A group=default"]
    assert "may still carry it out" in str(caught.value)


def test_an_api_error_is_not_retried(phone):
    phone.fail_on = ("api-save_edit_contact", 1)
    with pytest.raises(PhoneError):
        contacts.run(phone, params(config=[{"first_name": "A"}]), check_mode=False)
    assert len(saves(phone)) == 1


def test_unknown_group_writes_nothing(phone):
    with pytest.raises(ValidationError, match="group 'Nope'"):
        contacts.run(phone, params(config=[JACK, dict(JACK, first_name="Jill", group="Nope")]), check_mode=False)
    assert phone.writes() == []


def test_deleted_without_config_uses_delete_all_once(phone):
    contacts.run(phone, params(config=[JACK, {"first_name": "Ann"}]), check_mode=False)
    phone.calls = []
    result = contacts.run(phone, params("deleted"), check_mode=False)
    assert result["commands"] == ["delete_all_contacts"] and result["after"] == []
    assert [name for name, unused_params in phone.writes()] == ["api-delete_all_contact"]


class LongHostPhone(FakePhone):
    """A phone behind the longest host name DNS allows: the request line has the least room left."""

    @staticmethod
    def _url(endpoint):
        return "https://%s:65535/cgi-bin/%s" % ("h" * 253, endpoint)


def test_the_largest_contact_the_limits_allow_fits_the_url_limit_even_behind_a_long_host_name():
    phone = LongHostPhone()
    groups.run(phone, params(config=[{"name": "\u00e9" * 32}]), False)
    # Every field at its byte limit, with characters that take 3 bytes of URL each (%XX).
    widest = {"first_name": "&" * 64, "last_name": "\u00e9" * 32, "group": "\u00e9" * 32,
              "email": "&" * 58 + "@" + "\u00e9" * 32 + ".test",
              **{field: "(" * 31 + "1" for field in ("work", "home", "mobile", "fax")}}
    contacts.run(phone, params(config=[widest]), False)
    assert len(phone.contacts) == 1
    sent = next(call_params for name, call_params in phone.calls if name == "api-save_edit_contact")
    size = len(phone._url("api-save_edit_contact")) + 1 + len(urlencode(sent))
    assert 1500 < size <= MAX_URL_BYTES, size


def test_a_request_over_the_url_limit_is_refused_before_any_write(monkeypatch):
    from ansible_collections.grandstream.phone.plugins.module_utils import phonebook_apply
    phone = FakePhone()
    monkeypatch.setattr(phonebook_apply, "MAX_URL_BYTES", 120)
    with pytest.raises(ValidationError) as caught:
        contacts.run(phone, params(config=[{"first_name": "Short"}, {"first_name": "A" * 60}]), False)
    assert "contact %r: the request for it would be" % ("A" * 60) in str(caught.value)
    assert "over the 120 bytes" in str(caught.value) and phone.writes() == []


def test_match_names_by_name_in_order_handles_duplicates_and_ambiguous_splits():
    items = [{"contactID": "1", "contactName": "Mary Ann Smith"}, {"contactID": "2", "contactName": "Bo"},
             {"contactID": "3", "contactName": "Mary Ann Smith"}, {"contactID": "4", "contactName": "Ghost Town"}]
    xml = [{"first_name": "Mary", "last_name": "Ann Smith"}, {"first_name": "Bo", "last_name": ""},
           {"first_name": "Mary Ann", "last_name": "Smith"}]
    names, warnings = match_names(items, xml)
    assert names == [("Mary", "Ann Smith"), ("Bo", ""), ("Mary Ann", "Smith"), ("Ghost Town", "")]
    assert len(warnings) == 1 and "'Ghost Town' (id 4) is missing from the phonebook XML" in warnings[0]


def test_match_names_prefers_ids_when_the_xml_has_them():
    items = [{"contactID": "9", "contactName": "A B C"}, {"contactID": "8", "contactName": "A B C"}]
    xml = [{"id": 8, "first_name": "A B", "last_name": "C"}, {"id": 9, "first_name": "A", "last_name": "B C"}]
    names, warnings = match_names(items, xml)
    assert names == [("A", "B C"), ("A B", "C")] and not warnings
