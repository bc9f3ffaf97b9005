"""gs_group, gs_contacts, gs_phonebook: the documented options are exactly the engine's argument spec."""

import pytest
import yaml

from ansible_collections.grandstream.phone.plugins.module_utils import contacts_with_groups, groups, phonebook_download
from ansible_collections.grandstream.phone.plugins.modules import gs_contacts, gs_group, gs_phonebook

MODULES = [(gs_group, groups), (gs_contacts, contacts_with_groups), (gs_phonebook, phonebook_download)]
COMPARED = ("type", "required", "default", "choices", "elements")


def documented(options):
    """DOCUMENTATION options in argument-spec form (only the keys an argument spec carries)."""
    spec = {}
    for name, doc in options.items():
        entry = {key: doc[key] for key in COMPARED if key in doc and doc[key] not in (None, False)}
        if "suboptions" in doc:
            entry["options"] = documented(doc["suboptions"])
        spec[name] = entry
    return spec


def normalised(spec):
    result = {}
    for name, entry in spec.items():
        clean = {key: entry[key] for key in COMPARED if key in entry and entry[key] not in (None, False)}
        if "options" in entry:
            clean["options"] = normalised(entry["options"])
        result[name] = clean
    return result


@pytest.mark.parametrize("module, engine", MODULES, ids=lambda m: getattr(m, "__name__", "").rsplit(".", 1)[-1])
def test_documentation_matches_the_argument_spec(module, engine):
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert documented(doc["options"]) == normalised(engine.ARGUMENT_SPEC)
    fragments = ["grandstream.phone.connection", "grandstream.phone.stop", "grandstream.phone.action_group"]
    assert doc["extends_documentation_fragment"] == fragments
    assert doc["attributes"]["check_mode"]["support"] == "full"


@pytest.mark.parametrize("module", [gs_group, gs_contacts, gs_phonebook])
def test_examples_and_return_are_valid_yaml(module):
    examples = yaml.safe_load(module.EXAMPLES)
    assert examples and all("name" in task for task in examples)
    returned = yaml.safe_load(module.RETURN)
    assert all({"description", "returned", "type"} <= set(entry) for entry in returned.values())


def test_every_result_key_is_documented():
    # Keys the engines put in a result (success or failure details), per module.
    expected = {
        gs_group: {"before", "after", "commands", "gathered", "rendered", "diff", "applied", "failed", "unverified",
                   "mismatches", "requests"},
        gs_contacts: {"before", "after", "commands", "gathered", "rendered", "diff", "warnings", "groups", "applied",
                      "failed", "unverified", "mismatches", "requests"},
        gs_phonebook: {"groups", "contacts", "dest", "mode", "size", "checksum", "diff", "requests"},
    }
    for module, keys in expected.items():
        assert set(yaml.safe_load(module.RETURN)) == keys
