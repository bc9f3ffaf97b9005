"""Bad input across every module and the role: a clear error naming the field, and not one write.

All cases run in ONE ansible-playbook: each case is an inventory host on its own emulated phone
(so the emulator's counters tell per case how many requests and writes it caused) and its own
play with one task (``ignore_errors``); the role cases share the last play (the role stops a play
whose variables are wrong, and with it the playbook). The parametrised test then checks the
recorded result of each case. The playbook runs once on guide-dialect phones and once on current-firmware
phones (``[guide]`` / ``[current]``): refusing bad input is the same on both, before the dialect probe.
"""

from dataclasses import dataclass, field

import pytest

from tests.helpers.ansible_run import inventory_for
from tests.helpers.emulator_proc import EmulatorProcess
from tests.helpers.role_results import ROLE
from tests.reliability.support import (SEED, both_dialects, computed_once, failed_results, module_task,
                                       run, task_result)

TEN_KB = 10 * 1024
FULLWIDTH_1001 = "\uff11\uff10\uff10\uff11"  # digits to a person, not to a phone
EMOJI = "\U0001F600"  # one character, 4 bytes of UTF-8: the phone counts the bytes
NOT_XML = "\ufffe"  # a character XML 1.0 cannot carry: stored, it breaks the phone's phonebook XML
RENDER = {"mac": "000b82000001", "dest_dir": "."}  # gs_render's required options, valid
# A message longer than this is not "clear" (it dumps the value instead of naming the problem).
MAX_MESSAGE_CHARS = 2000
# Every case phone is a GXV3370, so the WP820-only Wi-Fi key is refused by model.
MODELS = "GXV3370"

dialect = both_dialects()


@dataclass(frozen=True)
class BadInput:
    """One bad input: the module (short name, or ``role``), its arguments (role variables for the
    role), the text naming the field that the error must contain, and connection variables."""

    case: str
    module: str
    args: dict
    names: str
    host_vars: dict = field(default_factory=dict)
    reads_first: bool = False  # only the phone can tell (a group, the model): reads allowed, writes not


def bad(case, module, args, names, gap=None, **options):
    """A case as a pytest parameter; ``gap`` marks a known gap of the collection (strict xfail)."""
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(BadInput(case, module, args, names, **options), id=case, marks=marks)


CASES = [
    # gs_pvalues
    bad("pvalues-unknown-alias", "gs_pvalues", {"values": {"acount1.name": "x"}}, "values.acount1.name"),
    bad("pvalues-out-of-range", "gs_pvalues", {"values": {"account1.register_expiration": 70000}},
        "values.account1.register_expiration"),
    bad("pvalues-port-out-of-range", "gs_pvalues", {"values": {"account1.local_sip_port": 70000}},
        "values.account1.local_sip_port"),
    bad("pvalues-bad-choice", "gs_pvalues", {"values": {"time.format": "25h"}}, "values.time.format"),
    bad("pvalues-list-for-scalar", "gs_pvalues", {"values": {"ntp.server": ["a.test", "b.test"]}},
        "values.ntp.server"),
    bad("pvalues-boolean-for-integer", "gs_pvalues", {"values": {"account1.register_expiration": True}},
        "values.account1.register_expiration"),
    bad("pvalues-read-only-alias", "gs_pvalues", {"values": {"device.mac": "00:0B:82:00:00:01"}},
        "values.device.mac"),
    bad("pvalues-read-only-pname", "gs_pvalues", {"values": {"P68": "9.9.9.9"}}, "values.P68"),
    bad("pvalues-same-value-twice", "gs_pvalues", {"values": {"P47": "a.test", "account1.sip_server": "b.test"}},
        "values.account1.sip_server"),
    bad("pvalues-not-a-mapping", "gs_pvalues", {"values": ["P30"]}, "values"),
    bad("pvalues-missing", "gs_pvalues", {}, "values"),
    bad("pvalues-bad-update-secrets", "gs_pvalues", {"values": {"P30": "ntp.test"}, "update_secrets": "sometimes"},
        "update_secrets"),
    bad("pvalues-unknown-option", "gs_pvalues", {"values": {"P30": "ntp.test"}, "valuez": 1}, "valuez"),
    bad("pvalues-strict-unknown-pname", "gs_pvalues", {"values": {"P9999": "x"}, "strict": True}, "values.P9999"),
    bad("pvalues-10kb-value", "gs_pvalues", {"values": {"ntp.server": "n" * TEN_KB}}, "values.ntp.server"),
    bad("pvalues-ampersand-equals-in-host", "gs_pvalues", {"values": {"account1.sip_server": "pbx.test&P2=owned"}},
        "values.account1.sip_server"),
    bad("pvalues-newline-in-host", "gs_pvalues", {"values": {"ntp.server": "ntp.test\nP2=owned"}},
        "values.ntp.server"),
    bad("pvalues-newline-in-text", "gs_pvalues", {"values": {"time.zone": "CET-1\nP2=owned"}}, "values.time.zone"),
    bad("pvalues-wifi-key-on-gxv", "gs_pvalues", {"values": {"wifi.key": "Wifi-Key-12345"}}, "values.wifi.key",
        reads_first=True),
    bad("pvalues-wifi-key-too-short", "gs_pvalues", {"values": {"wifi.key": "short"}}, "values.wifi.key"),
    # gs_group
    bad("group-empty-name", "gs_group", {"config": [{"name": ""}]}, "config[0].name"),
    bad("group-blank-name", "gs_group", {"config": [{"name": "   "}]}, "config[0].name"),
    bad("group-listed-twice", "gs_group", {"config": [{"name": "Sales"}, {"name": "Sales"}]}, "config[1].name"),
    bad("group-delete-builtin", "gs_group", {"config": [{"name": "default"}], "state": "deleted"}, "config[0].name"),
    bad("group-rename-builtin", "gs_group", {"config": [{"name": "VIP", "old_name": "blacklist"}]},
        "config[0].old_name"),
    bad("group-newline-in-name", "gs_group", {"config": [{"name": "Sales\nP2=owned"}]}, "config[0].name"),
    bad("group-missing-name", "gs_group", {"config": [{"old_name": "Sales"}]}, "name"),
    bad("group-bad-state", "gs_group", {"config": [{"name": "Sales"}], "state": "present"}, "state"),
    bad("group-missing-config", "gs_group", {"state": "overridden"}, "config"),
    bad("group-10kb-name", "gs_group", {"config": [{"name": "g" * TEN_KB}]}, "config[0].name"),
    bad("group-not-xml-in-name", "gs_group", {"config": [{"name": "Sales" + NOT_XML}]},
        "config[0].name contains U+FFFE"),
    bad("group-uffff-in-old-name", "gs_group", {"config": [{"name": "Sales", "old_name": "Old\uffff"}]},
        "config[0].old_name contains U+FFFF"),
    bad("group-17-emoji-name", "gs_group", {"config": [{"name": EMOJI * 17}]},
        "config[0].name must be at most 64 bytes"),
    # gs_contacts
    bad("contact-listed-twice", "gs_contacts", {"config": [{"first_name": "Jack", "last_name": "Brown"},
                                                           {"first_name": "Jack", "last_name": "Brown"}]},
        "config[1]"),
    bad("contact-unknown-group", "gs_contacts", {"config": [{"first_name": "Jack", "group": "Nowhere"}]},
        "config[0].group", reads_first=True),
    bad("contact-empty-first-name", "gs_contacts", {"config": [{"first_name": "", "last_name": "Brown"}]},
        "config[0].first_name"),
    bad("contact-empty-group", "gs_contacts", {"config": [{"first_name": "Jack", "group": ""}]}, "config[0].group"),
    bad("contact-ampersand-equals-in-number", "gs_contacts", {"config": [{"first_name": "Jack", "work": "1001&P2=x"}]},
        "config[0].work"),
    bad("contact-unicode-digits", "gs_contacts", {"config": [{"first_name": "Jack", "work": FULLWIDTH_1001}]},
        "config[0].work"),
    bad("contact-sip-uri-number", "gs_contacts", {"config": [{"first_name": "Jack", "mobile": "sip:100@pbx.test"}]},
        "config[0].mobile"),
    bad("contact-bad-email", "gs_contacts", {"config": [{"first_name": "Jack", "email": "jack-at-example"}]},
        "config[0].email"),
    bad("contact-newline-in-last-name", "gs_contacts", {"config": [{"first_name": "Jack", "last_name": "Brown\nX"}]},
        "config[0].last_name"),
    bad("contact-unknown-field", "gs_contacts", {"config": [{"first_name": "Jack", "phone": "1001"}]}, "phone"),
    bad("contact-bad-state", "gs_contacts", {"config": [{"first_name": "Jack"}], "state": "present"}, "state"),
    bad("contact-10kb-name", "gs_contacts", {"config": [{"first_name": "c" * TEN_KB}]}, "config[0].first_name"),
    bad("contact-not-xml-in-first-name", "gs_contacts", {"config": [{"first_name": "Jack" + NOT_XML}]},
        "config[0].first_name contains U+FFFE"),
    bad("contact-not-xml-in-email", "gs_contacts", {"config": [{"first_name": "Jack", "email": "ja\uffffck@x.test"}]},
        "config[0].email contains U+FFFF"),
    bad("contact-64-emoji-name", "gs_contacts", {"config": [{"first_name": EMOJI * 64}]},
        "config[0].first_name must be at most 64 bytes"),
    bad("contact-17-emoji-last-name", "gs_contacts", {"config": [{"first_name": "Jack", "last_name": EMOJI * 17}]},
        "config[0].last_name must be at most 64 bytes"),
    bad("contact-group-with-groups-not-xml", "gs_contacts", {"config": [{"first_name": "Jack", "group": "G"}],
                                                             "groups": [{"name": "G" + NOT_XML}]},
        "groups[0].name contains U+FFFE"),
    # gs_password
    bad("password-empty-new", "gs_password", {"new_password": ""}, "new_password"),
    bad("password-missing-new", "gs_password", {"role": "admin"}, "new_password"),
    bad("password-user-without-current", "gs_password", {"role": "user", "new_password": "User-Pass-77"},
        "current_password"),
    bad("password-admin-over-user-connection", "gs_password", {"new_password": "Admin-Pass-77"}, "username",
        host_vars={"gs_username": "user", "gs_password": "123"}),
    bad("password-bad-role", "gs_password", {"role": "root", "new_password": "Root-Pass-77"}, "role"),
    bad("password-10kb-new", "gs_password", {"new_password": "p" * TEN_KB}, "new_password"),
    # gs_sysop
    bad("sysop-reset-without-confirm", "gs_sysop", {"operation": "reset"}, "confirm"),
    bad("sysop-bad-operation", "gs_sysop", {"operation": "shutdown"}, "operation"),
    bad("sysop-zero-wait-timeout", "gs_sysop", {"operation": "reboot", "wait": True, "wait_timeout": 0},
        "wait_timeout"),
    bad("sysop-provision-as-user", "gs_sysop", {"operation": "provision"}, "connection user",
        host_vars={"gs_username": "user", "gs_password": "123"}),
    # gs_call
    bad("call-ampersand-equals-in-number", "gs_call", {"number": "100&cmd=endcall"}, "number"),
    bad("call-newline-in-number", "gs_call", {"number": "100\n200"}, "number"),
    bad("call-number-and-operation", "gs_call", {"number": "100", "operation": "end", "line": 1}, "number"),
    bad("call-operation-without-line", "gs_call", {"operation": "end"}, "line"),
    bad("call-negative-account", "gs_call", {"number": "100", "account": -1}, "account"),
    bad("call-bad-wait-for", "gs_call", {"number": "100", "wait_for": "forever"}, "wait_for"),
    # gs_info
    bad("info-bad-subset", "gs_info", {"gather_subset": ["everything"]}, "gather_subset"),
    bad("info-unknown-alias", "gs_info", {"pvalues": ["acount1.name"]}, "pvalues[0]"),
    # gs_phonebook
    bad("phonebook-missing-directory", "gs_phonebook", {"dest": "/nonexistent-reliability-dir/phonebook.xml"},
        "dest"),
    bad("phonebook-symbolic-mode", "gs_phonebook", {"dest": "phonebook.xml", "mode": "u+rw"}, "mode"),
    bad("phonebook-mode-without-dest", "gs_phonebook", {"mode": "0600"}, "mode"),
    # gs_validate
    bad("validate-bad-choice", "gs_validate", {"data": {"phone_pvalues": {"time.format": "25h"}}},
        "phone_pvalues.time.format"),
    # gs_export, gs_render
    bad("export-bad-include", "gs_export", {"dest": "exported.yml", "include": ["secrets"]}, "include"),
    bad("export-missing-directory", "gs_export", {"dest": "/nonexistent-reliability-dir/phone.yml"}, "dest"),
    bad("render-bad-mac", "gs_render", dict(RENDER, mac="00:0B:82:ZZ:00:01"), "mac"),
    bad("render-missing-directory", "gs_render", dict(RENDER, dest_dir="/nonexistent-reliability-dir"), "dest_dir"),
    bad("render-unknown-alias", "gs_render", dict(RENDER, pvalues={"acount1.name": "x"}), "acount1.name"),
    bad("render-newline-in-group", "gs_render", dict(RENDER, groups=[{"name": "Sales\nP2=owned"}]), "groups[0].name"),
    bad("render-not-xml-in-contact", "gs_render", dict(RENDER, contacts=[{"first_name": "Jack" + NOT_XML}]),
        "contacts[0].first_name contains U+FFFE"),
    # connection options (any module)
    bad("connection-missing-password", "gs_info", {}, "password", host_vars={"gs_password": ""}),
    bad("connection-bad-protocol", "gs_info", {}, "protocol", host_vars={"gs_protocol": "ftp"}),
    bad("connection-bad-port", "gs_info", {}, "port", host_vars={"gs_port": "eighty"}),
    bad("connection-bad-timeout", "gs_info", {}, "timeout", host_vars={"gs_timeout": "soon"}),
    # the role (playbooks/provision.yml's role): refused by its argument spec or gs_validate, before any phone
    bad("role-unknown-alias", "role", {"phone_pvalues": {"acount1.name": "x"}}, "phone_pvalues.acount1.name"),
    bad("role-out-of-range", "role", {"phone_pvalues": {"account1.register_expiration": 0}},
        "phone_pvalues.account1.register_expiration"),
    bad("role-pvalues-not-a-mapping", "role", {"phone_pvalues": ["P30"]}, "phone_pvalues"),
    bad("role-bad-groups-state", "role", {"phone_groups_state": "present"}, "phone_groups_state"),
    bad("role-contact-without-first-name", "role", {"phone_contacts": [{"last_name": "Brown"}]}, "phone_contacts[0]"),
    bad("role-hostile-number", "role", {"phone_contacts": [{"first_name": "Jack", "work": "1&P2=x"}]},
        "phone_contacts[0].work"),
    bad("role-10kb-group-name", "role", {"phone_groups": [{"name": "g" * TEN_KB}]}, "phone_groups[0].name"),
    bad("role-not-xml-in-contact", "role", {"phone_contacts": [{"first_name": "Jack" + NOT_XML}]},
        "phone_contacts[0].first_name contains U+FFFE"),
    bad("role-17-emoji-group", "role", {"phone_groups": [{"name": EMOJI * 17}]},
        "phone_groups[0].name must be at most 64 bytes"),
    bad("role-emoji-host-contact", "role", {"phone_host_contacts": [{"first_name": "Jack", "last_name": EMOJI * 20}]},
        "phone_host_contacts[0].last_name must be at most 64 bytes"),
    bad("role-password-with-space", "role", {"phone_admin_password": "has a space"}, "phone_admin_password"),
    bad("role-unknown-variable", "role", {"phone_pvalue": {"P30": "ntp.test"}}, "phone_pvalue"),
]


def _case_host_vars(emulator, index, case):
    """Case ``index`` talks to phone ``index``; a role case's arguments are its host variables."""
    host_vars = {"gs_port": emulator.ports[index]}
    host_vars.update(case.host_vars)
    if case.module == "role":
        host_vars.update(case.args)
    return host_vars


def _case_inventory(emulator, cases):
    inventory = inventory_for(emulator, "http", count=0)
    inventory["all"]["children"]["phones"]["hosts"] = {
        case.case: _case_host_vars(emulator, index, case) for index, case in enumerate(cases)}
    return inventory


def _case_playbook(cases):
    plays = [{"name": case.case, "hosts": case.case, "gather_facts": False,
              "tasks": [module_task(case.case, case.module, case.args, ignore_errors=True)]}
             for case in cases if case.module != "role"]
    role_hosts = [case.case for case in cases if case.module == "role"]
    plays.append({"name": "role cases", "hosts": ":".join(role_hosts), "gather_facts": False,
                  "roles": [{"role": ROLE}]})
    return plays


def _role_failure(playbook_run, host):
    """The role's failure for ``host``: its own failed task, or its share of the play-wide validation."""
    failures = failed_results(playbook_run, host)
    if failures:
        return failures[0][1]
    for other in playbook_run.results:
        for unused_task, result in failed_results(playbook_run, other):
            if host in (result.get("problems") or {}):
                return dict(result, msg="\n".join(result["problems"][host]))
    return {"_status": "ok", "msg": "no task failed"}


def _outcome(playbook_run, case, counters):
    if case.module == "role":
        result = _role_failure(playbook_run, case.case)
    else:
        result = task_result(playbook_run, case.case, case.case)
    return {"status": result.get("_status"), "msg": str(result.get("msg", "")), "requests": counters["requests"],
            "writes": counters["writes"], "failed_logins": counters["failed_logins"]}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, dialect):
    """{case: status, message and the case phone's counters} from one playbook run of every case (per dialect)."""
    cases = [param.values[0] for param in CASES]

    def produce():
        tmp_path = tmp_path_factory.mktemp("bad-input")
        with EmulatorProcess(count=len(cases), firmware=dialect,
                             extra_args=["--seed", str(SEED), "--models", MODELS]) as emulator:
            playbook_run = run(tmp_path, _case_playbook(cases), _case_inventory(emulator, cases), name="bad-input")
            return {case.case: _outcome(playbook_run, case, emulator.counters(index))
                    for index, case in enumerate(cases)}

    return computed_once(tmp_path_factory, "bad-input-" + dialect, produce)


def test_there_are_at_least_thirty_cases_over_every_module_and_the_role():
    cases = [param.values[0] for param in CASES]
    assert len(cases) >= 30
    assert {case.module for case in cases} >= {"gs_pvalues", "gs_group", "gs_contacts", "gs_password", "gs_sysop",
                                               "gs_call", "gs_info", "gs_phonebook", "gs_validate", "gs_export",
                                               "gs_render", "role"}
    assert len({case.case for case in cases}) == len(cases)


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(case, outcomes):
    outcome = outcomes[case.case]
    assert outcome["status"] == "failed", outcome
    assert case.names in outcome["msg"], outcome
    assert len(outcome["msg"]) <= MAX_MESSAGE_CHARS, "not a clear message: %d characters" % len(outcome["msg"])
    assert outcome["writes"] == 0, outcome
    assert outcome["failed_logins"] == 0, outcome
    if not case.reads_first:
        assert outcome["requests"] == 0, outcome
    else:  # found on the phone's answer: the message names the phone as well as the field
        assert outcome["msg"].startswith("127.0.0.1:"), outcome
