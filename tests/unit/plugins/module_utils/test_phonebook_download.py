"""gs_phonebook engine: dest handling, mode, check mode, and refusing hostile downloads before writing."""

import os
import stat
from types import SimpleNamespace

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import phonebook_download
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError

DOCUMENT = (b'<?xml version="1.0" encoding="UTF-8"?>\n<AddressBook><version>1</version>'
            b"<pbgroup><id>1</id><name>Sales</name></pbgroup><Contact><FirstName>Jack</FirstName>"
            b'<LastName>Brown</LastName><Phone type="Work"><phonenumber>123</phonenumber></Phone>'
            b"<Group>1</Group></Contact></AddressBook>\n")


class Downloader:
    def __init__(self, content=DOCUMENT):
        self.conn = SimpleNamespace(label="fake:80")
        self.content = content
        self.downloads = 0

    def download(self, endpoint):
        assert endpoint == "phonebook_download"
        self.downloads += 1
        return self.content


def run(client, check_mode=False, **options):
    return phonebook_download.run(client, dict({"dest": None, "mode": None}, **options), check_mode)


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_without_dest_only_returns_the_parsed_phonebook():
    result = run(Downloader())
    assert result["changed"] is False and "dest" not in result
    assert result["groups"] == [{"id": 1, "name": "Sales"}]
    assert result["contacts"] == [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    assert result["size"] == len(DOCUMENT) and len(result["checksum"]) == 40


def test_writes_once_then_unchanged(tmp_path):
    dest = str(tmp_path / "book.xml")
    first = run(Downloader(), dest=dest, mode="0640")
    assert first["changed"] and first["mode"] == "0640" and first["diff"]["before"] == ""
    assert open(dest, "rb").read() == DOCUMENT and mode_of(dest) == 0o640
    second = run(Downloader(), dest=dest, mode="0640")
    assert not second["changed"] and "diff" not in second
    assert os.listdir(str(tmp_path)) == ["book.xml"]  # no temporary file left behind


def test_changed_content_is_replaced_and_keeps_the_existing_mode(tmp_path):
    dest = tmp_path / "book.xml"
    dest.write_bytes(b"<AddressBook/>")
    os.chmod(str(dest), 0o600)
    result = run(Downloader(), dest=str(dest))
    assert result["changed"] and result["diff"]["before"] == "<AddressBook/>"
    assert dest.read_bytes() == DOCUMENT and mode_of(str(dest)) == 0o600


def test_only_the_mode_differs(tmp_path):
    dest = tmp_path / "book.xml"
    dest.write_bytes(DOCUMENT)
    os.chmod(str(dest), 0o644)
    result = run(Downloader(), dest=str(dest), mode=0o600)
    assert result["changed"] and result["diff"] == {"before": {"mode": "0644"}, "after": {"mode": "0600"}}
    assert mode_of(str(dest)) == 0o600


def test_check_mode_never_writes(tmp_path):
    dest = tmp_path / "book.xml"
    result = run(Downloader(), check_mode=True, dest=str(dest), mode="0600")
    assert result["changed"] and not dest.exists()
    dest.write_bytes(b"old")
    assert run(Downloader(), check_mode=True, dest=str(dest))["changed"]
    assert dest.read_bytes() == b"old"


def test_hostile_download_fails_without_touching_dest(tmp_path):
    dest = tmp_path / "book.xml"
    dest.write_bytes(DOCUMENT)
    hostile = b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><AddressBook>&x;</AddressBook>'
    with pytest.raises(PhoneError, match="refused the phonebook XML"):
        run(Downloader(hostile), dest=str(dest))
    assert dest.read_bytes() == DOCUMENT


def test_missing_directory_is_refused_before_any_request(tmp_path):
    client = Downloader()
    with pytest.raises(ValidationError) as caught:
        run(client, dest=str(tmp_path / "missing" / "book.xml"))
    assert "does not exist" in str(caught.value) and caught.value.field == "dest"
    with pytest.raises(ValidationError, match="is a directory"):
        run(client, dest=str(tmp_path))
    with pytest.raises(ValidationError, match="mode needs dest"):
        run(client, mode="0600")
    assert client.downloads == 0
