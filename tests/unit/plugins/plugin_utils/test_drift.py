"""drift.py: the report renderers (every format holds the same facts, escapes hostile text, masks nothing away)
and a gs_fleet result fanned out per phone as per-host runs would report it."""

import json
import xml.etree.ElementTree as ET

from ansible_collections.grandstream.phone.plugins.plugin_utils.drift import DriftReport


def sample_report():
    report = DriftReport()
    changes = {"ntp.server (P30)": {"before": "pool.ntp.org", "after": "ntp.example.org"},
               "account1.password (P34)": {"before": "", "after": "********"}}
    report.add_result("phone1", "apply pvalues", "gs_pvalues", {"changed": True, "changes": changes})
    report.add_result("phone2", "apply pvalues", "gs_pvalues", {"changed": False, "changes": {}})
    report.add_result("phone3", "groups", "gs_group", {"changed": True, "commands": ["add_group name=<b>&Sales"],
                                                       "before": [], "after": [{"name": "<b>&Sales"}]})
    report.add_failure("phone4", "apply pvalues", "gs_pvalues", "phone4: connection refused", unreachable=True)
    return report


def test_summary_counts_each_status():
    assert sample_report().summary() == {"drifted": 2, "reboot pending": 0, "unverified": 0, "clean": 1, "failed": 0,
                                         "unreachable": 1, "total": 4}


def test_json_lists_differences_per_phone():
    data = json.loads(sample_report().to_json())
    assert data["phones"]["phone1"]["status"] == "drifted"
    items = {row["item"]: row for row in data["phones"]["phone1"]["differences"]}
    assert items["ntp.server (P30)"]["after"] == "ntp.example.org"
    assert data["phones"]["phone2"] == {"status": "clean", "differences": [], "errors": [], "unverified": []}


def test_markdown_table_has_one_row_per_difference():
    text = sample_report().to_markdown()
    assert "| phone1 | drifted | ntp.server (P30) | pool.ntp.org | ntp.example.org |" in text
    assert "| phone2 |" not in text and "\n1 clean: phone2\n" in text
    assert "2 drifted, 0 reboot pending, 0 unverified, 1 clean, 0 failed, 1 unreachable" in text


def test_junit_drift_is_a_failure_and_unreachable_an_error():
    root = ET.fromstring(sample_report().to_junit())
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert cases["phone1"].find("failure") is not None
    assert cases["phone2"].find("failure") is None and cases["phone2"].find("error") is None
    assert cases["phone4"].find("error") is not None
    suite = root.find("testsuite")
    assert suite.get("tests") == "4" and suite.get("failures") == "2" and suite.get("errors") == "1"


def test_html_is_self_contained_and_escaped():
    page = sample_report().to_html()
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "&lt;b&gt;&amp;Sales" in page and "<b>&Sales" not in page
    assert page.count('<section class="phone"') == 3 and '<summary>1 clean</summary>' in page


def test_write_creates_the_four_files(tmp_path):
    written = sample_report().write(str(tmp_path / "out"))
    names = sorted(path.rsplit("/", 1)[1] for path in written)
    assert names == ["drift.html", "drift.json", "drift.junit.xml", "drift.md"]


def pending_and_unverified_report():
    report = DriftReport()
    pending = {"changed": True, "changes": {}, "reboot_pending": True, "unverified": [],
               "reboot_pending_values": ["account1.transport (P130)"], "reboot_pending_since": "2026-12-01T09:00:00Z"}
    report.add_result("phone1", "Configuration P-values", "gs_pvalues", pending)
    # The role's handler in check mode: "would reboot" follows from the pending reboot, it is no drift itself.
    report.add_result("phone1", "Reboot phone", "gs_sysop", {"changed": True, "msg": "would reboot"})
    report.add_result("phone2", "Configuration P-values", "gs_pvalues",
                      {"changed": False, "changes": {}, "unverified": ["account1.password (P34)"]})
    report.add_result("phone3", "Configuration P-values", "gs_pvalues",
                      {"changed": True, "unverified": ["account1.password (P34)"],
                       "changes": {"ntp.server": {"pvalue": "P30", "before": "a", "after": "b"}}})
    return report


def test_a_pending_reboot_and_an_unverified_secret_are_never_clean():
    report = pending_and_unverified_report()
    data = json.loads(report.to_json())
    assert {host: phone["status"] for host, phone in data["phones"].items()} == {
        "phone1": "reboot pending", "phone2": "unverified", "phone3": "drifted"}
    first = data["phones"]["phone1"]["differences"][0]
    assert first["item"] == "reboot pending" and "account1.transport (P130)" in first["before"]
    assert "2026-12-01T09:00:00Z" in first["after"]
    assert data["phones"]["phone2"]["unverified"] == ["account1.password (P34)"]
    assert report.summary()["reboot pending"] == 1 and report.summary()["unverified"] == 1
    text = report.to_markdown()
    assert "| phone2 | unverified | account1.password (P34) | the phone cannot show" in text
    assert "| phone1 | reboot pending | reboot pending |" in text
    cases = {case.get("name"): case for case in ET.fromstring(report.to_junit()).iter("testcase")}
    assert cases["phone1"].find("failure").get("message") == "reboot pending"
    assert cases["phone2"].find("failure") is None and "account1.password" in cases["phone2"].find("system-out").text
    page = report.to_html()
    assert 'class="badge reboot-pending"' in page and "account1.password (P34)" in page


def health_report():
    report = DriftReport()
    report.add_result("phone1", "apply pvalues", "gs_pvalues", {"changed": False, "changes": {}})
    report.add_health("phone1", {"healthy": True, "problems": [], "reachable": True, "reboot_pending": False,
                                 "accounts": [{"id": 1, "registered": True}], "firmware": None})
    report.add_result("phone2", "apply pvalues", "gs_pvalues", {"changed": False, "changes": {}})
    report.add_health("phone2", {"problems": ["reboot pending: a value that needs a reboot was written"],
                                 "reachable": True, "reboot_pending": True, "accounts": [], "firmware": None})
    report.add_failure("phone3", "apply pvalues", "gs_pvalues", "phone3: connection refused")
    return report


def test_health_is_absent_until_a_health_task_reports():
    data = json.loads(sample_report().to_json())
    assert "healthy" not in data["summary"] and all("health" not in phone for phone in data["phones"].values())
    assert "## Health" not in sample_report().to_markdown()
    assert len(ET.fromstring(sample_report().to_junit()).findall("testsuite")) == 1


def test_health_problems_are_counted_apart_from_drift_and_an_unreached_phone_says_why():
    report = health_report()
    summary = report.summary()
    assert summary["clean"] == 2 and summary["failed"] == 1
    assert summary["healthy"] == 1 and summary["unhealthy"] == 2
    phones = json.loads(report.to_json())["phones"]
    assert phones["phone2"]["status"] == "clean" and phones["phone2"]["health"]["status"] == "unhealthy"
    assert phones["phone3"]["health"]["problems"] == ["not checked: phone3: connection refused"]


def test_a_hidden_health_result_is_never_reported_healthy():
    report = DriftReport()
    report.add_health("phone1", {"changed": False, "msg": "details hidden by no_log"})
    health = json.loads(report.to_json())["phones"]["phone1"]["health"]
    assert health["status"] == "unhealthy" and health["problems"] == ["health not shown: details hidden by no_log"]


def test_junit_has_a_health_suite_where_an_unhealthy_phone_is_a_failed_case():
    suites = {suite.get("name"): suite for suite in ET.fromstring(health_report().to_junit())}
    health = suites["phone health"]
    assert health.get("tests") == "3" and health.get("failures") == "2"
    cases = {case.get("name"): case for case in health.iter("testcase")}
    assert cases["phone1"].find("failure") is None
    assert "reboot pending" in cases["phone2"].find("failure").text


def test_health_problems_are_escaped_in_html_and_markdown():
    report = DriftReport()
    report.add_health("phone1", {"healthy": False, "problems": ["account 1 (<b>|x@pbx) is not registered"]})
    page, markdown = report.to_html(), report.to_markdown()
    assert "&lt;b&gt;" in page and "<b>|x" not in page
    assert "(<b>\\|x@pbx)" in markdown


def phonebook_report():
    report = DriftReport(produced_by={"playbook": "drift.yml", "inventory": ["inventory/"], "check_mode": True,
                                      "collection_version": "1.0.0"})
    before = [{"first_name": "Rita", "last_name": "Roth", "group": "Sales", "work": "7099"},
              {"first_name": "Bob", "last_name": "Old", "group": "Sales", "work": "7100"}]
    after = [{"first_name": "Rita", "last_name": "Roth", "group": "Sales", "work": "7002"}]
    report.add_result("desk1", "Phonebook", "gs_contacts", {
        "changed": True, "before": before, "after": after, "commands": ["save_contact id=18 firstname=Rita"],
        "groups": {"before": [{"name": "Sales"}], "after": [{"name": "Sales"}, {"name": "Support"}],
                   "commands": ["add_group name=Support"]}})
    report.add_result("desk2", "Configuration P-values", "gs_pvalues", {"changed": True, "changes": {
        "account1.sip_server": {"pvalue": "P47", "before": "old.pbx", "after": "new.pbx"},
        "account1.password": {"pvalue": "P34", "before": "********", "after": "********", "secret": True,
                              "reason": "written again because account1.sip_server changes"}}})
    # gs_password's result: the password masked on both sides, the module's words say what differs.
    password = {"changed": True, "verified": True, "msg": "would change the admin password",
                "before": {"admin_password": "********"}, "after": {"admin_password": "******** (written)"},
                "commands": ["change admin password"]}
    report.add_result("desk3", "Passwords", "gs_password", password)
    report.add_failure("desk0", "Configuration P-values", "gs_pvalues", "desk0: HTTP 403 for api.values.get")
    for index in range(4, 10):
        report.add_result("desk%d" % index, "Configuration P-values", "gs_pvalues", {"changed": False, "changes": {}})
    return report


def test_contacts_and_groups_differ_field_by_field_never_as_a_command():
    report = phonebook_report()
    rows = json.loads(report.to_json())["phones"]["desk1"]["differences"]
    assert {"item": "Rita Roth", "field": "work", "before": "7099", "after": "7002"}.items() <= rows[1].items()
    assert rows[0]["item"] == "group Support" and rows[0]["before"] == "missing on the phone"
    assert rows[2]["item"] == "contact Bob Old" and rows[2]["note"].startswith("extra on the phone, not desired")
    junit = report.to_junit()
    markdown, page = report.to_markdown(), report.to_html()
    failure = next(case for case in ET.fromstring(junit).iter("testcase") if case.get("name") == "desk1")[0]
    assert "Rita Roth: work 7099 -> 7002" in failure.text.splitlines()
    assert "| desk1 | drifted | Rita Roth: work | 7099 | 7002 |" in markdown
    assert "<td>Rita Roth: work</td><td>7099</td><td>7002</td>" in page
    for text in (junit, markdown, page, report.to_json()):
        assert "save_contact" not in text and "add_group" not in text


def test_a_resent_secret_says_why_and_a_differing_password_is_named():
    report = phonebook_report()
    markdown, junit = report.to_markdown(), report.to_junit()
    assert "| desk2 | drifted | account1.password (P34) |  | written again because account1.sip_server changes |" \
        in markdown
    failure = next(case for case in ET.fromstring(junit).iter("testcase") if case.get("name") == "desk2")[0]
    assert "account1.password (P34): written again because account1.sip_server changes" in failure.text
    assert "******** -> ********" not in failure.text and "********" not in markdown
    assert "| desk3 | drifted | admin password |  | would change the admin password |" in markdown


def test_problems_come_first_clean_phones_collapse_and_cards_colour_only_counts_above_zero():
    report = phonebook_report()
    assert report.ordered_hosts()[:4] == ["desk0", "desk1", "desk2", "desk3"]
    markdown = report.to_markdown()
    assert "\n6 clean: desk4, desk5, desk6, desk7, desk8, desk9\n" in markdown
    assert markdown.index("| desk0 |") < markdown.index("| desk1 |") < markdown.index("\n6 clean:")
    page = report.to_html()
    assert '<div class="card failed" data-status="failed" data-count="1">' in page
    assert '<div class="card zero" data-status="unreachable" data-count="0">' in page
    assert "<summary>6 clean</summary>" in page and page.count('<section class="phone"') == 4


def test_every_format_says_what_produced_it_and_junit_errors_carry_the_phones_message():
    report = phonebook_report()
    said = "playbook drift.yml, inventory inventory/, check mode, started "
    assert said in report.to_markdown() and said in report.to_html() and said in report.to_junit()
    assert json.loads(report.to_json())["produced_by"]["collection_version"] == "1.0.0"
    cases = {case.get("name"): case for case in ET.fromstring(report.to_junit()).iter("testcase")}
    error = cases["desk0"].find("error")
    assert error.get("message") == "desk0: HTTP 403 for api.values.get" and error.get("type") == "failed"


def test_the_report_lists_each_phone_of_a_fleet_result_as_a_per_host_run_would():
    changes = {"ntp.server (P30)": {"before": "old", "after": "new"}}
    per_host = DriftReport()
    per_host.add_result("a", "t", "gs_pvalues", {"changed": True, "changes": changes})
    per_host.add_result("b", "t", "gs_pvalues", {"changed": False})
    per_host.add_failure("c", "t", "gs_pvalues", "refused", unreachable=False)
    per_host.add_failure("d", "t", "gs_pvalues", "connection refused", unreachable=True)
    fanned = DriftReport()
    fanned.add_fleet("t", {"fleet": {
        "a": {"status": "drifted", "results": {"gs_pvalues": {"changed": True, "changes": changes}}},
        "b": {"status": "clean", "results": {"gs_pvalues": {"changed": False}}},
        "c": {"status": "failed", "msg": "refused", "results": {"gs_pvalues": {"failed": True, "msg": "refused"}}},
        "d": {"status": "unreachable", "results": {"gs_pvalues": {"unreachable": True, "msg": "connection refused"}}},
    }})
    assert json.loads(fanned.to_json())["phones"] == json.loads(per_host.to_json())["phones"]
    assert fanned.summary() == per_host.summary()


def test_an_invalid_phone_of_a_fleet_result_is_failed_with_its_message():
    report = DriftReport()
    report.add_fleet("t", {"fleet": {"x": {"status": "failed", "msg": "1 problem(s)", "results": {}}}})
    phone = json.loads(report.to_json())["phones"]["x"]
    assert phone["status"] == "failed" and phone["errors"][0]["message"] == "1 problem(s)"


def test_a_gs_phone_result_lists_each_part_under_its_module_and_a_failed_part_with_what_still_drifted():
    report = DriftReport()
    drifted_values = {"changed": True, "changes": {"ntp.server (P30)": {"before": "a.test", "after": "b.test"}}}
    report.add_phone("clean", "phone", {"changed": False, "results": {"phonebook": {"changed": False},
                                                                      "pvalues": {"changed": False, "changes": {}}}})
    report.add_phone("values", "phone", {"changed": True, "results": {"pvalues": drifted_values}})
    report.add_phone("book", "phone", {"failed": True, "changed": True, "msg": "book: HTTP 503 (the phonebook failed; "
                                       "pvalues still ran)", "results": {
                                           "phonebook": {"failed": True, "msg": "book: HTTP 503"},
                                           "pvalues": drifted_values}})
    report.add_phone("login", "phone", {"failed": True, "msg": "login: refused", "results": {
        "phonebook": {"failed": True, "msg": "login: refused"},
        "pvalues": {"changed": False, "skipped": True, "msg": "not run: the phonebook failed first"}}})
    # Bad input found before any part ran: the task's own failure.
    report.add_phone("input", "phone", {"failed": True, "msg": "input: pvalues: values.x: unknown"})
    phones = report.as_dict()["phones"]
    assert {host: phone["status"] for host, phone in phones.items()} == {
        "clean": "clean", "values": "drifted", "book": "failed", "login": "failed", "input": "failed"}
    assert [(row["module"], row["item"]) for row in phones["values"]["differences"]] == [
        ("gs_pvalues", "ntp.server (P30)")]
    # The failed phonebook is the phone's error; the P-values it still found drifted are listed, not hidden.
    assert [(error["module"], error["message"]) for error in phones["book"]["errors"]] == [
        ("gs_contacts", "book: HTTP 503")]
    assert [row["module"] for row in phones["book"]["differences"]] == ["gs_pvalues"]
    assert [error["module"] for error in phones["login"]["errors"]] == ["gs_contacts"]
    assert [(error["module"], error["message"]) for error in phones["input"]["errors"]] == [
        ("gs_phone", "input: pvalues: values.x: unknown")]
