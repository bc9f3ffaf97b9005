"""Run real ansible-playbook against the emulator and hand the tests every task result."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.path.join(ROOT, ".venv", "collections")


def shipped_playbook(name):
    """The text of one of the collection's own playbooks (playbooks/<name>)."""
    with open(os.path.join(ROOT, "playbooks", name), encoding="utf-8") as handle:
        return handle.read()


class PlaybookRun:
    def __init__(self, proc, record):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.results = record.get("results", {})
        self.stats = record.get("stats", {})

    def result(self, host, task, index=-1):
        """The result of ``task`` on ``host`` (the last one if the task ran more than once)."""
        try:
            return self.results[host][task][index]
        except KeyError:
            raise AssertionError("no result for task %r on %s; output:\n%s\n%s"
                                 % (task, host, self.stdout[-4000:], self.stderr[-2000:]))

    def changed_count(self, host):
        return self.stats[host]["changed"]

    def __repr__(self):
        return "PlaybookRun(rc=%s)\n--- stdout ---\n%s\n--- stderr ---\n%s" % (self.rc, self.stdout[-6000:],
                                                                               self.stderr[-3000:])


def inventory_for(emulator, protocol="http", count=None, extra_vars=None, indexes=None):
    """An inventory dict of the emulator's phones: phone0..phoneN with gs_* connection variables."""
    ports = emulator.https_ports if protocol == "https" else emulator.ports
    chosen = indexes if indexes is not None else range(count if count is not None else len(ports))
    hosts = {"phone%d" % i: {"gs_port": ports[i]} for i in chosen}
    group_vars = {"ansible_connection": "local", "ansible_host": "127.0.0.1", "gs_protocol": protocol,
                  "gs_password": "admin", "ansible_python_interpreter": sys.executable}
    group_vars.update(extra_vars or {})
    return {"all": {"children": {"phones": {"hosts": hosts, "vars": group_vars}}}}


def run_playbook(tmp_path, playbook, inventory, *args, env=None, name="play", timeout=600):
    """Write ``playbook`` (list of plays or YAML text) and ``inventory`` (dict) to tmp_path and run them."""
    tmp_path = str(tmp_path)
    play_path = os.path.join(tmp_path, name + ".yml")
    with open(play_path, "w", encoding="utf-8") as handle:
        handle.write(playbook if isinstance(playbook, str) else json.dumps(playbook, indent=1))
    inv_path = os.path.join(tmp_path, name + "-inventory.json")
    with open(inv_path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle)
    record_path = os.path.join(tmp_path, name + "-results.json")
    full_env = dict(os.environ)
    full_env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
        "ANSIBLE_CALLBACK_PLUGINS": os.path.join(ROOT, "tests", "helpers", "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "record_results",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_LOCAL_TEMP": os.path.join(tmp_path, "ansible-tmp"),
        "ANSIBLE_HOME": os.path.join(tmp_path, "ansible-home"),
        "GS_SESSION_CACHE_DIR": os.path.join(tmp_path, "sessions"),
        "RECORD_RESULTS_FILE": record_path,
    })
    full_env.update(env or {})
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", inv_path, play_path] + list(args)
    proc = subprocess.run(cmd, cwd=tmp_path, env=full_env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    record = {}
    if os.path.exists(record_path):
        with open(record_path, encoding="utf-8") as handle:
            record = json.load(handle)
    return PlaybookRun(proc, record)


def play(*tasks, **play_options):
    """A one-play playbook on the ``phones`` group running ``tasks`` (play keywords as options)."""
    return [dict({"hosts": "phones", "gather_facts": False, "tasks": list(tasks)}, **play_options)]
