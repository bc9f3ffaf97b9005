"""The fake firmware server: a PROV installs the image at the phone's config server path, faults and all."""

from __future__ import annotations

import time

import pytest

from emulator.firmware import FirmwareError, FirmwareServer, parse_image
from emulator.model import make_identity
from emulator.phone import Phone, PhoneSettings
from emulator.power import REFUSING, UP
from emulator.store import StateStore
from tests.helpers.emulator_proc import EmulatorError

PATH = "fw.test/GXV3370/1.0.5.1"


def make_phone(tmp_path, images=(), install_seconds=0.0, server=None):
    """A GXV3370 (1.0.3.48) whose fake firmware server is ``server`` (or a new one with ``images``)."""
    server = server or FirmwareServer(images, install_seconds)
    settings = PhoneSettings(seed=0, session_idle=600.0, reboot_seconds=0.0)
    return Phone(make_identity(0, 0, ("GXV3370",)), settings, StateStore(tmp_path), server)


def image(path=PATH, model="GXV3370", version="1.0.5.1"):
    return {"path": path, "model": model, "version": version}


def test_prov_installs_the_image_at_the_config_server_path_and_it_survives_a_restart(tmp_path):
    phone = make_phone(tmp_path, [image()])
    phone.set_pvalues({"P237": PATH})
    phone.provision()
    assert phone.pvalues["P68"] == "1.0.5.1" and phone.counters.snapshot()["reboots"] == 1
    # A new process on the same state directory still runs the installed firmware.
    again = make_phone(tmp_path, server=phone.firmware_server)
    assert again.pvalues["P68"] == "1.0.5.1"
    # A factory reset keeps the firmware; the control API's reset (a fresh test phone) does not.
    again.reboot(factory_reset=True)
    assert again.pvalues["P68"] == "1.0.5.1"
    again.control_reset()
    assert again.pvalues["P68"] == "1.0.3.48"


def test_prov_without_an_image_for_the_path_or_model_only_restarts(tmp_path):
    phone = make_phone(tmp_path, [image(), image(path="fw.test/other", model="WP820")])
    phone.provision()  # P237 is still the factory path
    phone.set_pvalues({"P237": "fw.test/other"})
    phone.provision()  # an image, but for another model
    assert phone.pvalues["P68"] == "1.0.3.48" and phone.counters.snapshot()["reboots"] == 2


@pytest.mark.parametrize("outcome, power, reboots", [("old_version", UP, 1), ("no_return", REFUSING, 1),
                                                     ("no_restart", UP, 0)])
def test_the_upgrade_fault_keeps_the_old_version_or_never_comes_back(tmp_path, outcome, power, reboots):
    phone = make_phone(tmp_path, [image()])
    phone.set_pvalues({"P237": PATH})
    phone.faults.configure({"upgrade": outcome})
    phone.provision()
    assert phone.pvalues["P68"] == "1.0.3.48" and phone.counters.snapshot()["reboots"] == reboots
    assert phone.power.phase(time.monotonic() + 3600) == power


def test_install_seconds_lengthen_the_reboot(tmp_path):
    phone = make_phone(tmp_path, [image()], install_seconds=30)
    phone.set_pvalues({"P237": PATH})
    phone.provision()
    assert phone.power.phase(time.monotonic() + 20) != UP


@pytest.mark.parametrize("body, words", [
    ({"images": [{"path": "p", "model": "GXV3370"}]}, "model, version and path"),
    ({"images": [image(version="1.0.x")]}, "not dotted numbers"),
    ({"images": {}}, "must be a list"),
    ({"install_seconds": -1}, "between 0 and 3600"),
    ({"image": []}, "takes images and install_seconds"),
])
def test_bad_firmware_settings_are_refused(body, words):
    with pytest.raises(FirmwareError, match=words.replace("(", r"\(")):
        FirmwareServer().configure(body)


def test_the_command_line_image_format():
    assert parse_image("GXV3370=1.0.5.1@fw.test/a") == image(path="fw.test/a")
    with pytest.raises(FirmwareError):
        parse_image("GXV3370@fw.test/a")


def test_the_control_api_sets_lists_and_resets_images(fresh_phones):
    answer = fresh_phones.control("POST", "/firmware", {"images": [image()], "install_seconds": 1})
    assert answer["images"] == [image()] and answer["install_seconds"] == 1
    assert fresh_phones.control("GET", "/firmware")["images"] == [image()]
    with pytest.raises(EmulatorError, match="HTTP 400"):
        fresh_phones.control("POST", "/firmware", {"images": [image(version="x")]})
    fresh_phones.reset()
    assert fresh_phones.control("GET", "/firmware") == {"images": [], "install_seconds": 0.0}
    with pytest.raises(EmulatorError, match="HTTP 400"):
        fresh_phones.faults(0, {"upgrade": "sometimes"})
