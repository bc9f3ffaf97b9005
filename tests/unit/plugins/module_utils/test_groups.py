"""gs_group (groups.py): the engine's run, without a phone (in-memory phone in phonebook_fake.py)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import contacts, groups
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

from .phonebook_fake import JACK, params, phone_with_sales


@pytest.fixture
def phone():
    return phone_with_sales()


def test_rendered_needs_no_phone():
    assert not groups.needs_phone({"state": "rendered"})
    assert groups.needs_phone({"state": "merged"})
    result = groups.run(None, {"state": "rendered", "config": [{"name": "Sales"}, {"name": "B", "old_name": "A"}]},
                        check_mode=False)
    assert result == {"changed": False, "commands": ["add_group name=Sales", "rename_group old_name=A name=B"],
                      "rendered": ["add_group name=Sales", "rename_group old_name=A name=B"]}


@pytest.mark.parametrize("state, config, fragment", [
    ("merged", None, "config is required with state merged"),
    ("rendered", None, "config is required with state rendered"),
    ("gathered", [{"name": "x"}], "config is not used with state gathered"),
])
def test_config_presence_is_checked_before_any_request(state, config, fragment):
    with pytest.raises(ValidationError, match=fragment):
        groups.run(None, {"state": state, "config": config}, check_mode=False)


def test_gathered_returns_config_shape_with_builtins(phone):
    contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert groups.run(phone, params("gathered"), False) == {"changed": False, "gathered": [
        {"name": "default"}, {"name": "blacklist"}, {"name": "Sales"}]}
    assert contacts.run(phone, params("gathered"), False)["gathered"] == [dict(JACK)]


def test_group_rename_keeps_contacts_in_it(phone):
    contacts.run(phone, params(config=[JACK]), check_mode=False)
    result = groups.run(phone, params(config=[{"name": "Field Sales", "old_name": "Sales"}]), False)
    assert result["commands"] == ["rename_group id=1 old_name=Sales name='Field Sales'"]
    assert contacts.run(phone, params("gathered"), False)["gathered"][0]["group"] == "Field Sales"


def test_deleted_groups_without_config_keeps_builtins(phone):
    result = groups.run(phone, params("deleted"), check_mode=False)
    assert result["commands"] == ["delete_group id=1 name=Sales"]
    assert result["after"] == [{"name": "default"}, {"name": "blacklist"}]
