"""Contacts from CSV and vCard files: column mapping, vCard properties, and the gs_contacts validation."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils.contacts_file import (
    detect_format, read_csv, read_phonebook_file, read_vcard)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

EXPORT = (
    "First Name,Surname,Department,Business Phone,Cell,E-mail Address,Room\r\n"
    "Jack,Brown,Sales,+1 (555) 010-0100,,jack.brown@example.com,12\r\n"
    "\r\n"
    "\"Mary Ann\",\"Smith, Jr.\",,,555,,\r\n"
)


def test_csv_export_headers_map_to_contact_fields():
    result = read_csv(EXPORT, "staff.csv")
    assert result.contacts == [
        {"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "+1 (555) 010-0100",
         "email": "jack.brown@example.com"},
        {"first_name": "Mary Ann", "last_name": "Smith, Jr.", "mobile": "555"}]
    assert result.groups == [{"name": "Sales"}]
    assert result.warnings == ["staff.csv: column(s) 'Room' are not contact fields and were left out"]


def test_contacts_pass_gs_contacts_validation_unchanged():
    contacts = read_csv(EXPORT, "staff.csv").contacts
    validated = ContactResource().validate(contacts, "merged")
    assert [entry["first_name"] for entry in validated] == ["Jack", "Mary Ann"]


def test_explicit_columns_and_delimiter_and_default_group():
    text = "Vorname;Nachname;Telefon;Notiz\nAnna;Weber;+49 30 1234;Chefin\nBen;;;\n"
    result = read_csv(text, "mitarbeiter.csv", columns={"first_name": "Vorname", "last_name": "Nachname",
                                                        "work": "Telefon"}, delimiter=";", default_group="Staff")
    assert result.contacts == [{"first_name": "Anna", "last_name": "Weber", "group": "Staff", "work": "+49 30 1234"},
                               {"first_name": "Ben", "group": "Staff"}]
    assert result.groups == [{"name": "Staff"}] and result.warnings == []


@pytest.mark.parametrize("text, columns, message", [
    ("Name,Phone\nJack,100\n", None, "staff.csv:1: no first name column; the header has 'Name', 'Phone'"),
    ("first_name\nJack\n", {"first_name": "Vorname"}, "staff.csv:1: no column 'Vorname' (columns.first_name)"),
    ("first_name\nJack\n", {"nickname": "x"}, "columns: unknown field(s) nickname"),
    ("first_name,work\nJack,100\nJill,555-CALL\n", None,
     "staff.csv:3.work: '555-CALL' is not a dialable number"),
    ("first_name,email\nJack,jack@\n", None, "staff.csv:2.email: 'jack@' is not an email address"),
    ("first_name,last_name\nJack,Brown\n,Smith\n", None, "staff.csv:3.first_name is required"),
    ("first_name,last_name\nJack,Brown\nAnn,Lee\nJack,Brown\n", None,
     "staff.csv:4: contact 'Jack Brown' is listed twice (also line 2)"),
    # a quoted cell over two lines: the next row is still named by its own line
    ("first_name,work,notes\nJack,100,\"two\nlines\"\nJill,abc,\n", None, "staff.csv:4.work: 'abc' is not a dialable"),
    ("first_name,work\nJack,%s\n" % ("1" * 40), None, "staff.csv:2.work must be at most 32 bytes of UTF-8"),
])
def test_bad_rows_are_named_by_file_line_and_field(text, columns, message):
    with pytest.raises(ValidationError) as error:
        read_csv(text, "staff.csv", columns=columns)
    assert message in str(error.value)


VCARDS = """BEGIN:VCARD
VERSION:3.0
N:Doe;Jane;;;
FN:Jane Doe
item1.TEL;TYPE=work,voice:+1 555 0101
TEL;TYPE=CELL:+1 555 0102
TEL;TYPE=work:+1 555 0103
TEL;TYPE=home:+1 555 0104
CATEGORIES:Support,VIP
EMAIL;TYPE=INTERNET:jane@example.com
NOTE:Line one\\nline two
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Reception
TEL;VALUE=uri;TYPE="work,fax":tel:+1-555-0199
END:VCARD
BEGIN:VCARD
VERSION:2.1
N:O\\;Neil;Pat
TEL;WORK;FAX:100
TEL:200
 3
END:VCARD
"""


def test_vcard_names_numbers_categories():
    result = read_vcard(VCARDS, "team.vcf")
    assert result.contacts == [
        {"first_name": "Jane", "last_name": "Doe", "group": "Support", "work": "+1 555 0101",
         "home": "+1 555 0104", "mobile": "+1 555 0102", "email": "jane@example.com"},
        {"first_name": "Reception", "fax": "+1-555-0199"},
        {"first_name": "Pat", "last_name": "O;Neil", "work": "2003", "fax": "100"}]
    assert result.groups == [{"name": "Support"}]
    assert result.warnings == [
        "team.vcf:7: another work number of 'Jane Doe' (+1 555 0103) was left out: a contact holds one per kind",
        "team.vcf:1: 'Jane Doe' is in group 'Support'; its other categories VIP were left out (a contact has one "
        "group)"]


@pytest.mark.parametrize("text, message", [
    ("BEGIN:VCARD\nFN:Jo\nTEL;TYPE=cell:call me\nEND:VCARD\n", "cards.vcf:1.mobile: 'call me' is not a dialable"),
    ("BEGIN:VCARD\nFN:Jo\n", "cards.vcf:1: the card has no END:VCARD"),
    ("FN:Jo\n", "cards.vcf:1: 'FN:Jo' outside BEGIN:VCARD"),
    ("BEGIN:VCARD\nTEL:100\nEND:VCARD\n", "cards.vcf:1.first_name must not be empty"),
    ("BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCller;Jo\nEND:VCARD\n",
     "cards.vcf:3: N is QUOTED-PRINTABLE-encoded, which is not read; export the cards as vCard 3.0 or 4.0"),
    ("BEGIN:VCARD\nVERSION:2.1\nFN;QUOTED-PRINTABLE:J=C3=B6\nEND:VCARD\n", "cards.vcf:3: FN is QUOTED-PRINTABLE"),
    ("BEGIN:VCARD\nFN:Jo\nEND:VCARD\nBEGIN:VCARD\nN:;Jo\nEND:VCARD\n",
     "cards.vcf:4: contact 'Jo' is listed twice (also line 1)"),
])
def test_bad_cards_are_named_by_file_and_line(text, message):
    with pytest.raises(ValidationError) as error:
        read_vcard(text, "cards.vcf")
    assert message in str(error.value)


def test_built_in_groups_are_not_listed_as_groups(tmp_path):
    path = tmp_path / "blocked.csv"
    path.write_text("\ufefffirst_name,group,home\nSpam,blacklist,0900\nJo,Friends,100\n", encoding="utf-8")
    result = read_phonebook_file(str(path))
    assert result.contacts[0] == {"first_name": "Spam", "group": "blacklist", "home": "0900"}
    assert result.groups == [{"name": "Friends"}]


def test_format_follows_the_extension_unless_given():
    assert detect_format("a/b/team.VCF") == "vcard" and detect_format("x.vcard") == "vcard"
    assert detect_format("staff.csv") == "csv" and detect_format("staff.txt") == "csv"
    assert detect_format("team.vcf", "csv") == "csv"
    with pytest.raises(ValidationError):
        detect_format("x.csv", "xlsx")


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("first_name\nJos\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError) as error:
        read_phonebook_file(str(path))
    assert "latin1.csv: cannot read it as UTF-8 text" in str(error.value)


def test_empty_default_group_is_refused(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("first_name\nJo\n")
    with pytest.raises(ValidationError) as error:
        read_phonebook_file(str(path), default_group=" ")
    assert "default_group must not be empty" in str(error.value)
