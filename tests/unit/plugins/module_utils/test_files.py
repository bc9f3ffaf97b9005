"""files.py: the file helpers the engines share (file modes)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.files import parse_mode


@pytest.mark.parametrize("given, expected", [(None, None), ("", None), ("0640", 0o640), ("640", 0o640),
                                             ("0o600", 0o600), (0o644, 0o644), (420, 0o644)])
def test_parse_mode(given, expected):
    assert parse_mode(given) == expected


@pytest.mark.parametrize("given", ["u=rw", "0999", "77777", True])
def test_parse_mode_refuses_what_is_not_octal(given):
    with pytest.raises(ValidationError):
        parse_mode(given)
