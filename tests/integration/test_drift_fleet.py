"""A nightly drift check of 8 phones that one bad host cannot blind, through ansible-playbook and drift.yml.

phone1's variables are invalid, phone2 / phone3 / phone4 drifted (a P-value, a contact's number, a deleted
group), phone5 is down; phone0, phone6 and phone7 are clean. The report must say exactly that, in every
format, with nothing written to any phone.
"""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.helpers.ansible_run import inventory_for, run_playbook, shipped_playbook as playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.phone_http import phone_login
from tests.helpers.role_results import PHONE_TASK, role_part

PHONES = 8
INVALID, PVALUE, CONTACT, GROUP, DOWN = 1, 2, 3, 4, 5
CLEAN = (0, 6, 7)
SITE_VARS = {
    "phone_pvalues": {"ntp.server": "ntp.site.test", "time.format": "24h"},
    "phone_groups": [{"name": "Sales"}, {"name": "Support"}],
    "phone_contacts": [{"first_name": "Rita", "last_name": "Roth", "group": "Sales", "work": "7002"},
                       {"first_name": "Ada", "last_name": "King", "group": "Support", "mobile": "+44 20 7946 0000"}],
}
phones, factory_phones = emulator_fixtures(count=PHONES, protocol="http")


def call(emulator, session, index, endpoint, **params):
    answer = session.get(emulator.url(index, endpoint), params=params, timeout=10).json()
    assert answer.get("response", answer.get("res")) == "success", answer
    return answer


def drift_apart(emulator):
    """Change three phones behind the collection's back, each in another way, and take one down."""
    emulator.set_pvalues(PVALUE, {"P30": "ntp.elsewhere.test"})
    session = phone_login(emulator, CONTACT)
    rita = next(contact for contact in call(emulator, session, CONTACT, "api-get_contacts")["msg"]
                if contact["contactName"] == "Rita Roth")
    call(emulator, session, CONTACT, "api-save_edit_contact", id=rita["contactID"], firstname="Rita", lastname="Roth",
         group=rita["groupID"], newphone1="7099")
    session = phone_login(emulator, GROUP)
    support = next(group for group in call(emulator, session, GROUP, "api-get_groups")["msg"]
                   if group["groupName"] == "Support")
    call(emulator, session, GROUP, "api-edit_delete_group", id=support["groupID"], name="")
    emulator.faults(DOWN, {"down": True})


def test_a_drift_check_reports_every_phone_it_can_and_writes_nothing(phones, tmp_path):
    inventory = inventory_for(phones, "http", extra_vars=SITE_VARS)
    provisioned = run_playbook(tmp_path, playbook("provision.yml"), inventory, name="provision")
    assert provisioned.rc == 0, provisioned
    drift_apart(phones)
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts["phone%d" % INVALID]["phone_host_contacts"] = [{"first_name": "Yan", "work": "sip:yan@pbx"}]
    phones.reset_counters()
    report_dir = tmp_path / "report"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir), "ANSIBLE_TIMEOUT": "5"}
    run = run_playbook(tmp_path, playbook("drift.yml"), inventory, name="drift", env=env)

    assert run.rc == 4, run  # ansible-playbook's code when a host is unreachable, even when another one failed
    # Nothing was written to any phone, and the valid phones were read (checked).
    for index in range(PHONES):
        assert phones.counters(index)["writes"] == 0, index
    for index in CLEAN + (PVALUE, CONTACT, GROUP):
        assert role_part(run, "phone%d" % index, "pvalues")["_status"] == "ok", index
        assert phones.counters(index)["requests"] > 0, index
    assert phones.counters(INVALID)["requests"] == 0
    # The invalid phone fails on its own line, with its own problem; no other phone fails.
    stop = run.result("phone%d" % INVALID, PHONE_TASK)
    assert stop["_status"] == "failed" and stop["error_kind"] == "stopped"
    assert ("phone_host_contacts[0].work: 'sip:yan@pbx' is not a dialable number (digits, a leading +, *, #, "
            "spaces, - and parentheses)") in stop["msg"]
    assert stop["msg"].startswith("1 problem(s) in the variables of this phone, so it was not checked: ")
    assert {host for host, tasks in run.results.items()
            if tasks.get(PHONE_TASK, [{}])[-1].get("error_kind") == "stopped"} == {"phone%d" % INVALID}
    assert "results" not in stop  # no part ran for it
    assert run.stats["phone%d" % INVALID]["failures"] == 1
    assert run.stats["phone%d" % DOWN]["unreachable"] == 1 and run.stats["phone%d" % DOWN]["failures"] == 0
    assert all(run.stats["phone%d" % index]["failures"] == 0 for index in CLEAN + (PVALUE, CONTACT, GROUP))

    report = json.loads((report_dir / "drift.json").read_text())
    statuses = {host: phone["status"] for host, phone in report["phones"].items()}
    expected = {"phone%d" % INVALID: "failed", "phone%d" % DOWN: "unreachable"}
    expected.update(("phone%d" % index, "drifted") for index in (PVALUE, CONTACT, GROUP))
    expected.update(("phone%d" % index, "clean") for index in CLEAN)
    assert statuses == expected
    summary = report["summary"]
    assert (summary["failed"], summary["unreachable"], summary["drifted"], summary["clean"]) == (1, 1, 3, 3)
    phone = report["phones"]
    assert "sip:yan@pbx" in phone["phone%d" % INVALID]["errors"][0]["message"]
    assert "connection refused" in phone["phone%d" % DOWN]["errors"][0]["message"]
    assert any(row["item"].startswith("ntp.server") and row["after"] == "ntp.site.test"
               for row in phone["phone%d" % PVALUE]["differences"])
    assert "7002" in json.dumps(phone["phone%d" % CONTACT]["differences"])
    assert "Support" in json.dumps(phone["phone%d" % GROUP]["differences"])
    # The other formats say the same: JUnit has one error per failed or unreachable phone, the Markdown summary
    # counts the unreachable phone as unreachable.
    suite = ET.parse(report_dir / "drift.junit.xml").getroot().find("testsuite")
    assert (suite.get("errors"), suite.get("failures")) == ("2", "3")
    errors = {case.get("name"): case.find("error") for case in suite.iter("testcase") if case.find("error") is not None}
    assert {host: error.get("type") for host, error in errors.items()} == {
        "phone%d" % INVALID: "failed", "phone%d" % DOWN: "unreachable"}
    # Each error carries the phone's own message, not the bare status.
    assert "'sip:yan@pbx' is not a dialable number" in errors["phone%d" % INVALID].get("message")
    assert "connection refused" in errors["phone%d" % DOWN].get("message")
    # Contacts and groups drift field by field, never as an API command, in all four formats.
    failures = {case.get("name"): case.find("failure").text for case in suite.iter("testcase")
                if case.find("failure") is not None}
    assert "Rita Roth: work 7099 -> 7002" in failures["phone%d" % CONTACT].splitlines()
    assert "group Support: missing on the phone -> name Support" in failures["phone%d" % GROUP].splitlines()
    contact_rows = phone["phone%d" % CONTACT]["differences"]
    assert any((row["item"], row.get("field"), row["before"], row["after"]) == ("Rita Roth", "work", "7099", "7002")
               for row in contact_rows)
    markdown = (report_dir / "drift.md").read_text()
    page = (report_dir / "drift.html").read_text()
    assert "| phone%d | drifted | Rita Roth: work | 7099 | 7002 |" % CONTACT in markdown
    assert "<td>Rita Roth: work</td><td>7099</td><td>7002</td>" in page
    for text in (markdown, page, json.dumps(report), ET.tostring(suite, encoding="unicode")):
        assert "save_contact" not in text and "add_group" not in text and "edit_contact" not in text
    # For a person: the worst phones first, the clean ones on one line.
    assert "3 clean, 1 failed, 1 unreachable." in markdown
    assert "\n3 clean: phone0, phone6, phone7\n" in markdown
    assert markdown.index("| phone%d | unreachable" % DOWN) < markdown.index("| phone%d | failed" % INVALID) \
        < markdown.index("| phone%d | drifted" % PVALUE)
    assert '<span class="badge unreachable">unreachable</span>' in page and "<summary>3 clean</summary>" in page
    # What produced the report.
    produced = report["produced_by"]
    assert (produced["playbook"], produced["check_mode"]) == ("drift.yml", True)
    assert produced["collection_version"] == "1.0.0"
    assert produced["inventory"] == [str(tmp_path / "drift-inventory.json")]
    assert "Produced by playbook drift.yml, inventory %s, check mode, started " % produced["inventory"][0] in markdown


def test_a_phone_that_cannot_be_reached_is_unreachable_for_ansible(phones, tmp_path):
    phones.faults(0, {"down": True})
    inventory = inventory_for(phones, "http", count=2, extra_vars={"gs_retries": 0})
    tasks = [{"name": "info", "grandstream.phone.gs_info": {"gather_subset": ["system"]}, "ignore_unreachable": True},
             {"name": "after", "ansible.builtin.debug": {"msg": "still here"}},
             {"name": "info again", "grandstream.phone.gs_info": {"gather_subset": ["system"]}}]
    run = run_playbook(tmp_path, [{"hosts": "phones", "gather_facts": False, "tasks": tasks}], inventory)
    try:
        info = run.result("phone0", "info")
        assert info["_status"] == "unreachable" and info["unreachable"] is True and "failed" not in info
        assert info["error_kind"] == "connection" and "connection refused" in info["msg"]
        # ignore_unreachable: the play goes on for the phone; without it, the phone leaves the play.
        assert run.result("phone0", "after")["_status"] == "ok"
        assert run.result("phone0", "info again")["_status"] == "unreachable"
        assert run.result("phone1", "info again")["_status"] == "ok"
        assert (run.stats["phone0"]["unreachable"], run.stats["phone0"]["failures"]) == (1, 0)
        assert run.rc == 4  # ansible-playbook's exit code for unreachable hosts
    finally:
        phones.faults(0, {})


@pytest.mark.parametrize("faults, status, kind", [
    ({"latency_ms": 3000}, "unreachable", "timeout"),  # a read with no answer in time
    ({"reset_rate": 1.0}, "failed", "connection"),  # something answered on the port and reset it
])
def test_only_no_answer_is_unreachable_a_reset_connection_fails(phones, tmp_path, faults, status, kind):
    phones.faults(0, faults)
    inventory = inventory_for(phones, "http", count=1, extra_vars={"gs_retries": 0, "gs_timeout": 1})
    tasks = [{"name": "info", "grandstream.phone.gs_info": {"gather_subset": ["system"]}}]
    try:
        run = run_playbook(tmp_path, [{"hosts": "phones", "gather_facts": False, "tasks": tasks}], inventory)
    finally:
        phones.faults(0, {})
    info = run.result("phone0", "info")
    assert (info["_status"], info["error_kind"]) == (status, kind), info
    assert run.stats["phone0"]["unreachable" if status == "unreachable" else "failures"] == 1
