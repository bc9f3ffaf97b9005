"""The grandstream.phone.contacts lookup end to end: CSV and vCard files into gs_contacts on emulated phones
and into the phonebook.xml gs_render writes, through real ansible-playbook."""

import os

from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import parse_phonebook, present_phonebook
from tests.helpers.ansible_run import ROOT, inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

phones, factory_phones = emulator_fixtures(count=2)

STAFF_CSV = (
    "First Name,Last Name,Department,Work Phone,Mobile,E-mail\n"
    "Jack,Brown,Sales,+1 (555) 010-0100,,jack.brown@example.com\n"
    "Mary Ann,Smith,Support,,555,\n"
    "Reception,,,100,,\n"
)
TEAM_VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nTEL;TYPE=work,voice:+1 555 0101\r\n"
    "TEL;TYPE=cell:+1 555 0102\r\nCATEGORIES:Support\r\nEMAIL:jane@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Lobby Fax\r\nTEL;VALUE=uri;TYPE=\"work,fax\":tel:+1-555-0199\r\nEND:VCARD\r\n"
)
EXPECTED = [
    {"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "+1 (555) 010-0100",
     "email": "jack.brown@example.com"},
    {"first_name": "Mary Ann", "last_name": "Smith", "group": "Support", "mobile": "555"},
    {"first_name": "Reception", "work": "100"},
    {"first_name": "Jane", "last_name": "Doe", "group": "Support", "work": "+1 555 0101", "mobile": "+1 555 0102",
     "email": "jane@example.com"},
    {"first_name": "Lobby Fax", "fax": "+1-555-0199"},
]
CONTACTS_TASK = {"name": "phonebook", "grandstream.phone.gs_contacts": {
    "groups": "{{ query('grandstream.phone.contacts', 'staff.csv', 'team.vcf', groups=true) }}",
    "config": "{{ query('grandstream.phone.contacts', 'staff.csv', 'team.vcf') }}"}}


def write_files(tmp_path, staff=STAFF_CSV):
    (tmp_path / "staff.csv").write_text(staff, encoding="utf-8")
    (tmp_path / "team.vcf").write_text(TEAM_VCF, encoding="utf-8")


def phone_phonebook(phones, index):
    state = phones.state(index)
    groups = {group["id"]: group["name"] for group in state["groups"]}
    return sorted(groups.values()), sorted(contact["first"] for contact in state["contacts"]), state, groups


def test_csv_and_vcard_become_the_phonebook_and_stay_clean(phones, tmp_path):
    write_files(tmp_path)
    run = run_playbook(tmp_path, play(CONTACTS_TASK), inventory_for(phones))
    assert run.rc == 0, run
    for index in range(2):
        assert run.result("phone%d" % index, "phonebook")["changed"] is True
        group_names, first_names, state, groups = phone_phonebook(phones, index)
        assert group_names == ["Sales", "Support", "blacklist", "default"]
        assert first_names == sorted(contact["first_name"] for contact in EXPECTED)
        jack = next(contact for contact in state["contacts"] if contact["first"] == "Jack")
        assert groups[jack["group"]] == "Sales" and jack["work"] == "+1 (555) 010-0100"
    # The same files again: nothing to change, nothing written.
    phones.reset_counters()
    again = run_playbook(tmp_path, play(CONTACTS_TASK), inventory_for(phones), name="again")
    assert again.rc == 0, again
    for index in range(2):
        assert again.result("phone%d" % index, "phonebook")["changed"] is False
        assert phones.counters(index)["writes"] == 0


def test_a_bad_row_fails_naming_file_line_and_field_before_any_request(phones, tmp_path):
    write_files(tmp_path, STAFF_CSV + "Joe,Bloggs,Sales,555-CALL-NOW,,\n")
    run = run_playbook(tmp_path, play(CONTACTS_TASK), inventory_for(phones))
    assert run.rc != 0
    message = run.result("phone0", "phonebook")["msg"]
    assert "grandstream.phone.contacts: staff.csv:5.work: '555-CALL-NOW' is not a dialable number" in message
    for index in range(2):
        assert phones.counters(index)["requests"] == 0
        assert phones.state(index)["contacts"] == []


def test_the_same_files_render_into_phonebook_xml(phones, tmp_path):
    write_files(tmp_path)
    render = {"name": "render", "grandstream.phone.gs_render": {
        "mac": "00:0B:82:12:34:56", "dest_dir": str(tmp_path),
        "groups": "{{ query('grandstream.phone.contacts', 'staff.csv', 'team.vcf', groups=true) }}",
        "contacts": "{{ query('grandstream.phone.contacts', 'staff.csv', 'team.vcf') }}"}}
    run = run_playbook(tmp_path, [{"hosts": "localhost", "gather_facts": False, "tasks": [render]}],
                       {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}})
    assert run.rc == 0, run
    document = present_phonebook(parse_phonebook((tmp_path / "phonebook.xml").read_bytes()))
    assert [group["name"] for group in document["groups"]] == ["Sales", "Support"]
    # Read back, a contact has a last name ("" when none) and a group ("default" when none).
    expected = [dict(contact, group=contact.get("group", "default"), last_name=contact.get("last_name", ""))
                for contact in EXPECTED]
    assert document["contacts"] == expected


def test_the_role_takes_its_phonebook_from_the_files(phones, tmp_path):
    write_files(tmp_path)
    role_vars = {"phone_groups": "{{ query('grandstream.phone.contacts', 'staff.csv', 'team.vcf', groups=true) }}",
                 "phone_contacts": "{{ query('grandstream.phone.contacts', 'staff.csv', 'team.vcf') }}"}
    with open(os.path.join(ROOT, "playbooks", "provision.yml"), encoding="utf-8") as handle:
        provision = handle.read()  # written next to the files, so the lookup finds them in the playbook dir
    run = run_playbook(tmp_path, provision, inventory_for(phones, extra_vars=role_vars), name="provision")
    assert run.rc == 0, run
    for index in range(2):
        group_names, first_names, unused, unused_groups = phone_phonebook(phones, index)
        assert group_names == ["Sales", "Support", "blacklist", "default"]
        assert first_names == sorted(contact["first_name"] for contact in EXPECTED)
