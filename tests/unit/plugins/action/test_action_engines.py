"""Every module has an action plugin, and both run the same engine (controller code: ansible-test runs the
tests under plugins/module_utils without ansible.plugins, so this one lives with the action plugins)."""

import importlib
import pathlib

from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import engine_of
from ..module_utils.test_engine_contract import (
    MODULES, PACKAGE, run_module_argument)

PLUGINS = pathlib.Path(__file__).resolve().parents[4] / "plugins"
ACTIONS = sorted(path.stem for path in (PLUGINS / "action").glob("gs_*.py"))


def test_every_module_has_an_action_plugin_and_both_name_the_same_engine():
    assert ACTIONS == MODULES
    for name in MODULES:
        action = importlib.import_module("%s.action.%s" % (PACKAGE, name)).ActionModule
        assert engine_of(action.ENGINE) is engine_of(run_module_argument(name)), name
