"""Every plugin documents itself completely: a new module without docs fails here."""

import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
ENV = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".venv", "collections"), ANSIBLE_NOCOLOR="1")


def plugins(kind):
    directory = os.path.join(ROOT, "plugins", kind)
    return sorted(name[:-3] for name in os.listdir(directory) if name.endswith(".py") and name != "__init__.py")


MODULES = plugins("modules")
CALLBACKS = plugins("callback")


def ansible_doc(kind, name):
    proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", kind, "--json", "grandstream.phone." + name],
                          capture_output=True, text=True, env=ENV, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and "[WARNING]" not in proc.stdout, proc.stderr
    return json.loads(proc.stdout)["grandstream.phone." + name]


def walk_options(options, path=""):
    for name, spec in (options or {}).items():
        yield path + name, spec
        yield from walk_options(spec.get("suboptions"), path + name + ".")


def walk_returns(returns, path=""):
    for name, spec in (returns or {}).items():
        yield path + name, spec
        yield from walk_returns(spec.get("contains"), path + name + ".")


def test_there_are_modules_to_check():
    assert "gs_info" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_docs_are_complete(module):
    doc = ansible_doc("module", module)
    assert doc["doc"]["short_description"] and doc["doc"]["description"]
    for name, spec in walk_options(doc["doc"].get("options")):
        assert spec.get("description"), "option %s has no description" % name
        assert spec.get("type"), "option %s has no type" % name
    examples = yaml.safe_load(doc["examples"])
    assert isinstance(examples, list) and examples, "EXAMPLES must be a non-empty YAML list of tasks"
    assert any("grandstream.phone." + module in task or "block" in task for task in examples)
    assert doc["return"], "RETURN is empty"
    for name, spec in walk_returns(doc["return"]):
        assert spec.get("description"), "return value %s has no description" % name
        assert spec.get("type"), "return value %s has no type" % name


# Modules that never talk to a phone take no connection options, so group module_defaults must not reach them.
NO_CONNECTION = {"gs_validate", "gs_render", "gs_fleet"}


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_an_action_plugin_and_phone_modules_are_in_the_action_group(module):
    assert os.path.exists(os.path.join(ROOT, "plugins", "action", module + ".py"))
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        group = yaml.safe_load(handle)["action_groups"]["phone"]
    assert (module in group) != (module in NO_CONNECTION)
    doc = ansible_doc("module", module)["doc"]
    assert ("password" in doc.get("options", {})) != (module in NO_CONNECTION)
    # The docsite and ansible-doc tell users which module_defaults group reaches the module.
    action_group = doc.get("attributes", {}).get("action_group")
    if module in group:
        assert action_group == {"description": action_group["description"], "support": "full",
                                "membership": ["grandstream.phone.phone"]}
    else:
        assert action_group is None


@pytest.mark.parametrize("callback", CALLBACKS)
def test_callback_docs_render(callback):
    doc = ansible_doc("callback", callback)
    for name, spec in walk_options(doc["doc"].get("options")):
        assert spec.get("description") and spec.get("type"), name


def test_connection_fragment_documents_exactly_the_connection_spec():
    from ansible_collections.grandstream.phone.plugins.doc_fragments.connection import ModuleDocFragment
    from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_SPEC

    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(documented) == set(CONNECTION_SPEC)
    for name, spec in CONNECTION_SPEC.items():
        assert documented[name]["type"] == spec["type"], name
        if "default" in spec:
            assert documented[name].get("default") == spec["default"], name


def test_the_schema_covers_every_role_option_so_playbooks_may_skip_the_argument_spec_task():
    """The playbooks import the role with rolespec_validate: false and rely on gs_validate's schema."""
    with open(os.path.join(ROOT, "roles", "phone", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    with open(os.path.join(ROOT, "schemas", "phone.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    assert schema["additionalProperties"] is False  # an unknown phone_* variable is an error, as in the spec
    assert sorted(set(options) - set(schema["properties"])) == []
    json_types = {"str": "string", "bool": "boolean", "int": "integer", "list": "array", "dict": "object"}
    for name, spec in options.items():
        declared = schema["properties"][name].get("type")
        if declared is not None and spec.get("type") in json_types:
            assert json_types[spec["type"]] in ([declared] if isinstance(declared, str) else declared), name
