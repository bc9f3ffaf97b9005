"""gs_render's engine: provisioning XML, escaping, MAC names, secrets, idempotent atomic writes."""

import os
import stat
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import render
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import parse_phonebook, present_phonebook

SECRET = "Sip<&>Secret-42"
VALUES = {"account1.sip_server": "pbx.example.org", "P35": 201, "account1.transport": "TLS", "time.format": "24h",
          "account1.active": True, "account1.display_name": "R&D <desk> \"1\"", "account1.password": SECRET}
GROUPS = [{"name": "Sales"}, {"name": "R&D <lab>"}]
CONTACTS = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "1001", "email": "j@example.org"},
            {"first_name": "Zoë", "last_name": "O'Neil & Co", "group": "R&D <lab>", "mobile": "+44 20 7946"},
            {"first_name": "Spam", "group": "blacklist", "home": "0900"},
            {"first_name": "Reception", "fax": "100"}]


def params(dest_dir, **extra):
    values = {"mac": "00:0B:82:12:34:56", "dest_dir": str(dest_dir), "pvalues": dict(VALUES), "strict": False,
              "groups": GROUPS, "contacts": CONTACTS, "phonebook_dest": None, "include_secrets": False}
    values.update(extra)
    return values


def config_of(path):
    root = ET.parse(path).getroot()
    return root, {element.tag: element.text or "" for element in root.find("config")}


def test_config_xml_is_grandstream_provisioning_and_escapes():
    content = render.config_xml("000b82123456", [("P3", "R&D <desk> \"1\""), ("P48", "")])
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<gs_provision version="1">')
    assert b"<P3>R&amp;D &lt;desk&gt; \"1\"</P3>" in content and b"<P48></P48>" in content
    root = ET.fromstring(content)
    assert root.findtext("mac") == "000b82123456" and root.find("config").get("version") == "1"
    assert root.find("config").findtext("P3") == "R&D <desk> \"1\""


def test_run_writes_normalised_values_sorted_and_leaves_secrets_out(tmp_path):
    result = render.run(None, params(tmp_path), False)
    path = tmp_path / "cfg000b82123456.xml"
    root, values = config_of(path)
    assert root.findtext("mac") == "000b82123456"
    assert list(values) == ["P3", "P35", "P47", "P122", "P130", "P271"]
    assert values == {"P3": "R&D <desk> \"1\"", "P35": "201", "P47": "pbx.example.org", "P122": "1", "P130": "2",
                      "P271": "1"}
    assert SECRET.encode() not in path.read_bytes() and SECRET not in str(result)
    assert result["secrets_left_out"] == ["account1.password"]
    assert "account1.password (P34)" in result["warnings"][0]
    assert result["changed"] is True and result["config"]["pvalues"] == 6
    assert result["phonebook"]["path"] == str(tmp_path / "phonebook.xml")
    assert sorted(os.listdir(tmp_path)) == ["cfg000b82123456.xml", "phonebook.xml"]  # no temporary files


def test_phonebook_reads_back_as_the_contacts_it_was_rendered_from(tmp_path):
    render.run(None, params(tmp_path), False)
    parsed = parse_phonebook((tmp_path / "phonebook.xml").read_bytes())
    assert parsed["groups"] == [{"id": 1, "name": "Sales"}, {"id": 2, "name": "R&D <lab>"}]
    contacts = present_phonebook(parsed)["contacts"]
    expected = [dict(contact, **({} if "group" in contact else {"group": "default"})) for contact in CONTACTS]
    expected[2]["last_name"] = expected[3]["last_name"] = ""
    assert contacts == expected


def test_group_ids_skip_the_blacklist_id():
    ids = render._group_ids([{"name": "G%d" % number} for number in range(101)] + [{"name": "blacklist"}])
    assert ids["G98"] == 99 and ids["G99"] == 101 and ids["blacklist"] == 100 and ids["default"] == 0


def test_second_run_changes_nothing_and_check_mode_writes_nothing(tmp_path):
    first = render.run(None, params(tmp_path), True)
    assert first["changed"] is True and os.listdir(tmp_path) == []
    render.run(None, params(tmp_path), False)
    before = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    again = render.run(None, params(tmp_path), False)
    assert again["changed"] is False and "diff" not in again
    assert {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)} == before


def test_include_secrets_writes_them_privately_and_the_diff_never_shows_them(tmp_path):
    render.run(None, params(tmp_path, include_secrets=True), False)
    path = tmp_path / "cfg000b82123456.xml"
    assert config_of(path)[1]["P34"] == SECRET
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    changed = dict(VALUES, **{"account1.password": "new-" + SECRET, "P35": 202})
    result = render.run(None, params(tmp_path, include_secrets=True, pvalues=changed), False)
    config_diff = result["diff"][0]
    assert "<P35>201</P35>" in config_diff["before"] and "<P35>202</P35>" in config_diff["after"]
    assert "<P34>********</P34>" in config_diff["before"] and "<P34>********</P34>" in config_diff["after"]
    assert "Secret" not in str(result)


def test_a_private_file_stays_private_and_a_public_one_becomes_private(tmp_path):
    render.run(None, params(tmp_path), False)
    path = tmp_path / "cfg000b82123456.xml"
    os.chmod(path, 0o644)
    result = render.run(None, params(tmp_path, include_secrets=True), False)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and result["config"]["mode"] == "0600"


def test_everything_is_validated_before_any_file_is_written(tmp_path):
    bad_values = dict(VALUES, **{"time.format": "25h", "device.mac": "x", "no.such": 1, "P30": "a\x01b"})
    with pytest.raises(ValidationError) as error:
        render.run(None, params(tmp_path, pvalues=bad_values), False)
    for name in ("time.format", "device.mac", "no.such", "pvalues.P30: contains control characters"):
        assert name in error.value.message
    assert SECRET not in error.value.message
    with pytest.raises(ValidationError, match="group 'Nowhere' of contact 'Ada' is not in groups"):
        render.run(None, params(tmp_path, contacts=[{"first_name": "Ada", "group": "Nowhere"}]), False)
    with pytest.raises(ValidationError, match="listed twice"):
        render.run(None, params(tmp_path, groups=[{"name": "A"}, {"name": "A"}]), False)
    with pytest.raises(ValidationError, match="not a MAC address"):
        render.run(None, params(tmp_path, mac="nope"), False)
    with pytest.raises(ValidationError, match="does not exist"):
        render.run(None, params(tmp_path, phonebook_dest=str(tmp_path / "missing" / "book.xml")), False)
    assert os.listdir(tmp_path) == []


def test_phonebook_only_when_asked_and_at_its_own_path(tmp_path):
    result = render.run(None, params(tmp_path, groups=None, contacts=None), False)
    assert "phonebook" not in result and os.listdir(tmp_path) == ["cfg000b82123456.xml"]
    with pytest.raises(ValidationError, match="phonebook_dest needs groups or contacts"):
        render.run(None, params(tmp_path, groups=None, contacts=None, phonebook_dest=str(tmp_path / "b.xml")), False)
    (tmp_path / "site1").mkdir()
    book = str(tmp_path / "site1" / "book.xml")
    result = render.run(None, params(tmp_path, groups=None, contacts=CONTACTS[2:], phonebook_dest=book), False)
    assert result["phonebook"]["path"] == book and result["phonebook"]["contacts"] == 2
    with pytest.raises(ValidationError, match="not a directory"):
        render.run(None, params(tmp_path / "nowhere"), False)


def test_masked_config_of_a_file_that_is_not_a_config():
    assert render.masked_config(b"<not-xml") is None
    assert render.masked_config(b"<AddressBook/>") is None
    assert render.masked_config(b'<!DOCTYPE x [<!ENTITY a "b">]><gs_provision><config/></gs_provision>') is None


def test_render_needs_no_phone_and_scrubs_given_secrets():
    assert render.ENGINE.needs_phone({}) is False and render.ENGINE.uses_connection is False
    assert render.ENGINE.secret_values({"pvalues": VALUES}) == {SECRET}
