"""lines.py: line states read as numbers or words into one model."""

from ansible_collections.grandstream.phone.plugins.module_utils.lines import line_state_name


def test_line_states_read_as_numbers_or_words_into_one_model():
    guide = {"0": "idle", "2": "ringing", "3": "calling", "4": "in_call", "5": "hold", "8": "failed"}
    current = {"idle": "idle", "ringing": "ringing", "connected": "in_call", "onhold": "hold", "Connected": "in_call"}
    for state, name in list(guide.items()) + list(current.items()):
        assert line_state_name(state) == name, state
    assert line_state_name(4) == "in_call"
    assert line_state_name("7") == line_state_name("dancing") == "unknown"
