# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired state every benchmark contestant checks, written once and rendered three ways.

Per phone: 20 P-values (16 site-wide, 4 of the phone's own SIP account) plus the account's write-only
password, 2 contact groups and 3 contacts (two site-wide, one per phone). ``variant`` changes every one
of the 20 values, so an apply run with the next variant really writes 20 values on each phone.

Rendered as:
- a role inventory (``phone_pvalues`` by catalog alias, ``phone_host_pvalues``, groups, contacts): A and D;
- a uri inventory (P-numbers and the phone's own value spelling, as a user writing raw API calls
  keeps them): B;
- plain Python data (``phone_expectations``) for the raw thread-pool client: C.
"""

from __future__ import annotations

import sys

ADMIN_PASSWORD = "admin"  # the emulator's factory password
SITE_GROUPS = ("Sales", "Support")


class Value:
    """One managed P-value: catalog alias, P-number, and how a variant spells it (role / phone)."""

    def __init__(self, alias, pname, friendly, native=None):
        self.alias = alias
        self.pname = pname
        self.friendly = friendly
        self.native = native or (lambda index, variant: str(friendly(index, variant)))


def alternate(first, second):
    """A value that flips between two spellings from one variant to the next."""
    return lambda index, variant: first if variant % 2 == 0 else second


def flag(even):
    """A 0/1 switch (role: a boolean; phone: "1" / "0") that flips every variant."""
    return lambda index, variant: even if variant % 2 == 0 else not even


def native_flag(even):
    return lambda index, variant: "1" if flag(even)(index, variant) else "0"


SITE_VALUES = (
    Value("ntp.server", "P30", lambda index, variant: "ntp%d.example.org" % variant),
    Value("time.zone", "P64", alternate("CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00", "GMT0")),
    Value("time.format", "P122", alternate("24h", "12h"), alternate("1", "0")),
    Value("display.language", "P1362", alternate("en", "de")),
    Value("syslog.server", "P207", lambda index, variant: "syslog%d.example.org" % variant),
    Value("upgrade.via", "P212", alternate("https", "http"), alternate("2", "1")),
    Value("provisioning.config_server_path", "P237", lambda index, variant: "prov.example.org/v%d" % variant),
    Value("phonebook.xml_download", "P330", alternate("https", "http"), alternate("3", "1")),
    Value("phonebook.xml_server_path", "P331", lambda index, variant: "pb.example.org/v%d" % variant),
    Value("phonebook.download_interval", "P332", lambda index, variant: 60 + variant),
    Value("phonebook.remove_manual_entries", "P333", flag(False), native_flag(False)),
    Value("account1.active", "P271", flag(True), native_flag(True)),
    Value("account1.sip_server", "P47", lambda index, variant: "pbx%d.example.org" % variant),
    Value("account1.outbound_proxy", "P48", lambda index, variant: "proxy%d.example.org" % variant),
    Value("account1.register_expiration", "P32", lambda index, variant: 60 + variant),
    Value("account2.active", "P401", flag(False), native_flag(False)),
)
HOST_VALUES = (
    Value("account1.name", "P270", lambda index, variant: "Desk %d v%d" % (index, variant)),
    Value("account1.sip_user_id", "P35", lambda index, variant: "%d-%d" % (2000 + index, variant)),
    Value("account1.auth_id", "P36", lambda index, variant: "%d-%d" % (2000 + index, variant)),
    Value("account1.display_name", "P3", lambda index, variant: "Desk %d (%d)" % (index, variant)),
)
MANAGED_VALUE_COUNT = len(SITE_VALUES) + len(HOST_VALUES)
SIP_PASSWORD = Value("account1.password", "P34", lambda index, variant: "sip-secret-%d" % index)

SITE_CONTACTS = (
    {"first_name": "Reception", "last_name": "", "group": "Support", "work": "100"},
    {"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "1001", "email": "jack.brown@example.org"},
)


def host_contact(index):
    return {"first_name": "Desk", "last_name": str(index), "group": "Sales", "work": str(2000 + index)}


def hostname(index):
    return "phone%04d" % index


def _connection_vars(protocol="http"):
    return {"ansible_connection": "local", "ansible_host": "127.0.0.1", "gs_protocol": protocol,
            "gs_password": ADMIN_PASSWORD, "ansible_python_interpreter": sys.executable}


def _inventory(hosts, group_vars):
    return {"all": {"children": {"phones": {"hosts": hosts, "vars": group_vars}}}}


def role_inventory(ports, variant=0):
    """Inventory for playbooks/drift.yml and provision.yml (the role): phone i listens on ports[i]."""
    hosts = {}
    for index, port in enumerate(ports):
        host_pvalues = {value.alias: value.friendly(index, variant) for value in HOST_VALUES}
        host_pvalues[SIP_PASSWORD.alias] = SIP_PASSWORD.friendly(index, variant)
        hosts[hostname(index)] = {"gs_port": port, "phone_host_pvalues": host_pvalues,
                                  "phone_host_contacts": [host_contact(index)]}
    group_vars = _connection_vars()
    group_vars.update({
        "phone_pvalues": {value.alias: value.friendly(0, variant) for value in SITE_VALUES},
        "phone_groups": [{"name": name} for name in SITE_GROUPS],
        "phone_contacts": [dict(contact) for contact in SITE_CONTACTS],
    })
    return _inventory(hosts, group_vars)


def _uri_contact(contact):
    return {"first_name": contact["first_name"], "last_name": contact["last_name"], "group": contact["group"],
            "work": contact["work"], "email": contact.get("email", "")}


def uri_inventory(ports, variant=0):
    """Inventory for benchmarks/baseline_uri.yml: P-numbers and the phone's own value spelling."""
    hosts = {}
    for index, port in enumerate(ports):
        hosts[hostname(index)] = {
            "gs_port": port,
            "host_pvalues": {value.pname: value.native(index, variant) for value in HOST_VALUES},
            "sip_password": SIP_PASSWORD.native(index, variant),
            "host_contacts": [_uri_contact(host_contact(index))],
        }
    group_vars = _connection_vars()
    group_vars.update({
        "site_pvalues": {value.pname: value.native(0, variant) for value in SITE_VALUES},
        "site_groups": list(SITE_GROUPS),
        "site_contacts": [_uri_contact(contact) for contact in SITE_CONTACTS],
    })
    return _inventory(hosts, group_vars)


def phone_expectations(index, variant=0):
    """What phone ``index`` should hold, for the raw client: {pvalues, groups, contacts}."""
    pvalues = {value.pname: value.native(index, variant) for value in SITE_VALUES + HOST_VALUES}
    contacts = [_uri_contact(contact) for contact in SITE_CONTACTS + (host_contact(index),)]
    return {"pvalues": pvalues, "groups": list(SITE_GROUPS), "contacts": contacts}
