"""gs_phonebook end to end: real ansible-playbook against the emulator's phones."""

import os
import stat


from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.dialect_requests import login_requests
from tests.helpers.emulator_proc import emulator_fixtures


phones, factory_phones = emulator_fixtures(count=2)


def download(name, dest=None, **options):
    arguments = dict(options)
    if dest is not None:
        arguments["dest"] = dest
    return {"name": name, "grandstream.phone.gs_phonebook": arguments}


def test_backup_changes_only_when_the_phonebook_changes(phones, tmp_path):
    dest = str(tmp_path / "{{ inventory_hostname }}-phonebook.xml")
    run = run_playbook(tmp_path, play(
        download("first", dest, mode="0600"),
        download("second", dest, mode="0600"),
        {"name": "contact", "grandstream.phone.gs_contacts": {"config": [{"first_name": "Jack", "last_name": "Brown",
                                                                          "work": "123"}]},
         "when": "inventory_hostname == 'phone1'"},
        download("third", dest, mode="0600"),
    ), inventory_for(phones))
    assert run.rc == 0, run
    for index in range(2):
        host = "phone%d" % index
        path = str(tmp_path / ("%s-phonebook.xml" % host))
        assert run.result(host, "first")["changed"] and not run.result(host, "second")["changed"]
        assert run.result(host, "third")["changed"] is (index == 1)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        # The dialect probe, the login (current firmware: its access challenge and the dologin), the download.
        login = len(login_requests(phones.dialect(index)["dialect"]))
        assert run.result(host, "first")["requests"]["requests"] == 1 + login + 1
    third = run.result("phone1", "third")
    assert third["contacts"] == [{"first_name": "Jack", "last_name": "Brown", "group": "default", "work": "123"}]
    assert b"<FirstName>Jack</FirstName>" in open(third["dest"], "rb").read()


def test_check_mode_does_not_write(phones, tmp_path):
    run = run_playbook(tmp_path, play(download("save", str(tmp_path / "book.xml"))),
                       inventory_for(phones, count=1), "--check", "--diff")
    assert run.rc == 0, run
    result = run.result("phone0", "save")
    assert result["changed"] and "<AddressBook>" in result["diff"]["after"]
    assert not os.path.exists(str(tmp_path / "book.xml"))


def test_missing_directory_fails_before_any_request(phones, tmp_path):
    run = run_playbook(tmp_path, play(download("save", str(tmp_path / "no" / "book.xml"))),
                       inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "save")
    assert result["field"] == "dest" and "does not exist" in result["msg"]
    assert phones.counters(0)["requests"] == 0


def test_without_dest_it_only_returns_the_phonebook(phones, tmp_path):
    run = run_playbook(tmp_path, play(download("read")), inventory_for(phones, count=1))
    assert run.rc == 0, run
    result = run.result("phone0", "read")
    assert not result["changed"] and result["contacts"] == []
    assert [g["name"] for g in result["groups"]] == ["default", "blacklist"]
