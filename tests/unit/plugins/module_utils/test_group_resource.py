"""GroupDirectory: group names from the phonebook XML first, api-get_groups only on a miss, at most once."""

from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupDirectory

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
