"""MAC addresses (mac.py): the strict form of the mac option and the lenient reading of a phone's answer."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.mac import mac_or_none, normalise_mac


@pytest.mark.parametrize("given", ["00:0B:82:12:34:56", "00-0b-82-12-34-56", "000B.8212.3456", "000b82123456",
                                   " 00:0b:82:12:34:56 "])
def test_mac_is_lower_case_without_separators(given):
    assert normalise_mac(given) == "000b82123456"


@pytest.mark.parametrize("given", ["00:0B:82:12:34", "00:0B:82:12:34:5G", "", None, 123456])
def test_bad_mac_is_refused(given):
    with pytest.raises(ValidationError, match="not a MAC address"):
        normalise_mac(given)


@pytest.mark.parametrize("given, expected", [("00:0B:82:12:34:56", "000b82123456"), ("000b-8212-3456", "000b82123456"),
                                             ("00:0B:82:12:34", None), ("", None), (None, None)])
def test_a_phones_mac_is_read_or_none(given, expected):
    assert mac_or_none(given) == expected
