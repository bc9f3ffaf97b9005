"""Phonebook XML parsing: the normal document, firmware variations, and hostile or broken downloads."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import (
    full_name, parse_phonebook, present_phonebook)

PHONEBOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<AddressBook>
  <version>1</version>
  <pbgroup><id>0</id><name>default</name></pbgroup>
  <pbgroup><id>1</id><name>Sales &amp; Support</name></pbgroup>
  <Contact>
    <FirstName>Jack</FirstName><LastName>Brown</LastName>
    <Phone type="Work"><phonenumber>123456</phonenumber><accountindex>1</accountindex></Phone>
    <Phone type="Cell"><phonenumber>+1 555 0100</phonenumber><accountindex>1</accountindex></Phone>
    <Group>1</Group>
  </Contact>
  <Contact>
    <FirstName>Mary Ann</FirstName><LastName></LastName>
    <Phone type="Fax"><phonenumber>*99#</phonenumber><accountindex>1</accountindex></Phone>
    <Group>0</Group>
  </Contact>
</AddressBook>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<AddressBook><Contact><FirstName>&lol9;</FirstName></Contact></AddressBook>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE AddressBook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<AddressBook><Contact><FirstName>&secret;</FirstName></Contact></AddressBook>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE AddressBook SYSTEM "http://attacker.invalid/evil.dtd">
<AddressBook/>
"""


def test_parses_groups_and_contacts():
    parsed = parse_phonebook(PHONEBOOK)
    assert parsed["groups"] == [{"id": 0, "name": "default"}, {"id": 1, "name": "Sales & Support"}]
    jack, mary = parsed["contacts"]
    assert jack == {"first_name": "Jack", "last_name": "Brown", "work": "123456", "home": "", "mobile": "+1 555 0100",
                    "fax": "", "email": "", "group_ids": [1]}
    assert (mary["first_name"], mary["last_name"], mary["fax"], mary["group_ids"]) == ("Mary Ann", "", "*99#", [0])


def test_present_phonebook_is_in_gs_contacts_config_shape():
    presented = present_phonebook(parse_phonebook(PHONEBOOK))
    assert presented["contacts"] == [
        {"first_name": "Jack", "last_name": "Brown", "group": "Sales & Support", "work": "123456",
         "mobile": "+1 555 0100"},
        {"first_name": "Mary Ann", "last_name": "", "group": "default", "fax": "*99#"},
    ]


def test_firmware_variations_ids_email_and_missing_group_list():
    document = b"""<AddressBook><Contact><id>7</id><FirstName>A</FirstName><LastName>B</LastName>
        <Phone type="Mobile"><phonenumber>1</phonenumber></Phone><Phone type="Mobile"><phonenumber>2</phonenumber>
        </Phone><Mail>a@b.example</Mail><Group>100</Group></Contact>
        <Contact><FirstName>C</FirstName><Group>5</Group></Contact></AddressBook>"""
    parsed = parse_phonebook(document)
    assert parsed["contacts"][0]["id"] == 7
    assert parsed["contacts"][0]["mobile"] == "1"  # the first number of a type wins
    assert parsed["contacts"][0]["email"] == "a@b.example"
    presented = present_phonebook(parsed)["contacts"]
    assert presented[0]["group"] == "blacklist"  # built-in names even when the document lists no groups
    assert presented[1]["group"] == "5"


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
                         ids=["billion-laughs", "external-entity", "external-dtd"])
def test_hostile_documents_are_refused_not_expanded(document):
    with pytest.raises(PhoneError) as caught:
        parse_phonebook(document, host="10.0.0.5:443")
    message = str(caught.value)
    assert message.startswith("10.0.0.5:443: refused the phonebook XML")
    assert "DTD" in message and "nothing was parsed" in message
    assert "root:" not in message and "lol" not in message


@pytest.mark.parametrize("document, fragment", [
    (b"<AddressBook><Contact></AddressBook>", "malformed"),
    (b"", "malformed"),
    (b"<html><body>Unauthorized</body></html>", "root element <html>"),
])
def test_malformed_or_foreign_documents_fail_clearly(document, fragment):
    with pytest.raises(PhoneError) as caught:
        parse_phonebook(document)
    assert fragment in str(caught.value)
    assert caught.value.kind == "api"


def test_full_name_skips_empty_parts():
    assert full_name("Jack", "Brown") == "Jack Brown"
    assert full_name("Reception", "") == "Reception"
