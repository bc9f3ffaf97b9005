"""`make demo`: start emulated phones, run the collection's playbooks against them, stop them.

Everything happens on 127.0.0.1; the emulator stops when the demo ends, whatever happens.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build", "demo")
INVENTORY = os.path.join(ROOT, "playbooks", "inventory", "emulator.yml")
BASE_PORT, COUNT, CONTROL_PORT = 18441, 3, 18440


def banner(text):
    print("\n" + "=" * 78 + "\n" + text + "\n" + "=" * 78, flush=True)


def start_emulator():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    ready = os.path.join(WORK, "ready.json")
    cmd = [sys.executable, "-m", "emulator", "--count", str(COUNT), "--base-port", str(BASE_PORT),
           "--protocol", "https", "--control-port", str(CONTROL_PORT), "--state-dir", os.path.join(WORK, "state"),
           "--cert-dir", WORK, "--ready-file", ready, "--log-file", os.path.join(WORK, "emulator.log"),
           # A mixed fleet, as buildings have: even ports speak the guide's (2021) firmware dialect, odd ones
           # current firmware's (challenge login, config_get); the client finds out per phone, without a login.
           "--firmware", "mixed"]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    deadline = time.monotonic() + 30
    while not os.path.exists(ready):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit("the emulator did not start (see %s)" % os.path.join(WORK, "emulator.log"))
        time.sleep(0.1)
    return proc


def stop_emulator(proc):
    try:
        request = urllib.request.Request("http://127.0.0.1:%d/shutdown" % CONTROL_PORT, data=b"{}", method="POST")
        urllib.request.urlopen(request, timeout=5).read()
        proc.wait(timeout=10)
    except Exception:  # the demo must never leave an emulator behind
        proc.kill()
        proc.wait()


def control(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (CONTROL_PORT, path), data=data,
                                     method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.load(answer)


def playbook(name, *extra, env=None):
    full_env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1",
                    GS_SESSION_CACHE_DIR=os.path.join(WORK, "sessions"))
    full_env.update(env or {})
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", INVENTORY,
           os.path.join(ROOT, "playbooks", name)] + list(extra)
    print("$ ansible-playbook " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c
                                           for c in cmd[1:]), flush=True)
    return subprocess.call(cmd, cwd=ROOT, env=full_env)


def discover():
    """The phones as the grandstream.phone.phones inventory plugin finds them (no login)."""
    failed = 0
    for shown in (["--graph"], ["--host", "127.0.0.1_%d" % BASE_PORT, "--yaml"]):
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i",
               os.path.join(ROOT, "playbooks", "discovery", "emulator.phones.yml")] + shown
        print("$ ansible-inventory " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c
                                                for c in cmd[1:]), flush=True)
        failed += subprocess.call(cmd, cwd=ROOT, env=dict(os.environ, ANSIBLE_NOCOLOR="1")) != 0
    return failed


def served(title):
    counters = control("/counters")
    banner("%s: the phones served %d requests (%d logins, %d writes)"
           % (title, counters["requests"], counters["logins"], counters["writes"]))
    control("/counters/reset", {})


def main():
    banner("Starting %d emulated phones on https://127.0.0.1:%d-%d, a mixed fleet: %s"
           % (COUNT, BASE_PORT, BASE_PORT + COUNT - 1,
              ", ".join("%d %s" % (BASE_PORT + index, "current firmware" if index % 2 else "guide firmware")
                        for index in range(COUNT))))
    proc = start_emulator()
    failures = 0
    try:
        banner("0. Which phones answer on 127.0.0.1? (inventory plugin grandstream.phone.phones: no login)")
        failures += discover()
        served("Discovery")

        banner("1. What are these phones? (gs_info)")
        failures += playbook("info.yml") != 0
        served("gs_info")

        banner("2. Provision: bring every phone to the state in playbooks/inventory/ (group_vars + host_vars);\n"
               "   account1.transport only takes effect after a reboot, so the handler reboots each phone and waits")
        failures += playbook("provision.yml") != 0
        served("Provision")

        banner("3. Provision again: nothing differs, so nothing is written (changed=0)")
        failures += playbook("provision.yml") != 0
        served("Second run")

        banner("4. Someone changes phone02's NTP server by hand; the drift report (check mode) finds it")
        control("/phones/1/pvalues", {"P30": "ntp.rogue.example"})
        report_dir = os.path.join(WORK, "drift-report")
        report_env = {"ANSIBLE_CALLBACKS_ENABLED": "grandstream.phone.drift_report", "GS_DRIFT_REPORT_DIR": report_dir}
        failures += playbook("drift.yml", env=report_env) != 0
        served("Drift check (check mode, nothing written)")
        with open(os.path.join(report_dir, "drift.md"), encoding="utf-8") as handle:
            print(handle.read())
        print("Also written: %s (JSON, JUnit XML, HTML)" % os.path.relpath(report_dir, ROOT))

        banner("5. Firmware compliance (playbooks/firmware.yml --check): on target, or behind with the path\n"
               "   an upgrade would take; nothing is written, nothing reboots")
        failures += playbook("firmware.yml", "--check", "-e", "firmware_pause_seconds=0") != 0
        served("Firmware compliance (check mode)")

        banner("6. Fleet health in the drift report (-e health=true): SIP registration, firmware, reboot pending")
        failures += playbook("drift.yml", "-e", "health=true", env=report_env) != 0
        served("Drift check with health (one more request per phone)")
        with open(os.path.join(report_dir, "drift.md"), encoding="utf-8") as handle:
            print(handle.read().split("## Health", 1)[-1])
    finally:
        stop_emulator(proc)
    banner("Demo finished: %s" % ("all good" if not failures else "%d playbook(s) failed" % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
