"""value_kinds.py: the value kinds of the catalog (normalising and refusing values, with the rule)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import (
    BoolKind, EnumKind, HostKind, IntKind, InvalidValue, PortKind, StrKind)


def test_invalid_value_is_a_value_error():
    assert issubclass(InvalidValue, ValueError)


TRANSPORT = EnumKind(catalog.TRANSPORTS)


@pytest.mark.parametrize("kind, given, stored", [
    (BoolKind(), True, "1"), (BoolKind(), False, "0"), (BoolKind(), 1, "1"), (BoolKind(), 0, "0"),
    (BoolKind(), "1", "1"), (BoolKind(), "yes", "1"), (BoolKind(), "On", "1"), (BoolKind(), "TRUE", "1"),
    (BoolKind(), "off", "0"), (BoolKind(), "no", "0"), (BoolKind(), " false ", "0"),
    (IntKind(1, 64800), 60, "60"), (IntKind(1, 64800), "060", "60"), (IntKind(1, 64800), " 5 ", "5"),
    (IntKind(1, 64800), 60.0, "60"),
    (TRANSPORT, "tls", "2"), (TRANSPORT, "TLS", "2"), (TRANSPORT, 2, "2"), (TRANSPORT, "2", "2"),
    (TRANSPORT, "udp", "0"),
    (PortKind(), 5060, "5060"), (PortKind(), "65535", "65535"),
    (StrKind(), "x", "x"), (StrKind(), 1001, "1001"), (StrKind(), None, ""), (StrKind(max_length=3), "abc", "abc"),
    (HostKind(), "pbx.example.com", "pbx.example.com"), (HostKind(), "pbx.example.com:5061", "pbx.example.com:5061"),
    (HostKind(), "10.0.0.1", "10.0.0.1"), (HostKind(), "[2001:db8::1]:5060", "[2001:db8::1]:5060"),
    (HostKind(), "2001:db8::1", "2001:db8::1"), (HostKind(), "", ""), (HostKind(), None, ""),
])
def test_normalise(kind, given, stored):
    assert kind.normalise(given) == stored


@pytest.mark.parametrize("kind, given, rule", [
    (BoolKind(), "maybe", "must be a boolean"), (BoolKind(), 2, "must be a boolean"),
    (BoolKind(), None, "must be a boolean"),
    (IntKind(1, 64800, unit="minutes"), 0, "must be between 1 and 64800 minutes"),
    (IntKind(1, 10), "ten", "must be an integer"), (IntKind(1, 10), True, "must be an integer"),
    (IntKind(1, 10), 1.5, "must be an integer"), (IntKind(1, 10), float("inf"), "must be an integer"),
    (TRANSPORT, "sctp", "must be one of udp(0), tcp(1), tls(2)"), (TRANSPORT, True, "must be one of"),
    (TRANSPORT, 3, "must be one of"),
    (PortKind(), 0, "must be between 1 and 65535"), (PortKind(), 70000, "must be between 1 and 65535"),
    (StrKind(max_length=3), "abcd", "must be at most 3 characters (is 4)"),
    (StrKind(min_length=8), "short", "must be at least 8 characters"),
    (StrKind(), True, "got a boolean (quote the value in YAML)"), (StrKind(), ["a"], "not a list"),
    (StrKind(), {"a": 1}, "not a mapping"),
    (HostKind(), "pbx example.com", "must be a host name"), (HostKind(), "http://pbx/x", "must be a host name"),
    (HostKind(), "pbx.example.com:70000", "port must be between 1 and 65535"),
])
def test_normalise_refuses_with_the_rule(kind, given, rule):
    with pytest.raises(InvalidValue) as failure:
        kind.normalise(given)
    assert rule in str(failure.value)


@pytest.mark.parametrize("kind, raw, normalised", [
    (IntKind(1, 10), "060", "60"), (IntKind(1, 10), "", ""), (IntKind(1, 10), "junk", "junk"),
    (BoolKind(), "1", "1"), (BoolKind(), "", ""), (TRANSPORT, "TLS", "2"), (TRANSPORT, "7", "7"),
    (StrKind(), " x ", " x "),
])
def test_current_values_are_read_leniently(kind, raw, normalised):
    assert kind.normalise_current(raw) == normalised
