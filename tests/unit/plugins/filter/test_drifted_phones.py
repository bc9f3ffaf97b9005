"""drift.yml's fail_on_drift: the drifted_phones filter judges the role's registered results as the report does."""

import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.grandstream.phone.plugins.filter.drifted_phones import drifted_phones
from ansible_collections.grandstream.phone.plugins.module_utils.desired_state import ROLE_RESULTS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
CLEAN = {"changed": False}


def test_each_registered_result_that_changed_or_holds_a_pending_reboot_makes_its_phone_drifted():
    hostvars = {
        "clean": {"phone__pvalues_result": CLEAN, "phone__phonebook_result": CLEAN},
        "values": {"phone__pvalues_result": {"changed": True, "changes": {"P64": {"before": "a", "after": "b"}}}},
        "book": {"phone__phonebook_result": {"changed": True, "before": [], "after": [{"first_name": "A"}]}},
        "password": {"phone__passwords_result": {"changed": True, "msg": "would set the admin password",
                                                 "results": [{"changed": True}, {"skipped": True}]}},
        "pending": {"phone__pvalues_result": {"changed": True, "reboot_pending": True, "changes": {}}},
        "skipped": {"phone__pvalues_result": {"changed": False, "skipped": True, "msg": "no P-values desired"}},
        "failed": {"phone__pvalues_result": {"failed": True, "changed": False, "msg": "login refused"}},
        "nothing": {"unrelated": {"changed": True}},
    }
    assert drifted_phones(list(hostvars), hostvars) == ["book", "password", "pending", "values"]


def test_the_input_must_be_a_list_of_hosts():
    with pytest.raises(AnsibleFilterError):
        drifted_phones("phone1", {})


def test_the_filter_reads_exactly_what_the_role_registers():
    registered = set()
    for name in ("main.yml", "pvalues_and_passwords.yml"):
        with open(os.path.join(REPO, "roles", "phone", "tasks", name), encoding="utf-8") as handle:
            stack = list(yaml.safe_load(handle))
        while stack:
            task = stack.pop()
            stack.extend(task.get("block", []) + task.get("rescue", []))
            if task.get("register") and not task["register"].startswith("phone__validation"):
                registered.add(task["register"])
    assert registered == {name for name, _module in ROLE_RESULTS}
