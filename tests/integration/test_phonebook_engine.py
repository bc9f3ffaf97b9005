"""The phonebook engines over real HTTP: PhoneClient -> emulator, request counts from its counters."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import contacts, groups, phonebook_download
from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from tests.helpers.emulator_proc import EmulatorProcess
from tests.helpers.phone_http import phone_login

WRITES = ("api-add_group", "api-edit_delete_group", "api-save_edit_contact", "api-delete_contact",
          "api-delete_all_contact")


@pytest.fixture(scope="module")
def emulator(dialect):
    with EmulatorProcess(count=1, firmware=dialect) as process:
        yield process


@pytest.fixture
def phone(emulator):
    emulator.reset()
    emulator.reset_counters()
    client = PhoneClient(ConnectionParams(host="127.0.0.1", port=emulator.ports[0], protocol="http",
                                          password="admin"))
    yield client
    client.close()


def calls(emulator):
    """Requests per endpoint since the last reset, without the login."""
    counted = dict(emulator.counters(0)["by_endpoint"])
    counted.pop("dologin", None)
    return counted


def writes(emulator):
    return {name: count for name, count in calls(emulator).items() if name in WRITES}


def run(engine, client, state="merged", config=None, check_mode=False):
    return engine.run(client, {"state": state, "config": config}, check_mode)


def add_raw_contact(emulator, **params):
    """A contact created behind the module's back, as a user would on the phone."""
    session = phone_login(emulator, 0)
    answer = session.get(emulator.url(0, "api-save_edit_contact"), params=params, timeout=10)
    assert answer.json()["response"] == "success", answer.text


# ---------------------------------------------------------------------------------------------- groups
def test_groups_merged_then_idempotent_with_one_read(emulator, phone):
    first = run(groups, phone, config=[{"name": "Sales"}, {"name": "Support"}])
    assert first["changed"] and first["commands"] == ["add_group name=Sales", "add_group name=Support"]
    assert [g["name"] for g in emulator.state(0)["groups"]] == ["default", "blacklist", "Sales", "Support"]
    emulator.reset_counters()
    second = run(groups, phone, config=[{"name": "Sales"}, {"name": "Support"}])
    assert not second["changed"] and calls(emulator) == {"api-get_groups": 1}


def test_group_rename_keeps_the_id_and_its_contacts(emulator, phone):
    run(groups, phone, config=[{"name": "Sales"}])
    run(contacts, phone, config=[{"first_name": "Jack", "last_name": "Brown", "group": "Sales"}])
    sales_id = next(g["id"] for g in emulator.state(0)["groups"] if g["name"] == "Sales")
    result = run(groups, phone, config=[{"name": "Field Sales", "old_name": "Sales"}])
    assert result["commands"] == ["rename_group id=%d old_name=Sales name='Field Sales'" % sales_id]
    state = emulator.state(0)
    assert {"id": sales_id, "name": "Field Sales"} in state["groups"]
    assert state["contacts"][0]["group"] == sales_id


def test_groups_overridden_and_deleted_keep_the_builtins(emulator, phone):
    run(groups, phone, config=[{"name": "A"}, {"name": "B"}])
    result = run(groups, phone, "overridden", [{"name": "B"}, {"name": "C"}])
    assert result["commands"] == ["delete_group id=1 name=A", "add_group name=C"]
    assert run(groups, phone, "deleted")["after"] == [{"name": "default"}, {"name": "blacklist"}]
    with pytest.raises(ValidationError, match="built-in group 'blacklist' cannot be deleted"):
        run(groups, phone, "deleted", [{"name": "blacklist"}])


def test_groups_check_mode_writes_nothing(emulator, phone):
    result = run(groups, phone, "overridden", [{"name": "X"}], check_mode=True)
    assert result["changed"] and result["after"][-1] == {"name": "X"}
    assert writes(emulator) == {}


# ---------------------------------------------------------------------------------------------- contacts
def test_names_are_read_faithfully_even_when_the_joined_names_are_equal(emulator, phone):
    add_raw_contact(emulator, firstname="Mary", lastname="Ann Smith", newphone1="1")
    add_raw_contact(emulator, firstname="Mary Ann", lastname="Smith", newphone1="2")
    gathered = run(contacts, phone, "gathered")["gathered"]
    assert [(c["first_name"], c["last_name"], c["work"]) for c in gathered] == [
        ("Mary", "Ann Smith", "1"), ("Mary Ann", "Smith", "2")]
    # Both share the key "Mary Ann Smith": the copy that already matches stays, the twin goes; no edit.
    result = run(contacts, phone, "overridden", [{"first_name": "Mary Ann", "last_name": "Smith", "work": "2"}])
    assert result["commands"] == ["delete_contact id=1 name='Mary Ann Smith'"]
    assert [(c["id"], c["first"], c["last"]) for c in emulator.state(0)["contacts"]] == [(2, "Mary Ann", "Smith")]


def test_contacts_states_against_the_phone(emulator, phone):
    run(groups, phone, config=[{"name": "Sales"}])
    jack = {"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123", "email": "jack@example.com"}
    ann = {"first_name": "Ann", "last_name": "Lee", "mobile": "+1 555 0100"}
    run(contacts, phone, config=[jack, ann])
    jack_id = emulator.state(0)["contacts"][0]["id"]

    merged = run(contacts, phone, config=[{"first_name": "Jack", "last_name": "Brown", "home": "999"}])
    assert merged["commands"][0].startswith("save_contact id=%d " % jack_id)
    assert emulator.state(0)["contacts"][0]["work"] == "123"  # untouched by merged

    replaced = run(contacts, phone, "replaced", [{"first_name": "Jack", "last_name": "Brown", "home": "999"}])
    stored = emulator.state(0)["contacts"][0]
    assert replaced["changed"]
    assert (stored["id"], stored["group"], stored["work"], stored["email"]) == (jack_id, 0, "", "")
    emulator.reset_counters()
    overridden = run(contacts, phone, "overridden", [{"first_name": "Jack", "last_name": "Brown", "home": "999"}])
    assert overridden["commands"] == ["delete_contact id=2 name='Ann Lee'"]
    assert writes(emulator) == {"api-delete_contact": 1}

    add_raw_contact(emulator, firstname="Zed")
    emulator.reset_counters()
    deleted = run(contacts, phone, "deleted")
    assert deleted["commands"] == ["delete_all_contacts"] and emulator.state(0)["contacts"] == []
    assert writes(emulator) == {"api-delete_all_contact": 1}


def test_contacts_second_run_makes_no_writes_and_two_reads(emulator, phone):
    run(groups, phone, config=[{"name": "Sales"}])
    config = [{"first_name": "Jack", "last_name": "Brown", "work": "123", "group": "Sales"}]
    assert run(contacts, phone, config=config)["changed"]
    emulator.reset_counters()
    assert not run(contacts, phone, config=config)["changed"]
    # The group names come from the phonebook XML's <pbgroup> list: api-get_groups is not read.
    assert calls(emulator) == {"api-get_contacts": 1, "phonebook_download": 1}


def test_unknown_group_fails_before_any_write(emulator, phone):
    config = [{"first_name": "A"}, {"first_name": "B", "group": "Nope"}]
    with pytest.raises(ValidationError, match=r"config\[1\].group: group 'Nope' of contact 'B'"):
        run(contacts, phone, config=config)
    assert writes(emulator) == {} and emulator.state(0)["contacts"] == []
    # In check mode a group an earlier task would create is only a warning.
    result = run(contacts, phone, config=config, check_mode=True)
    assert result["changed"] and "'Nope'" in result["warnings"][0] and writes(emulator) == {}


def test_phone_error_midway_reports_the_applied_commands(emulator, phone):
    send = phone.call

    def call_then_drop_off_after_the_first_save(endpoint, *args, **kwargs):
        answer = send(endpoint, *args, **kwargs)
        if endpoint == "api-save_edit_contact":
            emulator.faults(0, {"down": True})  # the phone leaves the network in the middle of the task
        return answer

    phone.call = call_then_drop_off_after_the_first_save
    try:
        with pytest.raises(PhoneError) as caught:
            run(contacts, phone, config=[{"first_name": "A"}, {"first_name": "B"}])
    finally:
        emulator.faults(0, {})
    assert caught.value.details["applied"] == ["save_contact first_name=A group=default"]
    assert "after 1 of 2 change(s) were applied" in str(caught.value)
    assert [contact["first"] for contact in emulator.state(0)["contacts"]] == ["A"]


def test_request_cost_of_300_new_contacts(emulator, phone):
    run(groups, phone, config=[{"name": "Staff"}])
    config = [{"first_name": "User", "last_name": "%03d" % n, "group": "Staff", "work": str(1000 + n),
               "email": "user%03d@example.com" % n} for n in range(300)]
    emulator.reset_counters()
    result = run(contacts, phone, config=config)
    assert len(result["commands"]) == 300 and len(result["after"]) == 300
    # Reads: contacts, then groups (an empty phonebook has no XML to list them); read-back: contacts + XML.
    assert calls(emulator) == {"api-get_groups": 1, "api-get_contacts": 2, "phonebook_download": 1,
                               "api-save_edit_contact": 300}
    emulator.reset_counters()
    assert not run(contacts, phone, config=config)["changed"]
    assert calls(emulator) == {"api-get_contacts": 1, "phonebook_download": 1}


# ---------------------------------------------------------------------------------------------- download
def test_download_to_dest_changes_only_when_the_content_differs(emulator, phone, tmp_path):
    dest = tmp_path / "phonebook.xml"
    params = {"dest": str(dest), "mode": "0600"}
    assert phonebook_download.run(phone, params, False)["changed"]
    assert dest.read_bytes().startswith(b'<?xml version="1.0"')
    assert not phonebook_download.run(phone, params, False)["changed"]
    run(contacts, phone, config=[{"first_name": "Jack", "last_name": "Brown", "work": "123"}])
    assert phonebook_download.run(phone, params, True)["changed"]  # check mode: would change ...
    assert b"Jack" not in dest.read_bytes()  # ... but did not write
    result = phonebook_download.run(phone, params, False)
    assert result["changed"] and result["contacts"] == [{"first_name": "Jack", "last_name": "Brown",
                                                         "group": "default", "work": "123"}]


HOSTILE = {
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                      b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><AddressBook>&c;</AddressBook>',
    "external-entity": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                       b"<AddressBook><Contact><FirstName>&x;</FirstName></Contact></AddressBook>",
    "malformed": b"<AddressBook><Contact>",
}


class HostilePhone(BaseHTTPRequestHandler):
    """Logs anyone in, then serves whatever ``server.document`` holds as the phonebook."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(json.dumps({"response": "success", "body": {"sid": "f00d", "role": "admin"}}).encode(),
                     "application/json")

    def do_GET(self):
        if self.path.startswith("/cgi-bin/phonebook_download"):
            self._answer(self.server.document, "text/xml")
        else:
            self._answer(json.dumps({"res": "success", "msg": [{"contactID": "1", "contactName": "x",
                                                                "groupID": "0"}]}).encode(), "application/json")

    def _answer(self, body, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile_phone():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostilePhone)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = PhoneClient(ConnectionParams(host="127.0.0.1", port=server.server_address[1], protocol="http",
                                          password="admin", retries=0))
    yield server, client
    client.close()
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_phonebook_from_the_network_is_refused(hostile_phone, tmp_path, kind):
    server, client = hostile_phone
    server.document = HOSTILE[kind]
    dest = tmp_path / "book.xml"
    with pytest.raises(PhoneError) as caught:
        phonebook_download.run(client, {"dest": str(dest), "mode": None}, False)
    assert ("malformed" if kind == "malformed" else "refused the phonebook XML") in str(caught.value)
    assert not dest.exists()
    # Reading contacts parses the same document with the same parser.
    with pytest.raises(PhoneError, match="phonebook XML"):
        contacts.run(client, {"state": "gathered", "config": None}, False)
