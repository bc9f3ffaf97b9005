"""group_resource.py: GroupResource (validation and the command plan of every state, without a phone) and
GroupDirectory (group names from the phonebook XML first, api-get_groups only on a miss, at most once)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupDirectory, GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import (
    Record, Snapshot, changed_entries, plan, predict)

RESOURCE = GroupResource()


def phone(*named):
    """A snapshot with the built-ins plus (id, name) pairs."""
    pairs = [(0, "default"), (100, "blacklist")] + list(named)
    return Snapshot(Record(group_id, {"name": name}) for group_id, name in pairs)


def commands(state, config, snapshot):
    desired = RESOURCE.validate(config, state) if config is not None else None
    if desired:
        RESOURCE.check_references(desired, snapshot, check_mode=False)
    return [operation.command for operation in plan(RESOURCE, state, desired, snapshot)]


def names_after(state, config, snapshot):
    desired = RESOURCE.validate(config, state) if config is not None else None
    return [data["name"] for unused_key, data in predict(snapshot, plan(RESOURCE, state, desired, snapshot))]


def test_merged_adds_only_missing_groups():
    snapshot = phone((1, "Sales"))
    assert commands("merged", [{"name": "Sales"}, {"name": "Support"}, {"name": "default"}], snapshot) == [
        "add_group name=Support"]
    assert commands("merged", [{"name": "Sales"}], snapshot) == []


def test_rename_edits_in_place_and_keeps_the_id():
    snapshot = phone((3, "Old"))
    assert commands("merged", [{"name": "New", "old_name": "Old"}], snapshot) == [
        "rename_group id=3 old_name=Old name=New"]
    desired = RESOURCE.validate([{"name": "New", "old_name": "Old"}], "merged")
    assert predict(snapshot, plan(RESOURCE, "merged", desired, snapshot))[2] == (3, {"name": "New"})


def test_rename_is_idempotent_and_creates_when_neither_exists():
    assert commands("merged", [{"name": "New", "old_name": "Old"}], phone((3, "New"))) == []
    assert commands("merged", [{"name": "New", "old_name": "Old"}], phone()) == ["add_group name=New"]


def test_rename_onto_an_existing_group_is_refused_before_any_write():
    with pytest.raises(ValidationError, match=r"config\[0\]: cannot rename 'Old' to 'New': both groups exist"):
        commands("merged", [{"name": "New", "old_name": "Old"}], phone((3, "Old"), (4, "New")))


def test_overridden_keeps_builtins_and_deletes_the_rest_first():
    snapshot = phone((1, "Sales"), (2, "Legacy"), (3, "Old"))
    assert commands("overridden", [{"name": "Sales"}, {"name": "New", "old_name": "Old"}, {"name": "Ops"}],
                    snapshot) == ["delete_group id=2 name=Legacy", "rename_group id=3 old_name=Old name=New",
                                  "add_group name=Ops"]
    assert names_after("overridden", [], snapshot) == ["default", "blacklist"]


def test_deleted_with_config_deletes_only_those_and_ignores_missing():
    snapshot = phone((1, "Sales"), (2, "Ops"))
    assert commands("deleted", [{"name": "Ops"}, {"name": "Nowhere"}], snapshot) == ["delete_group id=2 name=Ops"]


def test_deleted_without_config_deletes_every_non_builtin_group():
    snapshot = phone((1, "Sales"), (2, "Ops"))
    assert commands("deleted", None, snapshot) == ["delete_group id=1 name=Sales", "delete_group id=2 name=Ops"]
    assert commands("deleted", None, phone()) == []


def test_builtin_group_under_another_name_is_still_protected():
    snapshot = Snapshot([Record(0, {"name": "Standard"}), Record(5, {"name": "X"})])
    with pytest.raises(ValidationError, match="built-in group 'Standard' cannot be deleted"):
        commands("deleted", [{"name": "Standard"}], snapshot)
    assert commands("overridden", [], snapshot) == ["delete_group id=5 name=X"]


@pytest.mark.parametrize("config, state, field, fragment", [
    ([{"name": "default"}], "deleted", "config[0].name", "built-in group 'default' cannot be deleted"),
    ([{"name": "X"}, {"name": "blacklist"}], "deleted", "config[1].name", "'blacklist' cannot be deleted"),
    ([{"name": "VIP", "old_name": "blacklist"}], "merged", "config[0].old_name", "'blacklist' cannot be renamed"),
    ([{"name": "default", "old_name": "Old"}], "merged", "config[0].name", "to the built-in group name"),
    ([{"name": "A"}, {"name": " A "}], "merged", "config[1].name", "'A' is listed twice (also config[0])"),
    ([{"name": "  "}], "merged", "config[0].name", "must not be empty"),
    ([{"name": "A\nB"}], "merged", "config[0].name", "control characters"),
    ([{"name": "B", "old_name": "A"}, {"name": "C", "old_name": "A"}], "merged", "config[1].old_name",
     "renamed twice"),
    ([{"name": "B", "old_name": "A"}, {"name": "C", "old_name": "B"}], "overridden", "config[1].old_name",
     "chained renames"),
    ([{"name": "B", "old_name": "A"}], "deleted", "config[0].old_name", "not used with state deleted"),
])
def test_validation_names_the_field(config, state, field, fragment):
    with pytest.raises(ValidationError) as caught:
        RESOURCE.validate(config, state)
    assert caught.value.field == field
    assert fragment in str(caught.value) and str(caught.value).startswith(field)


def test_diff_shows_changed_entries_only():
    snapshot = phone((1, "Sales"), (3, "Old"))
    desired = RESOURCE.validate([{"name": "New", "old_name": "Old"}, {"name": "Ops"}], "merged")
    diff = changed_entries(RESOURCE, plan(RESOURCE, "merged", desired, snapshot))
    assert diff == {"before": {"Old": {"name": "Old"}}, "after": {"New": {"name": "New"}, "Ops": {"name": "Ops"}}}


def test_commands_quote_names_with_spaces():
    assert commands("merged", [{"name": "Sales EMEA"}], phone()) == ["add_group name='Sales EMEA'"]


XML_GROUPS = [(1, "Sales"), (2, "Support")]


PHONE_GROUPS = [(0, "default"), (100, "blacklist"), (1, "Sales"), (2, "Support"), (3, "Empty")]


class CountingFetch:
    def __init__(self, groups):
        self.groups, self.calls = groups, 0

    def __call__(self):
        self.calls += 1
        return list(self.groups)


def test_groups_listed_in_the_xml_answer_without_a_request():
    fetch = CountingFetch(PHONE_GROUPS)
    directory = GroupDirectory(fetch, XML_GROUPS)
    assert (directory.name_of(2), directory.id_of("Sales")) == ("Support", 1)
    assert fetch.calls == 0


def test_builtin_ids_missing_from_the_xml_take_their_documented_names_without_a_request():
    fetch = CountingFetch(PHONE_GROUPS)
    directory = GroupDirectory(fetch, XML_GROUPS)
    assert (directory.name_of(0), directory.name_of(100)) == ("default", "blacklist")
    assert directory.id_of("blacklist") == 100
    assert fetch.calls == 1  # a name lookup cannot know the phone lacks a user group of that name


def test_a_group_the_xml_leaves_out_is_found_with_one_read_of_the_phone():
    fetch = CountingFetch(PHONE_GROUPS)
    directory = GroupDirectory(fetch, XML_GROUPS)
    assert directory.id_of("Empty") == 3
    assert directory.name_of(3) == "Empty"
    assert fetch.calls == 1


def test_a_group_the_phone_does_not_have_costs_one_read_and_is_none():
    fetch = CountingFetch(PHONE_GROUPS)
    directory = GroupDirectory(fetch, XML_GROUPS)
    assert directory.id_of("Nowhere") is None
    assert directory.name_of(42) is None
    assert directory.id_of("Nowhere either") is None
    assert fetch.calls == 1


def test_xml_groups_without_an_id_are_not_trusted():
    fetch = CountingFetch(PHONE_GROUPS)
    directory = GroupDirectory(fetch, [(None, "Sales")])
    assert directory.id_of("Sales") == 1
    assert fetch.calls == 1


def test_listing_is_the_phones_full_list_read_once():
    fetch = CountingFetch(PHONE_GROUPS)
    directory = GroupDirectory(fetch, XML_GROUPS)
    assert directory.listing() == PHONE_GROUPS
    assert directory.listing() == PHONE_GROUPS
    assert fetch.calls == 1


def test_a_complete_directory_never_fetches():
    directory = GroupDirectory.complete([(0, "Standard")])
    assert directory.name_of(0) == "Standard"
    assert directory.id_of("default") == 0  # built-in by its documented name, though shown translated
    assert directory.id_of("Sales") is None
