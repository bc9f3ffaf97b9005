"""A secret in the drift report says why it would be written, never `******** -> ********`; through ansible-playbook."""

import json

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

SIP_SECRET = "sip-Secret-4711"
phones, factory_phones = emulator_fixtures(count=2)


def test_a_secret_that_would_be_written_says_why_in_every_format(phones, tmp_path):
    # phone0 has an account whose server moves: its password is sent again. phone1 has none set yet.
    phones.set_pvalues(0, {"P35": "1001", "P34": "password-set-by-hand", "P47": "old-pbx.example.com"})
    values = {"account1.sip_user_id": "1001", "account1.sip_server": "pbx.example.com",
              "account1.password": SIP_SECRET}
    tasks = [{"name": "P-values", "grandstream.phone.gs_pvalues": {"values": values}}]
    report_dir = tmp_path / "report"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    phones.reset_counters()
    run = run_playbook(tmp_path, [{"hosts": "phones", "gather_facts": False, "check_mode": True, "tasks": tasks}],
                       inventory_for(phones, "http", count=2), "--diff", env=env)
    assert run.rc == 0, run
    assert phones.counters(0)["writes"] == 0 and phones.counters(1)["writes"] == 0
    change = run.result("phone0", "P-values")["changes"]["account1.password"]
    assert change["reason"] == "written again because account1.sip_server changes"
    assert run.result("phone1", "P-values")["changes"]["account1.password"]["reason"] == \
        "written because the phone has none set"

    rows = {host: phone["differences"] for host, phone in json.loads((report_dir / "drift.json").read_text())[
        "phones"].items()}
    secret = next(row for row in rows["phone0"] if row["item"] == "account1.password (P34)")
    assert secret["note"] == "written again because account1.sip_server changes" and "before" not in secret
    markdown = (report_dir / "drift.md").read_text()
    assert "| phone0 | drifted | account1.password (P34) |  | written again because account1.sip_server changes |" \
        in markdown
    assert "| phone1 | drifted | account1.password (P34) |  | written because the phone has none set |" in markdown
    junit = (report_dir / "drift.junit.xml").read_text()
    assert "account1.password (P34): written again because account1.sip_server changes" in junit
    for name in ("drift.md", "drift.junit.xml", "drift.html", "drift.json"):
        text = (report_dir / name).read_text()
        assert "******** -&gt; ********" not in text and "******** -> ********" not in text, name
        assert SIP_SECRET not in text and "password-set-by-hand" not in text, name
