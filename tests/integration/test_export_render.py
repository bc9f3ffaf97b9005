"""playbooks/export.yml and playbooks/render.yml through real ansible-playbook against emulated phones."""

import os
import stat
import xml.etree.ElementTree as ET

import yaml

from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import parse_phonebook, present_phonebook
from tests.helpers.ansible_run import inventory_for, run_playbook, shipped_playbook
from tests.helpers.emulator_proc import emulator_fixtures

PHONES = 3
SECRET = "Sip-Secret-7d2e"
SITE = {
    "phone_pvalues": {"ntp.server": "ntp.site.test", "time.format": "24h", "account1.active": True,
                      "account1.sip_server": "pbx.site.test", "account1.transport": "tls",
                      "account1.password": SECRET},
    "phone_groups": [{"name": "Sales"}, {"name": "R&D <lab>"}],
    "phone_contacts": [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "1001",
                        "email": "jack@example.org"},
                       {"first_name": "Zoë", "last_name": "O'Neil & Co", "group": "R&D <lab>", "mobile": "+44 20 7946"}],
}
HOST_FILE = """---
# phone{index}: hand-written notes that an export must keep
phone_mac: "{mac}"   # on the sticker
phone_host_pvalues:
  account1.sip_user_id: "20{index}"   # extension
  account1.display_name: Desk 20{index}
  account1.password: {secret}
notes:
  - keep me
"""
# config_update: the current dialect's values write.
WRITE_ENDPOINTS = ("api-values.post", "api.values.post", "config_update", "api-add_group",
                   "api-edit_delete_group", "api-save_edit_contact", "api-delete_contact", "api-delete_all_contact")


phones, factory_phones = emulator_fixtures(count=PHONES, protocol="http")


def playbook(name):
    return shipped_playbook(name + ".yml")


def writes(phones, index):
    by_endpoint = phones.counters(index)["by_endpoint"]
    return sum(by_endpoint.get(name, 0) for name in WRITE_ENDPOINTS)


def layered_inventory(phones, directory):
    """Site layer as group vars, each phone's own file in host_vars (as a real inventory has them)."""
    os.makedirs(directory / "host_vars", exist_ok=True)
    for index in range(PHONES):
        text = HOST_FILE.format(index=index, secret=SECRET, mac=phones.state(index)["mac"].lower())
        (directory / "host_vars" / ("phone%d.yml" % index)).write_text(text)
    return inventory_for(phones, "http", extra_vars=SITE)


def file_bytes(directory):
    return {name: (directory / "host_vars" / name).read_bytes() for name in sorted(os.listdir(directory / "host_vars"))}


def test_fresh_export_provisions_to_no_change_and_repeats_byte_identical(phones, tmp_path):
    provisioned = tmp_path / "provisioned"
    assert run_playbook(provisioned, playbook("provision"), layered_inventory(phones, provisioned)).rc == 0
    # A new inventory that knows only how to reach the phones: the brownfield case.
    adopted = tmp_path / "adopted"
    adopted.mkdir()
    bare = inventory_for(phones, "http")
    export = run_playbook(adopted, playbook("export"), bare, name="export")
    assert export.rc == 0, export
    files = file_bytes(adopted)
    assert sorted(files) == ["phone%d.yml" % index for index in range(PHONES)]
    for index in range(PHONES):
        text = files["phone%d.yml" % index].decode()
        assert SECRET not in text and "password" not in text
        data = yaml.safe_load(text)
        assert data["phone_host_pvalues"]["account1.sip_user_id"] == "20%d" % index
        assert data["phone_mac"] == phones.state(index)["mac"]
        assert data["phone_host_pvalues"]["account1.transport"] == "tls"
        assert data["phone_host_pvalues"]["time.format"] == "24h"
        assert data["phone_host_groups"] == SITE["phone_groups"]
        assert {contact["first_name"] for contact in data["phone_host_contacts"]} == {"Jack", "Zoë"}
    assert SECRET not in export.stdout + str(export.results)

    phones.reset_counters()
    provision = run_playbook(adopted, playbook("provision"), bare, name="provision")
    assert provision.rc == 0, provision
    for index in range(PHONES):
        assert provision.changed_count("phone%d" % index) == 0
        assert writes(phones, index) == 0

    again = run_playbook(adopted, playbook("export"), bare, name="export-again")
    assert again.rc == 0, again
    assert file_bytes(adopted) == files
    for index in range(PHONES):
        assert again.changed_count("phone%d" % index) == 0


def test_export_into_layered_inventory_keeps_comments_and_captures_drift(phones, tmp_path):
    inventory = layered_inventory(phones, tmp_path)
    assert run_playbook(tmp_path, playbook("provision"), inventory).rc == 0
    phones.set_pvalues(1, {"P30": "rogue.ntp.test", "P3": "Front desk"})
    drifted_before = run_playbook(tmp_path, playbook("provision"), inventory, "--check", name="check")
    assert drifted_before.changed_count("phone1") > 0

    export = run_playbook(tmp_path, playbook("export"), inventory, name="export")
    assert export.rc == 0, export
    files = file_bytes(tmp_path)
    # What the phone holds beyond the site layer joins the host layer (here: factory values).
    assert yaml.safe_load(files["phone0.yml"])["phone_host_pvalues"]["time.zone"] == "GMT"
    text = files["phone1.yml"].decode()
    assert "# phone1: hand-written notes that an export must keep" in text
    assert '"%s"   # on the sticker' % phones.state(1)["mac"].lower() in text and "- keep me" in text
    assert "account1.password: %s" % SECRET in text  # the user's own secret stays where it was
    data = yaml.safe_load(text)
    assert data["phone_host_pvalues"]["account1.display_name"] == "Front desk"  # updated in place
    assert data["phone_host_pvalues"]["ntp.server"] == "rogue.ntp.test"  # overrides the site layer
    assert "time.format" not in data["phone_host_pvalues"]  # the site layer already declares it
    assert "phone_host_groups" not in data and "phone_host_contacts" not in data
    assert SECRET not in export.stdout + str(export.results)

    provision = run_playbook(tmp_path, playbook("provision"), inventory, name="provision")
    assert provision.rc == 0, provision
    assert all(provision.changed_count("phone%d" % index) == 0 for index in range(PHONES))
    again = run_playbook(tmp_path, playbook("export"), inventory, name="export-again")
    assert again.rc == 0 and file_bytes(tmp_path) == files


def test_export_can_leave_out_factory_defaults_unless_a_layer_sets_another_value(phones, tmp_path):
    inventory = layered_inventory(phones, tmp_path)
    assert run_playbook(tmp_path, playbook("provision"), inventory).rc == 0
    phones.set_pvalues(1, {"P64": "CET"})  # not the factory default: exported
    phones.set_pvalues(2, {"P30": "pool.ntp.org"})  # the factory default, but the site layer says otherwise

    export = run_playbook(tmp_path, playbook("export"), inventory, "-e", "export_skip_defaults=true", name="export")
    assert export.rc == 0, export
    host = {index: yaml.safe_load((tmp_path / "host_vars" / ("phone%d.yml" % index)).read_text())
            ["phone_host_pvalues"] for index in range(PHONES)}
    for name in ("time.zone", "display.language", "upgrade.via", "provisioning.config_server_path",
                 "account1.register_expiration", "account2.active", "web.access_mode"):
        assert name not in host[0], name  # each holds its factory default on phone0
    assert host[1]["time.zone"] == "CET"
    assert host[2]["ntp.server"] == "pool.ntp.org"  # overrides the site layer, default or not
    assert "ntp.server" not in host[0]
    assert host[0]["account1.sip_user_id"] == "200"  # declared in the file: kept

    # The shorter host layer still describes each phone exactly: nothing to change.
    phones.reset_counters()
    provision = run_playbook(tmp_path, playbook("provision"), inventory, name="provision")
    assert provision.rc == 0, provision
    assert all(provision.changed_count("phone%d" % index) == 0 for index in range(PHONES))
    assert all(writes(phones, index) == 0 for index in range(PHONES))


def test_export_check_mode_shows_the_change_and_writes_nothing(phones, tmp_path):
    inventory = layered_inventory(phones, tmp_path)
    assert run_playbook(tmp_path, playbook("provision"), inventory).rc == 0
    assert run_playbook(tmp_path, playbook("export"), inventory, name="export").rc == 0
    phones.set_pvalues(0, {"P30": "rogue.ntp.test"})
    before = file_bytes(tmp_path)
    run = run_playbook(tmp_path, playbook("export"), inventory, "--check", "--diff", name="check")
    assert run.rc == 0, run
    assert file_bytes(tmp_path) == before
    result = run.result("phone0", "Write the phone's variables file")
    assert result["changed"] is True
    assert "rogue.ntp.test" in result["diff"]["after"] and "rogue.ntp.test" not in result["diff"]["before"]
    assert SECRET not in str(result["diff"]) and "********" in result["diff"]["after"]
    assert run.result("phone1", "Write the phone's variables file")["changed"] is False


def test_export_needs_an_existing_directory(phones, tmp_path):
    run = run_playbook(tmp_path, playbook("export"), inventory_for(phones, "http", count=1), "--check",
                       "-e", "export_dir=%s" % (tmp_path / "missing"), name="missing")
    assert run.rc != 0
    assert "does not exist" in run.result("phone0", "Write the phone's variables file")["msg"]


def render_inventory(phones, **extra):
    inventory = inventory_for(phones, "http", extra_vars=dict(SITE, **extra))
    for index, host_vars in enumerate(inventory["all"]["children"]["phones"]["hosts"].values()):
        host_vars["phone_mac"] = "00:0B:82:AB:CD:0%d" % index
        host_vars["phone_host_pvalues"] = {"account1.sip_user_id": "30%d" % index}
    return inventory


def config_values(path):
    root = ET.parse(path).getroot()
    assert root.tag == "gs_provision" and root.get("version") == "1"
    return root.findtext("mac"), {element.tag: element.text or "" for element in root.find("config")}


def test_render_writes_config_and_phonebook_without_contacting_a_phone(phones, tmp_path):
    out = tmp_path / "tftp"
    run = run_playbook(tmp_path, playbook("render"), render_inventory(phones), "-e", "render_dir=%s" % out)
    assert run.rc == 0, run
    assert sorted(os.listdir(out)) == ["cfg000b82abcd0%d.xml" % index for index in range(PHONES)] + ["phonebook.xml"]
    for index in range(PHONES):
        mac, values = config_values(out / ("cfg000b82abcd0%d.xml" % index))
        assert mac == "000b82abcd0%d" % index
        assert values["P30"] == "ntp.site.test" and values["P122"] == "1" and values["P130"] == "2"
        assert values["P271"] == "1" and values["P35"] == "30%d" % index
        assert "P34" not in values
        assert "account1.password" in run.result("phone%d" % index, "Render the config file and the phonebook")[
            "secrets_left_out"]
    book = present_phonebook(parse_phonebook((out / "phonebook.xml").read_bytes()))
    assert [group["name"] for group in book["groups"]] == ["Sales", "R&D <lab>"]
    assert book["contacts"][1] == {"first_name": "Zoë", "last_name": "O'Neil & Co", "group": "R&D <lab>",
                                   "mobile": "+44 20 7946"}
    assert book["contacts"][0]["email"] == "jack@example.org"
    everything = b"".join(path.read_bytes() for path in out.iterdir())
    assert SECRET.encode() not in everything and SECRET not in run.stdout + str(run.results)
    assert phones.counters()["requests"] == 0

    again = run_playbook(tmp_path, playbook("render"), render_inventory(phones), "-e", "render_dir=%s" % out,
                         name="again")
    assert again.rc == 0 and all(again.changed_count("phone%d" % index) == 0 for index in range(PHONES))


def test_render_with_secrets_makes_the_config_private(phones, tmp_path):
    out = tmp_path / "tftp"
    run = run_playbook(tmp_path, playbook("render"), render_inventory(phones), "--diff", "-e", "render_dir=%s" % out,
                       "-e", "render_include_secrets=true")
    assert run.rc == 0, run
    path = out / "cfg000b82abcd00.xml"
    assert config_values(path)[1]["P34"] == SECRET
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert SECRET not in run.stdout + str(run.results)  # the diff masks it


def test_render_refuses_phones_that_would_share_different_phonebooks(phones, tmp_path):
    inventory = render_inventory(phones)
    inventory["all"]["children"]["phones"]["hosts"]["phone2"]["phone_host_contacts"] = [{"first_name": "Only2"}]
    run = run_playbook(tmp_path, playbook("render"), inventory, "-e", "render_dir=%s" % (tmp_path / "tftp"))
    assert run.rc != 0
    assert "render_phonebook_dest" in run.stdout
