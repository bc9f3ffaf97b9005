"""The main process loads the Jinja plugins and the role's lookup before it forks a task's workers.

Ansible's strategy imports each task's action plugin class in the controller's main process; importing a
grandstream.phone action plugin (action_base) loads ansible.builtin's filters and tests and the desired_pvalues
lookup there, so each forked worker inherits them instead of loading them again for every host and task
(docs/performance.md); so are the engines (each with its argument-spec validator, built once at import) and the
main process's start time, which names the run's login memory. A probe action plugin, run after one of ours,
reports what its worker already had.
"""

import os

from ansible.release import __version__ as ANSIBLE_VERSION

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

PROBE = '''
import os
import sys
from ansible.plugins.action import ActionBase

LOGIN_MEMORY = "ansible_collections.grandstream.phone.plugins.module_utils.login_memory"


class ActionModule(ActionBase):
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        wanted = ("ansible.plugins.test.core", "ansible.plugins.filter.core", ".plugins.lookup.desired_pvalues",
                  ".plugins.module_utils.pvalues")
        found = {name: sorted(module for module in sys.modules if module.startswith(name) or module.endswith(name)
                              or module.endswith(name.replace("ansible.plugins.", "ansible.builtin.plugins.")))
                 for name in wanted}
        inherited = {name: bool(found[name]) for name in wanted}
        # The main process's own start time, read there before the fork: this worker's run login memory needs it.
        login_memory = sys.modules.get(LOGIN_MEMORY)
        started = login_memory._own_start.get(os.getppid()) if login_memory is not None else None
        inherited["parent start time"] = started is not None
        return {"changed": False, "inherited": inherited, "modules": found}
'''

ANSIBLE_CORE = tuple(int(part) for part in ANSIBLE_VERSION.split(".")[:2])
phones, factory_phones = emulator_fixtures(count=1, protocol="http")


def write_probe(tmp_path):
    directory = os.path.join(str(tmp_path), "probe_actions")
    os.makedirs(directory)
    with open(os.path.join(directory, "fork_probe.py"), "w", encoding="utf-8") as handle:
        handle.write(PROBE)
    return directory


def test_a_worker_inherits_the_plugins_an_action_of_ours_loaded_in_the_main_process(phones, tmp_path):
    env = {"ANSIBLE_ACTION_PLUGINS": write_probe(tmp_path)}
    inventory = inventory_for(phones, "http")
    phones.reset_counters()
    # Nothing desired: gs_pvalues skips itself without contacting the phone; only its import matters here.
    ours = run_playbook(tmp_path, play({"name": "values", "grandstream.phone.gs_pvalues": {"values": {}}},
                                       {"name": "probe", "fork_probe": {}}), inventory, name="ours", env=env)
    assert ours.rc == 0, ours
    assert ours.result("phone0", "values")["_status"] == "skipped"
    # The Jinja plugins are preloaded where it was measured to pay (ansible-core 2.19 and later, whose loader
    # imports them as ansible.plugins.filter.core / test.core); older cores load them in their own way, and the
    # probe only checks that the role's lookup is inherited there.
    jinja_preloaded = ANSIBLE_CORE >= (2, 19)
    # The engine (with its argument-spec validator, built at import) and the main process's start time are
    # inherited on every core.
    assert ours.result("phone0", "probe")["inherited"] == {
        "ansible.plugins.test.core": jinja_preloaded, "ansible.plugins.filter.core": jinja_preloaded,
        ".plugins.lookup.desired_pvalues": True, ".plugins.module_utils.pvalues": True, "parent start time": True}
    assert phones.counters(0)["requests"] == 0
    # Without an action of ours before it, the worker has loaded none of them: the probe can tell.
    alone = run_playbook(tmp_path, play({"name": "probe", "fork_probe": {}}), inventory, name="alone", env=env)
    assert alone.rc == 0, alone
    assert alone.result("phone0", "probe")["inherited"] == {
        "ansible.plugins.test.core": False, "ansible.plugins.filter.core": False,
        ".plugins.lookup.desired_pvalues": False, ".plugins.module_utils.pvalues": False, "parent start time": False}
