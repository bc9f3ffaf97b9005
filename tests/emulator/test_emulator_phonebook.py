"""Contacts, groups and the XML phonebook download."""

from __future__ import annotations

from xml.etree import ElementTree

OK = {"response": "success", "body": ""}


def call(session, emulator, endpoint, **params):
    return session.get(emulator.url(0, endpoint), params=params).json()


def test_factory_groups_and_no_contacts(fresh_phones, admin):
    assert call(admin, fresh_phones, "api-get_groups") == {
        "res": "success", "msg": [{"groupID": "0", "groupName": "default"}, {"groupID": "100", "groupName": "blacklist"}]}
    assert call(admin, fresh_phones, "api-get_contacts") == {"res": "success", "msg": []}


def test_add_rename_delete_group(fresh_phones, admin):
    assert call(admin, fresh_phones, "api-add_group", name="Sales") == OK
    assert call(admin, fresh_phones, "api-add_group", name="Sales") == {"res": "error", "msg": "group name already exists"}
    assert call(admin, fresh_phones, "api-add_group", name="")["res"] == "error"
    groups = call(admin, fresh_phones, "api-get_groups")["msg"]
    assert {"groupID": "1", "groupName": "Sales"} in groups
    assert call(admin, fresh_phones, "api-get_groups", id="1")["msg"] == [{"groupID": "1", "groupName": "Sales"}]

    assert call(admin, fresh_phones, "api-edit_delete_group", id="1", name="Sales EU") == OK
    assert call(admin, fresh_phones, "api-get_groups", id="1")["msg"][0]["groupName"] == "Sales EU"
    for builtin in ("0", "100"):
        assert call(admin, fresh_phones, "api-edit_delete_group", id=builtin, name="")["res"] == "error"
        assert call(admin, fresh_phones, "api-edit_delete_group", id=builtin, name="renamed")["res"] == "error"
    assert call(admin, fresh_phones, "api-edit_delete_group", id="42", name="")["res"] == "error"
    assert call(admin, fresh_phones, "api-edit_delete_group", id="x", name="")["res"] == "error"

    call(admin, fresh_phones, "api-save_edit_contact", firstname="Jack", group="1")
    assert call(admin, fresh_phones, "api-edit_delete_group", id="1", name="") == OK
    assert [g["groupID"] for g in call(admin, fresh_phones, "api-get_groups")["msg"]] == ["0", "100"]
    assert call(admin, fresh_phones, "api-get_contacts")["msg"][0]["groupID"] == "0"


def test_save_edit_and_delete_contacts(fresh_phones, admin):
    call(admin, fresh_phones, "api-add_group", name="Sales")
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname="Jack", lastname="Brown", group="1",
                newphone1="123456", newphone3="0170", email="jack@example.com") == OK
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname="Ann", newphone2="555") == OK
    contacts = call(admin, fresh_phones, "api-get_contacts")
    assert contacts == {"res": "success", "msg": [
        {"contactID": "1", "contactName": "Jack Brown", "groupID": "1", "work": "123456", "home": "",
         "mobile": "0170", "fax": "", "email": "jack@example.com"},
        {"contactID": "2", "contactName": "Ann", "groupID": "0", "work": "", "home": "555", "mobile": "",
         "fax": "", "email": ""},
    ]}
    state_contact = fresh_phones.state(0)["contacts"][0]
    assert (state_contact["first"], state_contact["last"]) == ("Jack", "Brown")

    assert [c["contactID"] for c in call(admin, fresh_phones, "api-get_contacts", contactname="brow")["msg"]] == ["1"]
    assert [c["contactID"] for c in call(admin, fresh_phones, "api-get_contacts", groupid="0")["msg"]] == ["2"]
    assert [c["contactID"] for c in call(admin, fresh_phones, "api-get_contacts", contactid="2")["msg"]] == ["2"]

    assert call(admin, fresh_phones, "api-save_edit_contact", id="1", firstname="Jack", newphone1="999") == OK
    edited = call(admin, fresh_phones, "api-get_contacts", contactid="1")["msg"][0]
    assert (edited["work"], edited["mobile"], edited["contactName"]) == ("999", "0170", "Jack Brown")

    assert call(admin, fresh_phones, "api-save_edit_contact", lastname="Nofirst") == {
        "res": "error", "msg": "firstname is required"}
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname="X", group="7")["res"] == "error"
    assert call(admin, fresh_phones, "api-save_edit_contact", id="77", firstname="X")["res"] == "error"

    assert call(admin, fresh_phones, "api-delete_contact", id="1") == OK
    assert call(admin, fresh_phones, "api-delete_contact", id="1")["res"] == "error"
    assert call(admin, fresh_phones, "api-delete_contact")["res"] == "error"
    assert call(admin, fresh_phones, "api-delete_all_contact") == OK
    assert call(admin, fresh_phones, "api-get_contacts")["msg"] == []
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname="Again") == OK
    assert call(admin, fresh_phones, "api-get_contacts")["msg"][0]["contactID"] == "1"


def test_phonebook_download_is_parseable_xml(fresh_phones, admin):
    call(admin, fresh_phones, "api-add_group", name="R&D <lab>")
    call(admin, fresh_phones, "api-save_edit_contact", firstname="Zoë & Co", lastname="<Brown>", group="1",
         newphone1="123", newphone3="456")
    answer = admin.get(fresh_phones.url(0, "phonebook_download"))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/xml")
    book = ElementTree.fromstring(answer.content)
    assert book.tag == "AddressBook" and book.findtext("version") == "1"
    groups = {group.findtext("id"): group.findtext("name") for group in book.findall("pbgroup")}
    assert groups["1"] == "R&D <lab>"
    contact = book.find("Contact")
    assert contact.findtext("FirstName") == "Zoë & Co" and contact.findtext("LastName") == "<Brown>"
    assert contact.findtext("Group") == "1"
    phones = {phone.get("type"): phone.findtext("phonenumber") for phone in contact.findall("Phone")}
    assert phones == {"Work": "123", "Cell": "456"}


def test_phonebook_endpoints_need_a_forms_session(fresh_phones, http):
    for endpoint in ("api-get_contacts", "api-save_edit_contact", "api-delete_contact", "api-delete_all_contact",
                     "api-add_group", "api-get_groups", "api-edit_delete_group", "phonebook_download"):
        assert http.get(fresh_phones.url(0, endpoint)).status_code == 401, endpoint


def test_name_limits_count_bytes_of_utf8(fresh_phones, admin):
    emoji = "\U0001F600"  # 4 bytes of UTF-8
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname=emoji * 16) == OK  # 64 bytes
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname=emoji * 17) == {
        "res": "error", "msg": "first is too long"}  # 17 characters, 68 bytes
    assert call(admin, fresh_phones, "api-save_edit_contact", firstname="Ann", email="\u00e9" * 65) == {
        "res": "error", "msg": "email is too long"}  # 65 characters, 130 bytes
    assert call(admin, fresh_phones, "api-add_group", name="\u00e9" * 33) == {
        "res": "error", "msg": "group name is too long"}
    assert call(admin, fresh_phones, "api-add_group", name="\u00e9" * 32) == OK
    assert [contact["first"] for contact in fresh_phones.state(0)["contacts"]] == [emoji * 16]
