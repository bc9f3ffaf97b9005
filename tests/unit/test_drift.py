"""Drift report renderers: every format holds the same facts, escapes hostile text, masks nothing away."""

import json
import xml.etree.ElementTree as ET

from ansible_collections.grandstream.phone.plugins.plugin_utils.drift import DriftReport


def sample_report():
    report = DriftReport()
    changes = {"ntp.server (P30)": {"before": "pool.ntp.org", "after": "ntp.example.org"},
               "account1.password (P34)": {"before": "", "after": "********"}}
    report.add_result("phone1", "apply pvalues", "gs_pvalues", {"changed": True, "changes": changes})
    report.add_result("phone2", "apply pvalues", "gs_pvalues", {"changed": False, "changes": {}})
    report.add_result("phone3", "groups", "gs_group", {"changed": True, "commands": ["add_group name=<b>&Sales"]})
    report.add_failure("phone4", "apply pvalues", "gs_pvalues", "phone4: connection refused", unreachable=True)
    return report


def test_summary_counts_each_status():
    assert sample_report().summary() == {"drifted": 2, "clean": 1, "failed": 0, "unreachable": 1, "total": 4}


def test_json_lists_differences_per_phone():
    data = json.loads(sample_report().to_json())
    assert data["phones"]["phone1"]["status"] == "drifted"
    items = {row["item"]: row for row in data["phones"]["phone1"]["differences"]}
    assert items["ntp.server (P30)"]["after"] == "ntp.example.org"
    assert data["phones"]["phone2"] == {"status": "clean", "differences": [], "errors": []}


def test_markdown_table_has_one_row_per_difference():
    text = sample_report().to_markdown()
    assert "| phone1 | drifted | ntp.server (P30) | pool.ntp.org | ntp.example.org |" in text
    assert "| phone2 | clean | | | |" in text
    assert "2 drifted, 1 clean, 0 failed, 1 unreachable" in text


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
    assert page.count("<section>") == 4


def test_write_creates_the_four_files(tmp_path):
    written = sample_report().write(str(tmp_path / "out"))
    names = sorted(path.rsplit("/", 1)[1] for path in written)
    assert names == ["drift.html", "drift.json", "drift.junit.xml", "drift.md"]
