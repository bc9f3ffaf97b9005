"""One place for secrets (secrets.py): the catalog's flag decides, and every other list is checked against it."""

import pytest

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.grandstream.phone.plugins.module_utils import catalog, secrets
from emulator import model as emulator_model
from emulator import redact as emulator_redact

CATALOG_SECRETS = {entry.pname for entry in catalog.ENTRIES if entry.secret}


def test_the_emulators_secret_pvalues_are_the_catalogs():
    # The emulator is a stand-in with its own list; a value marked secret in the catalog must be one there too,
    # or the emulator would read it back and log it as plain text.
    assert set(emulator_model.SECRET_PVALUES) == CATALOG_SECRETS
    assert all(secrets.is_secret_pvalue(name) for name in emulator_model.SECRET_PVALUES)


def test_the_mask_is_ansibles_and_the_emulators():
    assert remove_values("pw=abc-secret-1", {"abc-secret-1"}) == "pw=" + secrets.MASK
    assert emulator_model.SECRET_MASK == emulator_redact.MASK == secrets.MASK


@pytest.mark.parametrize("name, pvalue, expected", [
    ("P34", True, True), ("34", True, True), ("account1.password", True, True), ("admin_password", True, True),
    ("P30", True, False), ("ntp.server", True, False), ("P99999", True, False),
    # Outside a P-value mapping only the name's words count; a P-value name the catalog does not know, too.
    ("phone_admin_password", False, True), ("wifi_key", False, True), ("P34", False, False),
    ("bogus_secret", True, True), ("phone_contacts", False, False),
])
def test_is_secret(name, pvalue, expected):
    assert secrets.is_secret(name, pvalue=pvalue) is expected


def test_values_in_pvalues_takes_the_catalogs_secrets_only():
    values = {"account1.password": "s1", "P2": 1234, "P30": "ntp.test", "P196": "", "nonsense": "x", "P406": None}
    assert secrets.values_in_pvalues(values) == {"s1", "1234"}
    assert secrets.values_in_pvalues(None) == set() and secrets.values_in_pvalues(["P2"]) == set()
