"""stop_message: one option, one spec (stop.py), one doc fragment, taken by every module that talks to a phone.

Here and not under module_utils/: it imports every action plugin, controller code that ansible-test's module_utils
unit run has no ansible.plugins for.
"""

import importlib
import os

import pytest
import yaml

from ansible_collections.grandstream.phone.plugins.doc_fragments.stop import ModuleDocFragment
from ansible_collections.grandstream.phone.plugins.module_utils import stop
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import engine_of

MODULES_DIR = os.path.join(os.path.dirname(stop.__file__), "..", "modules")
MODULE_NAMES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.startswith("gs_") and name.endswith(".py"))


def engine_and_doc(name):
    module = importlib.import_module("ansible_collections.grandstream.phone.plugins.modules.%s" % name)
    action = importlib.import_module("ansible_collections.grandstream.phone.plugins.action.%s" % name)
    return engine_of(action.ActionModule.ENGINE), yaml.safe_load(module.DOCUMENTATION)


def test_the_fragment_documents_the_spec():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert {name: option["type"] for name, option in options.items()} == {
        name: spec["type"] for name, spec in stop.STOP_SPEC.items()}


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_every_module_that_talks_to_a_phone_takes_and_documents_it(name):
    engine, doc = engine_and_doc(name)
    takes = stop.STOP_OPTION in engine.module_argument_spec
    assert takes == engine.uses_connection
    assert ("grandstream.phone.stop" in doc.get("extends_documentation_fragment", [])) == takes
    assert stop.STOP_OPTION not in doc.get("options", {})  # documented once, in the fragment
