"""gs_firmware end to end: ansible-playbook against the emulator's fake firmware server.

Phones: 0 GXV3370 (1.0.3.48, V1.2A), 1 GXV3380 (1.0.3.48), 2 GXV3350 (1.0.3.40).
The fake server holds 1.0.5.1 and 1.0.11.2 for the GXV3370, one directory per version.
"""

import pytest

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import EmulatorProcess

PATH = "fw.test/{model}/{version}"
IMAGES = ["GXV3370=1.0.5.1@fw.test/GXV3370/1.0.5.1", "GXV3370=1.0.11.2@fw.test/GXV3370/1.0.11.2"]
DESIRED = {"GXV3370": {"version": "1.0.11.2", "steps": ["1.0.5.1"]}, "GXV3380": "1.0.3.48"}


def firmware_task(name="firmware", **options):
    options.setdefault("firmware", DESIRED)
    options.setdefault("server", {"upgrade_via": "https", "path": PATH})
    options.setdefault("poll_interval", 0.2)
    options.setdefault("wait_timeout", 30)
    return {"name": name, "grandstream.phone.gs_firmware": options}


@pytest.fixture(scope="module")
def phones():
    args = ["--reboot-seconds", "1", "--install-seconds", "0.5", "--models", "GXV3370,GXV3380,GXV3350"]
    for image in IMAGES:
        args += ["--firmware-image", image]
    # Guide dialect only: the upgrade paths below are the guide-era versions of three models (1.0.3.48 ->
    # 1.0.5.1 -> 1.0.11.2, P68); current firmware reports its version in the login answer and is
    # test_firmware_current.py's, and test_mixed_fleet.py upgrades a mixed fleet.
    with EmulatorProcess(count=3, extra_args=args, firmware="guide") as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def clean(phones):
    phones.reset()  # first: it also brings back a phone that was never to come back
    for index in range(3):
        phones.wait_until_up(index)
    phones.reset_counters()


def test_check_mode_reports_compliance_without_writing_or_rebooting(phones, tmp_path):
    run = run_playbook(tmp_path, play(firmware_task()), inventory_for(phones), "--check", "--diff")
    assert run.rc == 0, run
    behind, on_target, unknown = (run.result("phone%d" % i, "firmware") for i in range(3))
    assert behind["status"] == "behind" and behind["changed"] is True
    assert behind["path"] == ["1.0.5.1", "1.0.11.2"] and behind["before"] == {"firmware": "1.0.3.48"}
    assert behind["commands"] == [
        "set upgrade.via=https, provisioning.config_server_path=fw.test/GXV3370/1.0.5.1",
        "api-sys_operation PROV (install 1.0.5.1)",
        "set upgrade.via=https, provisioning.config_server_path=fw.test/GXV3370/1.0.11.2",
        "api-sys_operation PROV (install 1.0.11.2)"]
    assert on_target["status"] == "on_target" and on_target["changed"] is False and on_target["path"] == []
    assert unknown["status"] == "unknown" and unknown["changed"] is False
    assert "'GXV3350' is not in the desired firmware map" in unknown["msg"]
    for index in range(3):
        counters = phones.counters(index)
        assert counters["writes"] == 0 and counters["reboots"] == 0 and counters["failed_logins"] == 0
        assert "api-sys_operation" not in counters["by_endpoint"]
    assert phones.state(0)["firmware"] == "1.0.3.48"


def test_upgrade_steps_through_the_intermediate_version_then_a_second_run_changes_nothing(phones, tmp_path):
    inventory = inventory_for(phones, count=2)
    run = run_playbook(tmp_path, play(firmware_task()), inventory)
    assert run.rc == 0, run
    result = run.result("phone0", "firmware")
    assert result["changed"] is True and result["after"] == {"firmware": "1.0.11.2"}
    assert [step["version"] for step in result["steps"]] == ["1.0.5.1", "1.0.11.2"]
    assert [step["reported"] for step in result["steps"]] == ["1.0.5.1", "1.0.11.2"]
    assert result["steps"][0]["server_changes"]["provisioning.config_server_path"]["after"] == \
        "fw.test/GXV3370/1.0.5.1"
    state = phones.state(0)
    assert state["firmware"] == "1.0.11.2" and state["pvalues"]["P237"] == "fw.test/GXV3370/1.0.11.2"
    assert phones.counters(0)["reboots"] == 2 and phones.counters(0)["by_endpoint"]["api-sys_operation"] == 2
    assert phones.counters(1)["reboots"] == 0 and phones.counters(1)["writes"] == 0
    progress = [line for line in run.stdout.splitlines() if line.startswith("[phone0]")]
    assert any("now on 1.0.5.1" in line for line in progress), run.stdout
    assert any("the phone answers: connection refused (rebooting)" in line for line in progress), run.stdout

    phones.reset_counters()
    again = run_playbook(tmp_path, play(firmware_task()), inventory, name="again")
    assert again.rc == 0, again
    assert again.changed_count("phone0") == 0 and again.changed_count("phone1") == 0
    assert again.result("phone0", "firmware")["status"] == "on_target"
    for index in range(2):
        assert phones.counters(index)["reboots"] == 0 and phones.counters(index)["writes"] == 0


def test_a_phone_that_comes_back_on_the_old_version_fails_saying_what_it_reported(phones, tmp_path):
    phones.faults(0, {"upgrade": "old_version"})
    run = run_playbook(tmp_path, play(firmware_task()), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert result["changed"] is True and result["error_kind"] == "not_applied"
    assert "reports firmware '1.0.3.48', not 1.0.5.1" in result["msg"]
    assert "served or offered, not installed" in result["msg"]
    assert result["reported"] == "1.0.3.48" and result["expected"] == "1.0.5.1" and result["installed"] == []
    # It stopped at the failed step: one PROV, no second one.
    assert phones.counters(0)["by_endpoint"]["api-sys_operation"] == 1
    assert phones.state(0)["firmware"] == "1.0.3.48"


def test_a_phone_that_does_not_come_back_fails_after_the_timeout(phones, tmp_path):
    phones.faults(0, {"upgrade": "no_return"})
    run = run_playbook(tmp_path, play(firmware_task(wait_timeout=3)), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert result["changed"] is True and result["error_kind"] == "timeout"
    assert "did not answer again within 3 s" in result["msg"]
    assert "expected it back on 1.0.5.1 (it ran 1.0.3.48 before)" in result["msg"]
    assert result["reported"] is None and result["expected"] == "1.0.5.1"


def test_a_phone_that_accepts_prov_but_never_restarts_fails_saying_nothing_was_installed(phones, tmp_path):
    phones.faults(0, {"upgrade": "no_restart"})
    run = run_playbook(tmp_path, play(firmware_task(wait_timeout=2)), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert result["error_kind"] == "not_applied" and result["changed"] is True
    assert "never went down within 2 s after PROV" in result["msg"]
    assert "reports firmware '1.0.3.48', not 1.0.5.1" in result["msg"]
    assert result["reported"] == "1.0.3.48" and phones.counters(0)["reboots"] == 0


def test_a_phone_behind_only_by_a_higher_number_part_is_behind(phones, tmp_path):
    # 1.0.3.48 -> 1.0.11.2: a text comparison would call the phone newer.
    run = run_playbook(tmp_path, play(firmware_task(firmware={"GXV3370": "1.0.11.2"})),
                       inventory_for(phones, count=1), "--check")
    assert run.rc == 0, run
    assert run.result("phone0", "firmware")["path"] == ["1.0.11.2"]


@pytest.mark.parametrize("firmware, field, words", [
    ({"GXV3370": {"version": "1.0.11.2", "steps": ["1.0.5.1", "1.0.4.9"]}}, "firmware.GXV3370.steps[1]",
     "not newer than the step before it"),
    ({"GXV3370": {"version": "1.0.x"}}, "firmware.GXV3370.version", "is not a firmware version"),
    ({"GXV3370": {"version": "1.0.11.2", "step": ["1.0.5.1"]}}, "firmware.GXV3370.step",
     "not a known key (allowed: version, steps, hardware)"),
])
def test_a_bad_desired_map_is_refused_before_any_request_naming_the_field(phones, tmp_path, firmware, field, words):
    run = run_playbook(tmp_path, play(firmware_task(firmware=firmware)), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert result["field"] == field and words in result["msg"] and result["changed"] is False
    assert phones.counters(0)["requests"] == 0


def test_an_unknown_placeholder_in_the_server_path_is_refused(phones, tmp_path):
    run = run_playbook(tmp_path, play(firmware_task(server={"path": "fw.test/{modle}"})),
                       inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert "unknown placeholder {modle}" in result["msg"] and phones.counters(0)["requests"] == 0


def test_a_hardware_revision_gets_its_own_target(phones, tmp_path):
    firmware = {"GXV3370": {"version": "1.0.11.2", "hardware": {"V1.2A": {"version": "1.0.3.48"}}},
                "GXV3380": {"version": "1.0.3.48", "hardware": {"V9.9Z": {"version": "1.0.11.2"}}}}
    run = run_playbook(tmp_path, play(firmware_task(firmware=firmware)), inventory_for(phones, count=2), "--check")
    assert run.rc == 0, run
    # phone0 is a V1.2A: its revision's target, which it runs; phone1 (V1.1B) takes the model's.
    first, second = run.result("phone0", "firmware"), run.result("phone1", "firmware")
    assert first["hardware_revision"] == "V1.2A" and first["status"] == "on_target"
    assert first["target"] == {"version": "1.0.3.48", "steps": []}
    assert second["hardware_revision"] == "V1.1B" and second["status"] == "on_target"


def test_the_user_account_is_refused_before_any_request(phones, tmp_path):
    run = run_playbook(tmp_path, play(firmware_task()),
                       inventory_for(phones, count=1, extra_vars={"gs_username": "user", "gs_password": "123"}))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert "needs the admin user" in result["msg"] and result["field"] == "username"
    assert phones.counters(0)["requests"] == 0


def test_a_server_value_the_phone_drops_fails_the_step_before_any_prov(phones, tmp_path):
    phones.faults(0, {"drop_writes": ["P237"]})
    run = run_playbook(tmp_path, play(firmware_task()), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert result["msg"].startswith("127.0.0.1:%d: setting the server values for 1.0.5.1" % phones.ports[0])
    assert result["not_applied"] == ["provisioning.config_server_path (P237)"]
    assert result["changed"] is True and result["installed"] == [] and result["expected"] == "1.0.5.1"
    assert "api-sys_operation" not in phones.counters(0)["by_endpoint"]


def test_server_values_are_filled_per_step_and_secrets_masked_everywhere(phones, tmp_path):
    secret = "Xml-Secret-5d1"
    server = {"path": PATH, "values": {"P192": "fw.test/{model}/{version}", "provisioning.xml_config_password": secret}}
    check = run_playbook(tmp_path, play(firmware_task(server=server)), inventory_for(phones, count=1),
                         "--check", "--diff", "-vvv", name="check")
    assert check.rc == 0, check
    commands = check.result("phone0", "firmware")["commands"]
    assert commands[0] == ("set provisioning.config_server_path=fw.test/GXV3370/1.0.5.1, "
                           "P192=fw.test/GXV3370/1.0.5.1, provisioning.xml_config_password=********")
    applied = run_playbook(tmp_path, play(firmware_task(server=server)), inventory_for(phones, count=1), "-vvv")
    assert applied.rc == 0, applied
    state = phones.state(0)
    assert state["firmware"] == "1.0.11.2" and state["pvalues"]["P192"] == "fw.test/GXV3370/1.0.11.2"
    assert state["pvalues"]["P1359"] == secret
    for run in (check, applied):
        assert secret not in run.stdout + run.stderr


def test_a_server_value_naming_the_path_twice_is_refused(phones, tmp_path):
    server = {"path": PATH, "values": {"P237": "fw.test/other"}}
    run = run_playbook(tmp_path, play(firmware_task(server=server)), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "firmware")
    assert result["field"] == "server.values.P237" and "same P-value as server.path" in result["msg"]
    assert phones.counters(0)["requests"] == 0
