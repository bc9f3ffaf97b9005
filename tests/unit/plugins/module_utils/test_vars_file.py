"""vars_file.py: reading and editing a host_vars file (indentation, vault values and secret keys masked)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.vars_file import VarsFile, guess_indentation

from .test_export import VAULT_FILE


@pytest.mark.parametrize("text, expected", [
    ("a:\n  b: 1\nc:\n  - x\n", (2, 2)),
    ("a:\n    b: 1\nc:\n- x\n", (4, 0)),
    ("# - x:\n---\nc:\n    - name: y\n      z: 1\n", (2, 4)),
    ("a: 1\n", (2, 2)),
    ("list:\n  - key:\n        nested: 1\n", (4, 2)),
])
def test_guess_indentation(text, expected):
    assert guess_indentation(text) == expected


def test_vars_file_masks_vault_values_and_secret_keys():
    vars_file = VarsFile("x.yml", VAULT_FILE.replace("notes:", "api_key: k3y\nnotes:").encode())
    text = vars_file.masked_text(original=True)
    assert "$ANSIBLE_VAULT" not in text and "k3y" not in text and "'********'" in text
    assert vars_file.masked_values(["phone_host_pvalues"])["phone_host_pvalues"]["account1.password"] == "********"
