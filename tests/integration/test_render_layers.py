"""render.yml merges every P-value layer with the role's merge (the desired_pvalues lookup), reading no phone."""

import os
import xml.etree.ElementTree as ET

from tests.helpers.ansible_run import ROOT, inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

with open(os.path.join(ROOT, "playbooks", "render.yml"), encoding="utf-8") as _handle:
    RENDER = _handle.read()
RENDER_TASK = "Render the config file and the phonebook"

phones, factory_phones = emulator_fixtures(count=2, protocol="http")


def layered(phones, **phone1):
    inventory = inventory_for(phones, "http", extra_vars={
        "phone_pvalues": {"ntp.server": "ntp.site.test", "time.format": "24h"},
        "phone_model_pvalues": {"GXV3370": {"time.format": "12h"}},
        "phone_pvalues_layers": ["phone_layer_floor2"]})
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    for index, host_vars in enumerate(hosts.values()):
        host_vars["phone_mac"] = "00:0B:82:AB:CD:1%d" % index
    hosts["phone0"].update(gs_model="GXV3370", phone_layer_floor2={"ntp.server": "ntp.floor2.test"},
                           phone_host_pvalues={"account1.sip_user_id": "4000"})
    hosts["phone1"].update(phone1)
    return inventory


def config(path):
    return {element.tag: element.text or "" for element in ET.parse(path).getroot().find("config")}


def test_model_and_named_layers_reach_the_rendered_file(phones, tmp_path):
    out = tmp_path / "tftp"
    phones.reset_counters()
    run = run_playbook(tmp_path, RENDER, layered(phones), "-e", "render_dir=%s" % out)
    assert run.rc == 0, run
    first, second = config(out / "cfg000b82abcd10.xml"), config(out / "cfg000b82abcd11.xml")
    # phone0: the model layer (by gs_model) over the site, the named layer over both, its host layer on top.
    assert (first["P30"], first["P122"], first["P35"]) == ("ntp.floor2.test", "0", "4000")
    # phone1: no gs_model (render reads no phone for it) and no floor2 layer: the site's values only.
    assert (second["P30"], second["P122"]) == ("ntp.site.test", "1") and "P35" not in second
    assert phones.counters()["requests"] == 0


def test_a_layer_that_is_not_a_mapping_fails_that_phone_naming_the_layer(phones, tmp_path):
    out = tmp_path / "tftp"
    run = run_playbook(tmp_path, RENDER, layered(phones, phone_group_pvalues=["ntp.server"]),
                       "-e", "render_dir=%s" % out)
    assert run.rc != 0
    failed = run.result("phone1", RENDER_TASK)
    assert failed["_status"] == "failed"
    assert "phone_group_pvalues must be a mapping of P-value names to values, not a list" in failed["msg"]
    assert run.result("phone0", RENDER_TASK)["_status"] in ("ok", "changed")
    assert os.path.exists(out / "cfg000b82abcd10.xml") and not os.path.exists(out / "cfg000b82abcd11.xml")
