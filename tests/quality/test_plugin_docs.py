"""The inventory and lookup plugins document themselves completely, like the modules (see test_docs.py)."""

import ast
import os

import pytest
import yaml

from tests.quality.test_docs import ROOT, ansible_doc, plugins, walk_options

PLUGINS = [("inventory", name) for name in plugins("inventory")] + [("lookup", name) for name in plugins("lookup")]


def test_there_are_plugins_to_check():
    assert ("inventory", "phones") in PLUGINS and ("lookup", "contacts") in PLUGINS


def own_options(kind, name):
    with open(os.path.join(ROOT, "plugins", kind, name + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    documentation = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                         and node.targets[0].id == "DOCUMENTATION")
    return set(yaml.safe_load(documentation).get("options", {}))


@pytest.mark.parametrize("kind, name", PLUGINS)
def test_plugin_docs_are_complete(kind, name):
    doc = ansible_doc(kind, name)
    assert doc["doc"]["short_description"] and doc["doc"]["description"] and doc["doc"]["version_added"]
    own = own_options(kind, name)
    assert own, "the plugin documents no options of its own"
    for option, spec in walk_options(doc["doc"].get("options")):
        assert spec.get("description"), "option %s has no description" % option
        # Options of Ansible's own fragments (constructed, inventory_cache) are as Ansible documents them.
        assert spec.get("type") or option not in own, "option %s has no type" % option
    examples = yaml.safe_load(doc["examples"])
    assert examples, "EXAMPLES must be YAML"
    if kind == "lookup":
        assert isinstance(examples, list) and doc["return"]["_list"]["description"]
    else:
        assert examples["plugin"] == "grandstream.phone." + name
