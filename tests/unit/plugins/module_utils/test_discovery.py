"""Discovery logic: address entries, ranges, the probe-count guard, answers that are (not) a phone's, names."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import discovery
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError


@pytest.mark.parametrize("entry, expected", [
    ("10.0.0.5", ("10.0.0.5", 443, "https", None)),
    ("10.0.0.5:8443", ("10.0.0.5", 8443, "https", None)),
    ("[fd00::5]:8080", ("fd00::5", 8080, "https", None)),
    ("fd00::5", ("fd00::5", 443, "https", None)),
    ({"address": "10.0.0.6", "protocol": "http", "name": "reception"}, ("10.0.0.6", 80, "http", "reception")),
    ({"address": "10.0.0.7:81", "port": 8081}, ("10.0.0.7", 8081, "https", None)),
])
def test_entries(entry, expected):
    target = discovery.parse_entry(entry, "https", "addresses[0]")
    assert (target.address, target.port, target.protocol, target.name) == expected and target.listed


@pytest.mark.parametrize("entry, message", [
    ("phone.example.org", "addresses[0].address: 'phone.example.org' is not an IP address"),
    ("10.0.0.5:0", "addresses[0].port: port '0' is not a port number"),
    ({"address": "10.0.0.5", "protocol": "ftp"}, "addresses[0].protocol: protocol 'ftp' is not one of https, http"),
    ({"address": "10.0.0.5", "user": "admin"}, "addresses[0]: unknown key(s) user"),
    ({"port": 443}, "addresses[0]: address is required"),
])
def test_bad_entries(entry, message):
    with pytest.raises(ValidationError) as error:
        discovery.parse_entry(entry, "https", "addresses[0]")
    assert message in str(error.value)


def test_range_is_every_host_address_times_every_port():
    targets = discovery.expand_range({"cidr": "10.0.0.0/30", "ports": [80, 8080], "protocol": "http"}, "https",
                                     "ranges[0]")
    assert [(t.address, t.port, t.protocol, t.listed) for t in targets] == [
        ("10.0.0.1", 80, "http", False), ("10.0.0.1", 8080, "http", False),
        ("10.0.0.2", 80, "http", False), ("10.0.0.2", 8080, "http", False)]
    single = discovery.expand_range({"cidr": "127.0.0.1/32"}, "https", "ranges[0]")
    assert [(t.address, t.port) for t in single] == [("127.0.0.1", 443)]


def test_plan_deduplicates_listed_first_and_refuses_too_many_probes():
    targets = discovery.plan([{"address": "10.0.0.1", "name": "desk"}], [{"cidr": "10.0.0.0/30"}], "https", 10)
    assert [(t.address, t.name, t.listed) for t in targets] == [("10.0.0.1", "desk", True), ("10.0.0.2", None, False)]
    with pytest.raises(ValidationError) as error:
        discovery.plan([], [{"cidr": "10.0.0.0/16", "ports": [443]}], "https", 1024)
    assert "ranges[0]: 10.0.0.0/16 times 1 port(s) is more than max_probes=1024 endpoints" in str(error.value)
    with pytest.raises(ValidationError):  # refused from its size, long before 2**24 targets would exist
        discovery.plan([], [{"cidr": "10.0.0.0/8"}], "https", 1024)
    # exactly at the limit: a /30 has 2 host addresses
    assert len(discovery.plan([], [{"cidr": "10.0.0.0/30", "ports": [80, 443]}], "https", 4)) == 4
    with pytest.raises(ValidationError) as error:  # listed endpoints count too
        discovery.plan(["10.0.1.1", "10.0.1.2"], [{"cidr": "10.0.0.0/30"}], "https", 3)
    assert "ranges[0]: more than max_probes=3 endpoints" in str(error.value)
    with pytest.raises(ValidationError):
        discovery.expand_range({"cidr": "10.0.0.0/33"}, "https", "ranges[0]")


def test_address_file_csv_names_line(tmp_path):
    path = tmp_path / "phones.csv"
    path.write_text("Address,Port,Name\n10.0.0.5,,desk\n\n10.0.0.6,8443,\n")
    targets = discovery.read_address_file(str(path), "https")
    assert [(t.address, t.port, t.name) for t in targets] == [("10.0.0.5", 443, "desk"), ("10.0.0.6", 8443, None)]
    path.write_text("address\n10.0.0.5\nten.0.0.6\n")
    with pytest.raises(ValidationError) as error:
        discovery.read_address_file(str(path), "https")
    assert "phones.csv:3.address: 'ten.0.0.6' is not an IP address" in str(error.value)
    path.write_text("ip\n10.0.0.5\n")
    with pytest.raises(ValidationError) as error:
        discovery.read_address_file(str(path), "https")
    assert "phones.csv:1: the header must name an address column" in str(error.value)


def test_address_file_yaml(tmp_path):
    path = tmp_path / "phones.yml"
    path.write_text("- 10.0.0.5\n- {address: 10.0.0.6, protocol: http}\n")
    assert [(t.address, t.port) for t in discovery.read_address_file(str(path), "https")] == [
        ("10.0.0.5", 443), ("10.0.0.6", 80)]
    path.write_text("phones: 10.0.0.5\n")
    with pytest.raises(ValidationError):
        discovery.read_address_file(str(path), "https")


def test_guide_answer_is_a_phone_only_with_vendor_or_model():
    answer = {"response": "success", "body": {"68": "1.0.3.48", "89": "GXV3370", "67": "", "vendor_name":
                                              "Grandstream", "hw_rev": "V1.2A"}}
    assert discovery.guide_facts(answer) == {"model": "GXV3370", "firmware": "1.0.3.48", "mac": None,
                                             "vendor": "Grandstream", "hw_rev": "V1.2A", "dialect": "guide"}
    answer["body"]["67"] = "00:0B:82:12:34:56"
    assert discovery.guide_facts(answer)["mac"] == "000b82123456"
    assert discovery.guide_facts({"response": "success", "body": {"68": "", "89": ""}}) is None
    assert discovery.guide_facts({"response": "error", "body": "no"}) is None
    assert discovery.guide_facts(["not", "a", "phone"]) is None


def test_model_define_answer_and_javascript_wrapping():
    assert discovery.model_define_facts(discovery._json_of('var m = {"model": "WP826", "vendor_name": '
                                                           '"Grandstream"};')) == {
        "model": "WP826", "firmware": None, "mac": None, "vendor": "Grandstream", "hw_rev": None,
        "dialect": "current"}
    assert discovery.model_define_facts(discovery._json_of("<html>404</html>")) is None
    assert discovery.model_define_facts({"model": ""}) is None


def test_host_names():
    default = discovery.Target("10.0.0.5", 443, "https")
    other_port = discovery.Target("10.0.0.5", 8443, "https")
    named = discovery.Target("10.0.0.6", 443, "https", name="reception", listed=True)
    assert discovery.host_name(default, {}, "address") == "10.0.0.5"
    assert discovery.host_name(other_port, {}, "address") == "10.0.0.5_8443"
    assert discovery.host_name(default, {"mac": "000b82123456"}, "mac") == "gs_000b82123456"
    assert discovery.host_name(other_port, {"mac": None}, "mac") == "10.0.0.5_8443"
    assert discovery.host_name(named, {"mac": "000b82123456"}, "mac") == "reception"


def test_host_vars_carry_only_what_the_phone_told():
    finding = discovery.Finding(discovery.Target("10.0.0.5", 443, "https"), discovery.PHONE,
                                {"model": "WP826", "firmware": None, "mac": None, "dialect": "current"})
    assert discovery.host_vars(finding) == {"ansible_host": "10.0.0.5", "gs_port": 443, "gs_protocol": "https",
                                            "gs_model": "WP826", "gs_dialect": "current"}


def test_rate_limit_spaces_probe_starts():
    clock, slept = [100.0], []

    def sleep(seconds):
        slept.append(round(seconds, 6))
        clock[0] += seconds

    limit = discovery.RateLimit(4, clock=lambda: clock[0], sleep=sleep)
    for unused in range(3):
        limit.wait()
    assert slept == [0.25, 0.25]
    unlimited = discovery.RateLimit(0, clock=lambda: clock[0], sleep=sleep)
    unlimited.wait()
    unlimited.wait()
    assert slept == [0.25, 0.25]


@pytest.mark.parametrize("settings, message", [
    ((0, 3.0, 0, 10), "concurrency must be at least 1, not 0"),
    ((4, 0, 0, 10), "timeout must be more than 0 seconds, not 0"),
    ((4, 3.0, -1, 10), "rate must be 0 (no limit) or more, not -1"),
    ((4, 3.0, 0, 0), "max_probes must be at least 1, not 0"),
])
def test_settings_must_bound_the_scan(settings, message):
    with pytest.raises(ValidationError) as error:
        discovery.check_settings(*settings)
    assert message in str(error.value)
    discovery.check_settings(1, 0.5, 0, 1)  # the smallest bounded settings pass
