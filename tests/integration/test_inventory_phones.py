"""The grandstream.phone.phones inventory plugin end to end: real ansible-inventory and ansible-playbook,
loopback addresses only, the emulator's phones and a few servers that are not phones."""

import json
import os
import shutil
import subprocess
import sys

import yaml

from tests.helpers.ansible_run import BIN, COLLECTIONS, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures, find_free_port_block
from tests.helpers.other_http import OtherServer

phones, factory_phones = emulator_fixtures(count=3, protocol="both")
LOGIN_ENDPOINTS = ("dologin", "login", "access", "api-login", "api-phone_operation")
PROBE_ENDPOINT = "api-values.get"


def write_inventory(tmp_path, config, name="lab.phones.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(dict({"plugin": "grandstream.phone.phones"}, **config)))
    return path


def environment(tmp_path, **extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
               ANSIBLE_INVENTORY_UNPARSED_FAILED="1")
    env.update(extra)
    return env


def inventory_list(tmp_path, path, *args, **env):
    output = tmp_path / "listing.json"
    if output.exists():
        output.unlink()
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(path), "--list", "--export",
                           "--output", str(output)] + list(args),
                          cwd=str(tmp_path), env=environment(tmp_path, **env), capture_output=True, text=True,
                          timeout=120, check=False)
    listing = json.loads(output.read_text()) if proc.returncode == 0 else None
    return proc, listing


def hostvars(listing):
    """Host variables as plain values (ansible-inventory marks inventory strings as unsafe)."""
    def plain(value):
        return value["__ansible_unsafe"] if isinstance(value, dict) and "__ansible_unsafe" in value else value
    return {host: {key: plain(value) for key, value in variables.items()}
            for host, variables in listing["_meta"]["hostvars"].items()}


def assert_no_login(phones):
    for index in range(3):
        counters = phones.counters(index)
        assert counters["logins"] == 0 and counters["failed_logins"] == 0, counters
        assert not set(counters["by_endpoint"]) & set(LOGIN_ENDPOINTS), counters


def test_range_scan_describes_every_phone_and_never_logs_in(phones, tmp_path, dialect):
    path = write_inventory(tmp_path, {
        "protocol": "http", "ranges": [{"cidr": "127.0.0.1/32", "ports": phones.ports}],
        "keyed_groups": [{"key": "gs_model", "prefix": "model"}],
        "groups": {"wifi_phones": "gs_model in ['GXV3380', 'GXV3350', 'WP820']"},
        "compose": {"site": "'lab-' ~ gs_port"}})
    proc, listing = inventory_list(tmp_path, path)
    assert proc.returncode == 0, proc.stderr
    variables = hostvars(listing)
    assert sorted(variables) == sorted("127.0.0.1_%d" % port for port in phones.ports)
    for index, port in enumerate(phones.ports):
        state, host = phones.state(index), variables["127.0.0.1_%d" % port]
        assert host["ansible_host"] == "127.0.0.1" and host["gs_port"] == port and host["gs_protocol"] == "http"
        assert (host["gs_model"], host["gs_dialect"]) == (state["model"], dialect)
        if dialect == "guide":
            assert host["gs_firmware"] == state["pvalues"]["P68"]
        else:
            assert "gs_firmware" not in host  # model.define.js does not tell it, the login answer would
        assert "gs_mac" not in host  # the guide dialect keeps P67 behind the login: never invented
        assert host["site"] == "lab-%d" % port
        assert "127.0.0.1_%d" % port in listing["model_" + state["model"]]["hosts"]
        assert ("127.0.0.1_%d" % port in listing.get("wifi_phones", {}).get("hosts", [])) == (
            state["model"] != "GXV3370")
    assert sorted(listing["grandstream_phones"]["hosts"]) == sorted(variables)
    assert_no_login(phones)
    # One request per guide-dialect phone: the public values answered, model.define.js not needed; a current one
    # does not answer them as a phone and is known by model.define.js.
    probes = {PROBE_ENDPOINT: 1} if dialect == "guide" else {PROBE_ENDPOINT: 1, "model.define.js": 1}
    for index in range(3):
        assert phones.counters(index)["by_endpoint"] == probes


def test_playbook_on_discovered_inventory_with_model_group_vars(phones, tmp_path):
    path = write_inventory(tmp_path, {"protocol": "http", "addresses": ["127.0.0.1:%d" % port for port in phones.ports],
                                      "keyed_groups": [{"key": "gs_model", "prefix": "model"}]})
    group_vars = tmp_path / "group_vars"
    group_vars.mkdir()
    (group_vars / "grandstream_phones.yml").write_text(yaml.safe_dump({
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable, "gs_password": "admin"}))
    (group_vars / "model_GXV3370.yml").write_text(yaml.safe_dump({"wanted_pvalues": ["P30"]}))
    play = [{"hosts": "grandstream_phones", "gather_facts": False, "tasks": [
        {"name": "info", "register": "info", "grandstream.phone.gs_info": {
            "gather_subset": ["system"], "pvalues": "{{ wanted_pvalues | default([]) }}"}}]}]
    # The discovered inventory is the second -i; the first (required by the helper) is empty.
    run = run_playbook(tmp_path, play, {"all": {"hosts": {}}}, "-i", str(path))
    assert run.rc == 0, run
    for index, port in enumerate(phones.ports):
        state, result = phones.state(index), run.result("127.0.0.1_%d" % port, "info")
        assert result["system"]["model"] == state["model"]
        assert ("P30" in result.get("pvalues", {})) == (state["model"] == "GXV3370")
        counters = phones.counters(index)
        # The probe never logged in; gs_info logged in once, with the right password.
        assert counters["logins"] == 1 and counters["failed_logins"] == 0, counters


def test_unhappy_endpoints_are_left_out_as_documented(phones, tmp_path):
    free_port = find_free_port_block(1)
    with OtherServer("not_phone") as listed_web, OtherServer("not_phone") as scanned_web, \
            OtherServer("silent") as stalled, OtherServer("current") as current:
        path = write_inventory(tmp_path, {
            "protocol": "http", "timeout": 1.0,
            "addresses": ["127.0.0.1:%d" % listed_web.port, "127.0.0.1:%d" % stalled.port,
                          {"address": "127.0.0.1", "port": current.port, "name": "handset"}],
            # a range with no phones (nothing listens there), and a range whose one server is not a phone
            "ranges": [{"cidr": "127.0.0.4/30", "ports": [free_port]},
                       {"cidr": "127.0.0.1/32", "ports": [scanned_web.port]}]})
        proc, listing = inventory_list(tmp_path, path, "-v")
    assert proc.returncode == 0, proc.stderr
    variables = hostvars(listing)
    assert sorted(variables) == ["handset"]
    assert variables["handset"]["gs_model"] == "WP826" and variables["handset"]["gs_dialect"] == "current"
    assert "gs_firmware" not in variables["handset"]  # model.define.js does not tell it
    warnings = " ".join(proc.stderr.split())
    assert "http://127.0.0.1:%d is not listed: answers HTTP (404 to api-values.get, 404 to model.define.js) but " \
           "not as a Grandstream phone" % listed_web.port in warnings
    assert "http://127.0.0.1:%d is not listed: no answer within 1s" % stalled.port in warnings
    # Endpoints of a range are skipped silently; -v counts them.
    assert str(scanned_web.port) not in warnings and str(free_port) not in warnings
    assert "probed 6 endpoint(s): 2 not_phone, 1 phone, 2 refused, 1 timeout" in proc.stdout + proc.stderr
    # What the probes sent: two GETs each, no login of any kind.
    for server in (listed_web, scanned_web):
        assert server.requests == [("GET", "/cgi-bin/api-values.get?request=68:89:67:vendor_name:hw_rev"),
                                   ("GET", "/json/configs/model.define.js")]
    assert current.requests == listed_web.requests


def test_tls_is_verified_unless_told_otherwise(phones, tmp_path):
    addresses = ["127.0.0.1:%d" % port for port in phones.https_ports]
    proc, listing = inventory_list(tmp_path, write_inventory(tmp_path, {"addresses": addresses}))
    assert proc.returncode == 0, proc.stderr
    assert hostvars(listing) == {}
    assert " ".join(proc.stderr.split()).count("TLS failed") == 3  # ansible-core < 2.19 wraps warnings
    proc, listing = inventory_list(tmp_path, write_inventory(tmp_path, {"addresses": addresses,
                                                                        "ca_path": str(phones.cert_path)}))
    assert proc.returncode == 0, proc.stderr
    assert sorted(host["gs_protocol"] for host in hostvars(listing).values()) == ["https"] * 3
    assert_no_login(phones)


def test_inventory_cache_spares_the_phones(phones, tmp_path, dialect):
    path = write_inventory(tmp_path, {"protocol": "http", "addresses": ["127.0.0.1:%d" % phones.ports[0]],
                                      "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
                                      "cache_connection": str(tmp_path / "cache")})
    proc, first = inventory_list(tmp_path, path)
    assert proc.returncode == 0, proc.stderr
    # One probe (api-values.get); a current-dialect phone does not answer it as a phone, model.define.js does.
    probes = 1 if dialect == "guide" else 2
    assert phones.counters(0)["requests"] == probes
    proc, second = inventory_list(tmp_path, path)
    assert proc.returncode == 0, proc.stderr
    assert hostvars(second) == hostvars(first) and len(hostvars(first)) == 1
    assert phones.counters(0)["requests"] == probes  # answered from the cache
    # ansible-inventory has --flush-cache from ansible-core 2.17 on; emptying the cache does the same everywhere.
    shutil.rmtree(tmp_path / "cache")
    proc, unused = inventory_list(tmp_path, path)
    assert proc.returncode == 0, proc.stderr
    assert phones.counters(0)["requests"] == 2 * probes


def test_bad_configuration_fails_before_any_probe(phones, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "phones.csv").write_text("address,port,name\n127.0.0.1,%d,desk\n127.0.0.1,99999,lobby\n"
                                                  % phones.ports[0])
    # addresses_file is relative to the inventory file, not to where ansible runs (tmp_path)
    proc, unused = inventory_list(tmp_path, write_inventory(tmp_path / "site", {"addresses_file": "phones.csv",
                                                                                "protocol": "http"}))
    assert proc.returncode != 0
    assert "phones.csv:3.port: port '99999' is not a port number" in " ".join(proc.stderr.split())
    proc, unused = inventory_list(tmp_path, write_inventory(tmp_path, {
        "ranges": [{"cidr": "127.0.0.0/24", "ports": phones.ports}], "max_probes": 100}))
    assert proc.returncode != 0
    assert "more than max_probes=100 endpoints to probe" in " ".join(proc.stderr.split())
    assert phones.counters()["requests"] == 0


def test_what_a_phone_answers_is_never_templated(phones, tmp_path):
    with OtherServer("current", model="{{ 6 * 7 }}") as handset:
        path = write_inventory(tmp_path, {"protocol": "http", "addresses": ["127.0.0.1:%d" % handset.port]})
        play = [{"hosts": "grandstream_phones", "gather_facts": False, "tasks": [
            {"name": "model", "ansible.builtin.set_fact": {"seen": "{{ gs_model }}"}}]}]
        run = run_playbook(tmp_path, play, {"all": {"hosts": {}}}, "-i", str(path))
    assert run.rc == 0, run
    assert run.result("127.0.0.1_%d" % handset.port, "model")["ansible_facts"]["seen"] == "{{ 6 * 7 }}"


def test_addresses_file_lists_named_phones(phones, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "phones.csv").write_text("address,port,protocol,name\n127.0.0.1,%d,http,desk\n"
                                                  "127.0.0.1,%d,,lobby\n" % (phones.ports[0], phones.ports[1]))
    config = {"addresses_file": "phones.csv", "protocol": "http"}
    proc, listing = inventory_list(tmp_path, write_inventory(tmp_path / "site", config))
    assert proc.returncode == 0, proc.stderr
    variables = hostvars(listing)
    assert sorted(variables) == ["desk", "lobby"]
    assert (variables["desk"]["gs_port"], variables["lobby"]["gs_port"]) == (phones.ports[0], phones.ports[1])
    assert variables["lobby"]["gs_model"] == phones.state(1)["model"]
