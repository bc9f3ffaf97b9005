"""How value names are asked for and read back in api-values.get (values_wire.py)."""

import json
from pathlib import Path

from ansible_collections.grandstream.phone.plugins.module_utils.values_wire import values_by_name, wire_name

GUIDE_EXAMPLE = json.loads((Path(__file__).resolve().parents[3] / "fixtures" / "guide" / "values_get.json").read_text())


def test_p_values_go_on_the_wire_as_bare_numbers_other_names_as_they_are():
    assert [wire_name(name) for name in ("P2", "P68", "68", "vendor_name", "hw_rev", ":dnd")] == \
        ["2", "68", "68", "vendor_name", "hw_rev", ":dnd"]
    assert GUIDE_EXAMPLE["request"].endswith("request=" + ":".join(wire_name(n) for n in ("P2", "P68", "vendor_name")))


def test_the_guides_example_answer_is_read_under_the_engines_names():
    body = GUIDE_EXAMPLE["answer"]["body"]
    assert values_by_name(body, ["P68", "P1561", "vendor_name", "P2"]) == \
        {"P68": "11.16.8.20", "P1561": "", "vendor_name": "Grandstream"}


def test_a_reader_of_p_keys_only_finds_nothing_in_the_guides_answer():
    """The bug of issue 16: the old client looked up "P68" and took the firmware for missing."""
    body = GUIDE_EXAMPLE["answer"]["body"]
    assert body.get("P68") is None and "P1561" not in body


def test_answers_keyed_with_the_p_still_read():
    assert values_by_name({"P47": "sip.example.com", "vendor_name": "Grandstream"}, ["P47", "vendor_name"]) == \
        {"P47": "sip.example.com", "vendor_name": "Grandstream"}
    # Where both appear, the bare key (the guide's) wins.
    assert values_by_name({"47": "guide", "P47": "echo"}, ["P47"]) == {"P47": "guide"}
