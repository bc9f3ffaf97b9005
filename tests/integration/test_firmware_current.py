"""gs_firmware on a current-firmware phone: the running version comes from the login answer (``ver``), and after
an install the client detects the dialect again and reads the new version from the new login's answer."""

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import EmulatorProcess

TARGET = "1.0.4.2"


def test_an_upgrade_of_a_current_phone_is_seen_installed_from_the_login_answer(tmp_path):
    args = ["--reboot-seconds", "1", "--install-seconds", "0.5", "--models", "GXV3370",
            "--firmware-image", "GXV3370=%s@fw.test/GXV3370/%s" % (TARGET, TARGET)]
    with EmulatorProcess(count=1, firmware="current", extra_args=args) as phones:
        before = phones.dialect(0)["firmware"]
        task = {"name": "firmware", "grandstream.phone.gs_firmware": {
            "firmware": {"GXV3370": TARGET}, "server": {"upgrade_via": "https", "path": "fw.test/{model}/{version}"},
            "poll_interval": 0.2, "wait_timeout": 30}}
        run = run_playbook(tmp_path, play(task, {"name": "info", "grandstream.phone.gs_info": {}, "register": "info"}),
                           inventory_for(phones))
        assert run.rc == 0, run
        result = run.result("phone0", "firmware")
        assert result["changed"] is True and result["before"] == {"firmware": before}
        assert result["after"] == {"firmware": TARGET}
        assert phones.dialect(0) == {"dialect": "current", "firmware": TARGET, "model": "GXV3370"}
        assert run.result("phone0", "info")["system"]["firmware"] == TARGET
        counters = phones.counters(0)
        # One login before the install, one after it (the reboot ended the session); the dialect probed once
        # more after the install (new firmware may speak another one); never a failed login.
        assert counters["logins"] == 2 and counters["failed_logins"] == 0 and counters["probes"] == 2
