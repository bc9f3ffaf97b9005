"""The controller's private JSON files: whole or not at all, readable by their owner only."""

import json
import os
import stat

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.private_files import read_json, write_json


def test_a_written_file_is_0600_in_a_0700_directory_and_reads_back(tmp_path):
    path = tmp_path / "store" / "phone.json"
    write_json(str(path), {"sid": "abc", "n": 1})
    assert read_json(str(path)) == {"sid": "abc", "n": 1}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert [entry.name for entry in path.parent.iterdir()] == ["phone.json"]  # no temporary file left


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '"text"'])
def test_a_missing_broken_or_non_object_file_reads_as_none(tmp_path, content):
    path = tmp_path / "phone.json"
    assert read_json(str(path)) is None
    path.write_text(content)
    assert read_json(str(path)) is None


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path):
    path = tmp_path / "phone.json"
    write_json(str(path), {"sid": "old"})
    with pytest.raises(TypeError):
        write_json(str(path), {"sid": object()})  # not serialisable: fails midway through the dump
    assert json.loads(path.read_text()) == {"sid": "old"}
    assert [entry.name for entry in tmp_path.iterdir()] == ["phone.json"]
