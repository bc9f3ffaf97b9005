"""drift.yml's fail_on_drift: the drifted_phones filter judges the role's registered results as the report does."""

import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.grandstream.phone.plugins.filter.drifted_phones import drifted_phones
from ansible_collections.grandstream.phone.plugins.module_utils.desired_state import ROLE_RESULT

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
CLEAN = {"changed": False}


def _registered(**parts):
    """A gs_phone result as the role registers it: a part per resource, changed when one of them is."""
    return {ROLE_RESULT: {"changed": any(part.get("changed") for part in parts.values()), "results": parts,
                          "reboot_pending": any(part.get("reboot_pending") for part in parts.values())}}


def test_each_part_that_changed_or_holds_a_pending_reboot_makes_its_phone_drifted():
    hostvars = {
        "clean": _registered(pvalues=CLEAN, phonebook=CLEAN),
        "values": _registered(pvalues={"changed": True, "changes": {"P64": {"before": "a", "after": "b"}}}),
        "book": _registered(phonebook={"changed": True, "before": [], "after": [{"first_name": "A"}]}),
        "password": _registered(phonebook=CLEAN,
                                admin_password={"changed": True, "msg": "would set the admin password"}),
        "pending": _registered(pvalues={"changed": True, "reboot_pending": True, "changes": {}}),
        "skipped": _registered(pvalues={"changed": False, "skipped": True, "msg": "no P-values desired"}),
        "failed": _registered(pvalues={"failed": True, "changed": False, "msg": "login refused"}),
        # The phonebook failed, the P-values drifted: listed as failed, never as drifted only.
        "book_failed": _registered(phonebook={"failed": True, "msg": "HTTP 503"},
                                   pvalues={"changed": True, "changes": {"P64": {"before": "a", "after": "b"}}}),
        "nothing": {"unrelated": {"changed": True}},
    }
    assert drifted_phones(list(hostvars), hostvars) == ["book", "password", "pending", "values"]


def test_the_input_must_be_a_list_of_hosts():
    with pytest.raises(AnsibleFilterError):
        drifted_phones("phone1", {})


def test_the_filter_reads_exactly_what_the_role_registers():
    registered = set()
    with open(os.path.join(REPO, "roles", "phone", "tasks", "main.yml"), encoding="utf-8") as handle:
        stack = list(yaml.safe_load(handle))
    while stack:
        task = stack.pop()
        stack.extend(task.get("block", []) + task.get("rescue", []))
        if task.get("register") and not task["register"].startswith("phone__validation"):
            registered.add((task["register"], next(key for key in task if key.startswith("grandstream.phone."))))
    assert registered == {(ROLE_RESULT, "grandstream.phone.gs_phone")}
