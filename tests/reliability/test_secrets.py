"""No secret leaks: every module and the collection's playbooks at -vvv with --diff, every output scanned.

Distinctive secrets with characters that URL-encoding changes (``&``, ``=``, ``@``, ``:``, ``/``,
spaces) are set on the phones and in the inventory. Every module runs with them, then the role
(playbooks/provision.yml), playbooks/drift.yml with the drift_report callback, export.yml and
render.yml. Then stdout, stderr, the Ansible log (ANSIBLE_LOG_PATH), every file the runs left behind
(results, drift reports, exported host_vars, rendered files, downloaded phonebooks, the session
cache, Ansible's temp and home directories) and the emulator's log are searched for each secret,
raw, URL-encoded (quote, quote_plus) and XML/HTML-escaped; and for the session ids the runs ended with (the
session cache's) and, on current firmware, for every login hash ``sha256(password + nonce)`` of a known password
and a nonce the phones handed out (the emulator's ``nonces_issued``), on guide firmware for every token login
``Secret``, ``md5(user:realm:password)``, of a realm they handed out (``realms_issued``). Everything runs on
both firmware dialects (``[guide]`` / ``[current]``). Not searched, on purpose: the playbook and
inventory files the test writes, the files rendered with render_include_secrets=true (they must hold
the secrets, which is checked) and the phones' own state.
"""

import json
import os
import re

import pytest

from tests.helpers.ansible_run import play
from tests.helpers.emulator_proc import EmulatorProcess
from tests.helpers.phone_http import sha256_hex, token_secret
from tests.reliability.support import (SEED, RecordedRun, both_dialects, computed_once, desired_state_inventory,
                                       find_leaks, module_task, only_on, read_tree, run, task_result)

PHONES = 4  # GXV3370, GXV3380, GXV3350, WP820 (the emulator's round-robin models)
WP820 = "phone3"
CONNECTION = "Adm1n&Cx=K@q:v/!"  # the admin password the play connects with
NEW_ADMIN = "N3w&Ad=M@z:w/9"
USER_OLD = "Us3r&Old=P@x:y/!"
USER_NEW = "Us3r New=Q@r:t/!"
SIP_ONE = "S1p&Acc=One@P:w/!"
SIP_TWO = "S2p Acc=Two&P@ss:w/d!"
XML_CONFIG = "Xm1&Cfg=P@ss:w/d!"
WIFI_KEY = "W1f1&Key=P@ss:w/d!"
ROLE_ADMIN = "R0le&Adm=P@s:s/!"
SECRETS = (CONNECTION, NEW_ADMIN, USER_OLD, USER_NEW, SIP_ONE, SIP_TWO, XML_CONFIG, WIFI_KEY, ROLE_ADMIN)
VERBOSE = ("-vvv", "--diff")
SESSION_CACHES = "sessions-"  # the session cache directories' prefix: they hold session ids by design
HEX_RUN = re.compile(r"[0-9a-f]{32,}")
TOKEN_USERS = ("gmiadmin", "admin", "user")  # the guide's token login names the admin gmiadmin


def _modules_playbook():
    """Every module, each with the secrets it handles."""
    accounts = {"account1.sip_user_id": "1001", "account1.password": SIP_ONE,
                "account2.sip_user_id": "2002", "account2.password": SIP_TWO,
                "provisioning.config_server_path": "cfg.site.test/phones",
                "provisioning.xml_config_password": XML_CONFIG}
    return play(
        module_task("info", "gs_info", {"gather_subset": ["all"], "pvalues": [
            "account1.password", "P1359", "admin_password", "P406", "account1.sip_user_id"]}),
        module_task("pvalues", "gs_pvalues", {"values": accounts}),
        module_task("pvalues always", "gs_pvalues", {"values": accounts, "update_secrets": "always"}),
        module_task("xml password by number", "gs_pvalues", {"values": {"P1359": XML_CONFIG},
                                                             "update_secrets": "always"}),
        module_task("wifi key", "gs_pvalues", {"values": {"wifi.key": WIFI_KEY}, "update_secrets": "always"},
                    when="inventory_hostname == %r" % WP820),
        module_task("secrets read back", "gs_info", {"pvalues": ["account1.password", "P1359", "P406"]}),
        module_task("group", "gs_group", {"config": [{"name": "Sales"}]}),
        module_task("contact", "gs_contacts", {"config": [{"first_name": "Jack", "group": "Sales", "work": "1001"}]}),
        module_task("phonebook", "gs_phonebook", {"dest": "phonebook-{{ inventory_hostname }}.xml", "mode": "0600"}),
        module_task("validate", "gs_validate", {"data": {
            "phone_pvalues": {"account1.password": SIP_ONE, "P1359": XML_CONFIG}, "phone_admin_password": ROLE_ADMIN,
            "gs_password": CONNECTION}}),
        module_task("validate refused", "gs_validate", {"data": {
            "phone_pvalues": {"account1.password": SIP_ONE * 4, "P1359": XML_CONFIG * 2},
            "phone_admin_password": ROLE_ADMIN + " x"}}, ignore_errors=True),
        module_task("pvalues refused", "gs_pvalues", {"values": {"account1.password": SIP_TWO * 4,
                                                                 "P1359": XML_CONFIG * 2}}, ignore_errors=True),
        module_task("call", "gs_call", {"number": "100", "wait_for": "in_call", "poll_interval": 0.2},
                    register="call_result"),
        module_task("hang up", "gs_call", {"operation": "end", "line": "{{ call_result.line }}"}),
        module_task("reboot", "gs_sysop", {"operation": "reboot", "wait": True, "wait_delay": 0.5,
                                           "poll_interval": 0.2, "wait_timeout": 60}),
        module_task("admin password", "gs_password", {"new_password": NEW_ADMIN}),
        module_task("user password", "gs_password", {"role": "user", "current_password": USER_OLD,
                                                     "new_password": USER_NEW}),
        module_task("user password wrong current", "gs_password", {
            "role": "user", "current_password": USER_OLD + "x", "new_password": USER_NEW + "y"}, ignore_errors=True),
        module_task("after the change", "gs_info", {"gather_subset": ["system", "accounts"]}),
    )


ROLE_VARS = {
    "phone_pvalues": {"account1.sip_user_id": "1001", "account1.password": SIP_ONE,
                      "provisioning.config_server_path": "cfg.site.test/phones",
                      "provisioning.xml_config_password": XML_CONFIG},
    "phone_admin_password": ROLE_ADMIN,
    "phone_groups": [{"name": "Sales"}],
    "phone_contacts": [{"first_name": "Jack", "group": "Sales", "work": "1001"}],
}


def _playbook_text(name):
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "playbooks", name), encoding="utf-8") as handle:
        return handle.read()


def _prepare_phones(emulator):
    emulator.reset()
    for index in range(PHONES):
        emulator.set_pvalues(index, {"P2": CONNECTION, "P196": USER_OLD})
        emulator.register_account(index)  # the play's call must go through


class SecretScan:
    """The verbose runs (every module; provision, drift, export and render playbooks) in one directory,
    and everything they left there."""

    RUNS = ("modules", "token", "provision", "drift", "export", "render", "render-secrets")
    # render_include_secrets=true writes the secrets into the config files on purpose (mode 0600): those
    # files are not scanned (and are checked to hold them); the run's output and diff are scanned.
    SECRETS_BY_DESIGN = "render-with-secrets"

    def __init__(self, tmp_path, emulator):
        self.tmp_path = tmp_path
        self.emulator = emulator
        self.log_path = str(tmp_path / "ansible.log")
        self.report_dir = str(tmp_path / "drift-report")
        self.runs = {}
        self.nonces = set()  # every login nonce the phones handed out (current dialect)
        self.realms = set()  # every token login realm (guide dialect)

    def _run(self, name, playbook, inventory, *extra_args, **env):
        # A session cache per run: the phones go back to factory state between the runs.
        env.update(ANSIBLE_LOG_PATH=self.log_path, GS_SESSION_CACHE_DIR=str(self.tmp_path / (SESSION_CACHES + name)))
        self.runs[name] = run(self.tmp_path, playbook, inventory, *(VERBOSE + extra_args), name=name, env=env)
        for index in range(PHONES):  # before the next reset forgets them
            state = self.emulator.state(index)
            self.nonces.update(state["nonces_issued"])
            self.realms.update(state["realms_issued"])

    def login_hashes(self):
        """What a challenge login sends as its password, for each secret and each nonce handed out."""
        return sorted(sha256_hex(secret + nonce) for secret in SECRETS for nonce in self.nonces)

    def token_secrets(self):
        """What a guide token login sends as its ``Secret``, for each secret, token user and realm handed out."""
        return sorted(token_secret(user, realm, secret, separator) for secret in SECRETS for user in TOKEN_USERS
                      for realm in self.realms for separator in (":", "."))

    def session_ids(self, every_file):
        """The session ids the session caches hold after the runs."""
        sids = set()
        for path, text in every_file.items():
            if SESSION_CACHES in path and path.endswith(".json"):
                document = json.loads(text)  # a session, or a login memory's record (no sid)
                sid = document.get("sid") if isinstance(document, dict) else None
                if isinstance(sid, str) and sid:
                    sids.add(sid)
        return sorted(sids)

    def run_modules(self):
        emulator = self.emulator
        _prepare_phones(emulator)
        inventory = desired_state_inventory(emulator, PHONES, extra_vars={"gs_password": CONNECTION})
        self._run("modules", _modules_playbook(), inventory)

    def run_token_logins(self):
        """gs_call and gs_sysop with no session at hand (the cache off, the play's first tasks): on guide
        firmware they log in with the token login (loginrealm, then login with a Secret)."""
        inventory = desired_state_inventory(self.emulator, PHONES, extra_vars={"gs_password": NEW_ADMIN})
        self._run("token", play(
            module_task("call", "gs_call", {"number": "100", "wait_for": "in_call", "poll_interval": 0.2},
                        register="call_result"),
            module_task("hang up", "gs_call", {"operation": "end", "line": "{{ call_result.line }}"})),
            inventory, GS_SESSION_CACHE="off")

    def run_role(self):
        emulator = self.emulator
        _prepare_phones(emulator)
        inventory = desired_state_inventory(emulator, PHONES, extra_vars=dict(ROLE_VARS, gs_password=CONNECTION))
        self._run("provision", _playbook_text("provision.yml"), inventory)
        emulator.set_pvalues(1, {"P30": "rogue.ntp.test"})
        # The role changed the admin password; the drift run rewrites every secret (masked) to show it.
        inventory["all"]["children"]["phones"]["vars"].update(gs_password=ROLE_ADMIN,
                                                              phone_pvalues_update_secrets="always")
        self._run("drift", _playbook_text("drift.yml"), inventory, GS_DRIFT_REPORT_DIR=self.report_dir,
                  ANSIBLE_CALLBACKS_ENABLED="record_results,grandstream.phone.drift_report")
        self._run("export", _playbook_text("export.yml"), inventory, "-e", "export_dir=%s" % (self.tmp_path / "export"))
        for host, host_vars in inventory["all"]["children"]["phones"]["hosts"].items():
            host_vars["phone_mac"] = emulator.state(int(host[len("phone"):]))["mac"]
        self._run("render", _playbook_text("render.yml"), inventory, "-e", "render_dir=%s" % (self.tmp_path / "render"))
        self._run("render-secrets", _playbook_text("render.yml"), inventory, "-e", "render_include_secrets=true",
                  "-e", "render_dir=%s" % (self.tmp_path / self.SECRETS_BY_DESIGN))

    def outputs(self):
        """{where: text} of everything to scan, how many secret forms the (unscanned) inputs hold, the secrets
        the run asked to render, and the session ids."""
        emulator = self.emulator
        inputs = {str(self.tmp_path / (name + suffix)) for name in self.RUNS for suffix in (".yml", "-inventory.json")}
        every_file = read_tree(str(self.tmp_path))
        by_design = {path for path in every_file if os.sep + self.SECRETS_BY_DESIGN + os.sep in path}
        texts = {path: text for path, text in every_file.items() if path not in inputs | by_design}
        texts.update({"emulator log": emulator.read_log(),
                      "emulator stderr": emulator.stderr_path.read_text(errors="replace")})
        for name, playbook_run in self.runs.items():
            texts["%s stdout" % name] = playbook_run.stdout
            texts["%s stderr" % name] = playbook_run.stderr
        secrets_in_inputs = len(find_leaks(SECRETS, {path: every_file[path] for path in inputs}))
        rendered = {path: every_file[path] for path in by_design}
        rendered_secrets = [secret for secret in SECRETS if find_leaks([secret], rendered)]
        return texts, secrets_in_inputs, rendered_secrets, self.session_ids(every_file)


dialect = both_dialects()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, dialect):
    """Run every module, then provision.yml and drift.yml (drift_report); return what must hold no secret."""

    def produce():
        with EmulatorProcess(count=PHONES, firmware=dialect,
                             extra_args=["--seed", str(SEED), "--reboot-seconds", "1"]) as emulator:
            scan = SecretScan(tmp_path_factory.mktemp("secrets"), emulator)
            scan.run_modules()
            phones_after_modules = [emulator.state(index) for index in range(PHONES)]
            scan.run_token_logins()  # the admin password is NEW_ADMIN now
            scan.run_role()
            texts, secrets_in_inputs, rendered_secrets, session_ids = scan.outputs()
            dialects = [emulator.dialect(index)["dialect"] for index in range(PHONES)]
        return {"runs": {name: RecordedRun.data_of(playbook_run) for name, playbook_run in scan.runs.items()},
                "phones_after_modules": phones_after_modules, "texts": texts, "report_dir": scan.report_dir,
                "log_path": scan.log_path, "secrets_in_inputs": secrets_in_inputs,
                "rendered_secrets": rendered_secrets, "dialects": dialects, "session_ids": session_ids,
                "nonces": sorted(scan.nonces), "login_hashes": scan.login_hashes(),
                "realms": sorted(scan.realms), "token_secrets": scan.token_secrets()}

    return computed_once(tmp_path_factory, "secrets-" + dialect, produce)


def test_every_module_ran_and_handled_the_secrets(scanned, dialect):
    assert scanned["dialects"] == [dialect] * PHONES
    modules = RecordedRun(scanned["runs"]["modules"])
    assert modules.rc == 0, modules
    for index in range(PHONES):
        host = "phone%d" % index
        state = scanned["phones_after_modules"][index]
        assert state["passwords"] == {"admin": NEW_ADMIN, "user": USER_NEW}
        assert (state["pvalues"]["P34"], state["pvalues"]["P406"], state["pvalues"]["P1359"]) == (
            SIP_ONE, SIP_TWO, XML_CONFIG)
        # Written over the password the task before set: no phone can tell the new one from the old.
        assert task_result(modules, host, "pvalues always")["diff"]["after"]["account1.password"] == \
            "******** (written, unverified)"
        assert task_result(modules, host, "secrets read back")["pvalues"]["account1.password"] in ("", "********")
        assert task_result(modules, host, "user password wrong current")["_status"] == "failed"
        assert task_result(modules, host, "validate refused")["_status"] == "failed"
        assert task_result(modules, host, "pvalues refused")["_status"] == "failed"
    assert scanned["phones_after_modules"][3]["pvalues"]["P8404"] == WIFI_KEY


def test_the_role_drift_export_and_render_playbooks_ran(scanned):
    for name in ("token", "provision", "drift", "export", "render", "render-secrets"):
        playbook_run = RecordedRun(scanned["runs"][name])
        assert playbook_run.rc == 0, (name, playbook_run)
    names = {os.path.basename(path) for path in scanned["texts"]}
    assert {"phone0.yml", "phonebook.xml"} <= names and any(name.startswith("cfg") for name in names)
    # The run asked to render secrets did: its files hold them (and are not scanned); its output is.
    assert set(scanned["rendered_secrets"]) >= {SIP_ONE, XML_CONFIG}
    report_files = sorted(os.listdir(scanned["report_dir"]))
    assert report_files == ["drift.html", "drift.json", "drift.junit.xml", "drift.md"]
    assert any(path.startswith(scanned["report_dir"]) for path in scanned["texts"])
    assert os.path.basename(scanned["log_path"]) in {os.path.basename(path) for path in scanned["texts"]}


def test_the_scan_covers_every_output_and_would_see_a_secret(scanned):
    names = {os.path.basename(path) for path in scanned["texts"]}
    assert {"ansible.log", "drift.json", "drift.md", "drift.junit.xml", "drift.html", "phonebook-phone0.xml",
            "modules-results.json", "provision-results.json", "drift-results.json", "emulator log"} <= names
    assert any("sessions-modules" in path for path in scanned["texts"])
    # The inputs hold every secret (all forms alike when nothing needs encoding): the scan finds them there.
    assert scanned["secrets_in_inputs"] >= len(SECRETS)
    drift = json.loads(next(text for path, text in scanned["texts"].items() if path.endswith("drift.json")))
    rows = [row for phone in drift["phones"].values() for row in phone["differences"]]
    secret = next(row for row in rows if row["item"] == "account1.password (P34)")
    assert secret["secret"] is True and secret["note"].startswith("written") and "after" not in secret


def test_no_secret_in_any_output_raw_or_url_encoded(scanned):
    leaks = find_leaks(SECRETS, scanned["texts"])
    assert not leaks, "secrets leaked:\n" + "\n".join("%s: %r" % leak for leak in leaks)


def hex_windows(text, length):
    """Every string of ``length`` hex digits in ``text`` (also inside a longer run of hex digits), lower case."""
    windows = set()
    for run_of_hex in HEX_RUN.findall(text.lower()):
        windows.update(run_of_hex[start:start + length] for start in range(len(run_of_hex) - length + 1))
    return windows


def hash_leaks(texts, hashes):
    """[(where, hash)] for every one of ``hashes`` (hex digests of one length) found in ``texts``."""
    length = len(next(iter(hashes)))
    return sorted((where, digest) for where, text in texts.items() for digest in hex_windows(text, length) & hashes)


def test_no_challenge_login_hash_in_any_output(scanned, dialect):
    """What a current-firmware dologin sends as the password, sha256(password + nonce), is as good as the
    password to an offline guesser: it shows nowhere, neither does it sit in the session cache."""
    only_on(dialect, "current", "only current firmware logs in with a nonce and a password hash")
    # Every phone logged in with a challenge in each run that talks to phones (render.yml does not), each run
    # with a session cache of its own: the scan knows their nonces, so it would see a hash.
    assert len(scanned["nonces"]) >= PHONES * len(("modules", "provision", "drift", "export")), scanned["nonces"]
    hashes = set(scanned["login_hashes"])
    assert len(hashes) == len(scanned["nonces"]) * len(SECRETS)
    leaks = hash_leaks(scanned["texts"], hashes)
    assert not leaks, "login hashes leaked:\n" + "\n".join("%s: %s" % leak for leak in leaks)


def test_no_token_login_secret_in_any_output(scanned, dialect):
    """The guide token login's Secret, md5(user:realm:password), sent by gs_call and gs_sysop in a URL, is as good
    as the password to an offline guesser: it shows nowhere (the emulator's log masks the parameter)."""
    only_on(dialect, "guide", "only guide firmware has the token login (loginrealm, then login with a Secret)")
    # The token run's calls, without a session at hand, log in with a token on every phone: the scan knows their
    # realms, so it would see a Secret.
    assert len(scanned["realms"]) >= PHONES, scanned["realms"]
    secrets = set(scanned["token_secrets"])
    assert len(secrets) == len(scanned["realms"]) * len(SECRETS) * len(TOKEN_USERS) * 2
    leaks = hash_leaks(scanned["texts"], secrets)
    assert not leaks, "token login secrets leaked:\n" + "\n".join("%s: %s" % leak for leak in leaks)


def test_no_session_id_outside_the_session_cache(scanned):
    """A session id is a login while it lives: only the session cache (0600) holds it, never an output,
    a result, a report or the emulator's log."""
    assert len(scanned["session_ids"]) >= PHONES, scanned["session_ids"]
    outside = {where: text for where, text in scanned["texts"].items() if SESSION_CACHES not in where}
    leaks = find_leaks(scanned["session_ids"], outside)
    assert not leaks, "session ids leaked:\n" + "\n".join("%s: %r" % leak for leak in leaks)


def test_a_secret_pvalue_named_by_number_is_not_echoed_by_the_role(tmp_path, dialect):
    with EmulatorProcess(count=1, firmware=dialect, extra_args=["--seed", str(SEED)]) as emulator:
        inventory = desired_state_inventory(emulator, 1, extra_vars={"phone_host_pvalues": {"P34": [SIP_ONE]}})
        playbook_run = run(tmp_path, _playbook_text("provision.yml"), inventory, name="typo")
        assert playbook_run.rc != 0
        assert "phone_host_pvalues.P34" in playbook_run.stdout
        leaks = find_leaks([SIP_ONE], {"stdout": playbook_run.stdout, "stderr": playbook_run.stderr})
        assert not leaks, leaks
