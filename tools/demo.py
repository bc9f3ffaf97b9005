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
           "--cert-dir", WORK, "--ready-file", ready, "--log-file", os.path.join(WORK, "emulator.log")]
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


def playbook(name, *extra):
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1",
               GS_SESSION_CACHE_DIR=os.path.join(WORK, "sessions"))
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", INVENTORY,
           os.path.join(ROOT, "playbooks", name)] + list(extra)
    print("$ " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd[1:]), flush=True)
    return subprocess.call(cmd, cwd=ROOT, env=env)


def main():
    banner("Starting %d emulated phones on https://127.0.0.1:%d-%d" % (COUNT, BASE_PORT, BASE_PORT + COUNT - 1))
    proc = start_emulator()
    failures = 0
    try:
        banner("1. What do the phones say about themselves? (gs_info)")
        failures += playbook("info.yml") != 0
        with urllib.request.urlopen("http://127.0.0.1:%d/counters" % CONTROL_PORT, timeout=5) as answer:
            counters = json.load(answer)
        banner("Requests the emulated phones served: %d (logins: %d)" % (counters["requests"], counters["logins"]))
    finally:
        stop_emulator(proc)
    banner("Demo finished: %s" % ("all good" if not failures else "%d playbook(s) failed" % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
