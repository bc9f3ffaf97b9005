"""gs_export (export.py): YAML round trip, idempotency, secrets, layers (the file editor: test_vars_file.py)."""

import os
import stat
from types import SimpleNamespace

import pytest
import yaml

from ansible_collections.grandstream.phone.plugins.module_utils import catalog, export
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

SECRET = "never-exported-9f3"
VAULT_FILE = """---
# phone01 notes
gs_port: 18441  # the web port
phone_host_pvalues:
    account1.password: !vault |
          $ANSIBLE_VAULT;1.1;AES256
          62313365396662343061393464336163383764373764613633653634306231386433626436623361
    P30: old.ntp.test   # pinned by hand
    ntp.server.backup.template: "{{ site_ntp }}"
notes: [a, b]
"""


class FakePhone:
    """Values, groups and contacts as the phone's API serves them; records what was read."""

    def __init__(self, model="GXV3370", values=None, groups=(), contacts=()):
        self.conn = SimpleNamespace(label="fake:80")
        self.values = {"P89": model, "P67": "00:0B:82:AA:BB:CC", "P30": "ntp.phone.test", "P47": "pbx.test",
                       "P35": "1001", "P122": "1", "P130": "2", "P271": "1", "P32": "60", "P34": SECRET, "P2": SECRET}
        self.values.update(values or {})
        self.groups = [(0, "default"), (100, "blacklist")] + list(groups)
        self.contacts = list(contacts)  # (id, first, last, group id, work)
        self.read_names = []
        self.endpoints = []

    def get_values(self, names):
        self.read_names.extend(names)
        return {name: self.values.get(name, "") for name in names}

    def call(self, endpoint, params=None, data=None, idempotent=True):
        self.endpoints.append(endpoint)
        if endpoint == "api-get_groups":
            return {"msg": [{"groupID": str(i), "groupName": name} for i, name in self.groups]}
        if endpoint == "api-get_contacts":
            return {"msg": [{"contactID": str(i), "contactName": " ".join(p for p in (first, last) if p),
                             "groupID": str(group), "work": work} for i, first, last, group, work in self.contacts]}
        raise AssertionError("unexpected call %s" % endpoint)

    def download(self, endpoint):
        self.endpoints.append(endpoint)
        body = "".join("<Contact><id>%d</id><FirstName>%s</FirstName><LastName>%s</LastName></Contact>"
                       % (i, first, last) for i, first, last, unused_group, unused_work in self.contacts)
        return ("<AddressBook>%s</AddressBook>" % body).encode()


def params(dest, **extra):
    values = {"dest": str(dest), "include": list(export.PARTS), "skip_empty": True, "skip_defaults": False,
              "variables": None, "baseline": None, "mode": None}
    values.update(extra)
    return values


def run(phone, dest, check_mode=False, **extra):
    return export.run(phone, params(dest, **extra), check_mode)


# ---------------------------------------------------------------------------------------------- values
@pytest.mark.parametrize("alias, code, expected", [
    ("account1.active", "1", True),
    ("account1.active", "0", False),
    ("account1.transport", "2", "tls"),
    ("time.format", "0", "12h"),
    ("account1.register_expiration", "60", 60),
    ("ntp.server", "ntp.example.org", "ntp.example.org"),
    ("account1.sip_user_id", "0123", "0123"),
    ("account1.register_expiration", "", None),    # an unset number cannot be declared
    ("account1.register_expiration", "soon", None),  # nor garbage
    ("account1.transport", "7", None),
])
def test_present_value_is_readable_and_provisions_back_to_the_same_code(alias, code, expected):
    entry = catalog.resolve(alias)
    assert export.present_value(entry, code) == expected
    if expected is not None:
        assert entry.kind.normalise(expected) == code


# ---------------------------------------------------------------------------------------------- the file
def test_round_trip_keeps_comments_other_keys_vault_values_and_indentation(tmp_path):
    dest = tmp_path / "phone01.yml"
    dest.write_text(VAULT_FILE)
    result = run(FakePhone(), dest, include=["pvalues"])
    text = dest.read_text()
    assert result["changed"] is True
    assert text.startswith("---\n# phone01 notes\ngs_port: 18441  # the web port\n")
    assert "    P30: ntp.phone.test # pinned by hand\n" in text  # updated in place, under its own spelling
    assert "ntp.server:" not in text  # P30 is declared once, as the file spells it
    assert "!vault |" in text and "6231336539666234306139346433616338376437" in text
    assert 'ntp.server.backup.template: "{{ site_ntp }}"' in text
    assert "notes: [a, b]\n" in text
    assert "    account1.transport: tls\n" in text  # added with the file's own indentation
    assert SECRET not in text and "P34" not in text and "account1.password: !vault" in text


def test_second_export_is_byte_identical_and_unchanged(tmp_path):
    dest = tmp_path / "phone.yml"
    dest.write_text(VAULT_FILE)
    phone = FakePhone(groups=[(1, "Sales")], contacts=[(1, "Jack", "Brown", 1, "1001")])
    assert run(phone, dest)["changed"] is True
    first = dest.read_bytes()
    second = run(phone, dest)
    assert second["changed"] is False and "diff" not in second
    assert dest.read_bytes() == first


def test_new_file_reads_back_as_ansible_reads_it(tmp_path):
    dest = tmp_path / "new.yml"
    phone = FakePhone(values={"P3": "{{ lookup('pipe', 'id') }}", "P270": "yes", "P1362": "12:30", "P36": "0123"},
                      groups=[(1, "on")], contacts=[(1, "No", "", 0, "1001")])
    run(phone, dest)
    data = yaml.safe_load(dest.read_text().replace("!unsafe ", ""))  # PyYAML reads YAML 1.1, as Ansible does
    values = data["phone_host_pvalues"]
    assert values["account1.name"] == "yes" and values["display.language"] == "12:30"
    assert values["account1.auth_id"] == "0123" and values["account1.sip_user_id"] == "1001"
    assert values["account1.active"] is True and values["account1.register_expiration"] == 60
    assert "!unsafe '{{ lookup('pipe', 'id') }}'" in dest.read_text().replace("''", "'")
    assert data["phone_host_groups"] == [{"name": "on"}]
    assert data["phone_host_contacts"] == [{"first_name": "No", "group": "default", "work": "1001"}]
    assert dest.read_text().startswith("---\n# Exported from the phone")
    assert data["phone_mac"] == "00:0B:82:AA:BB:CC"


def test_check_mode_writes_nothing_and_the_diff_masks_secrets(tmp_path):
    dest = tmp_path / "phone.yml"
    dest.write_text("gs_password: admin\nphone_host_pvalues:\n  account1.password: %s\n  P30: old\n" % SECRET)
    before = dest.read_bytes()
    result = run(FakePhone(), dest, check_mode=True)
    assert dest.read_bytes() == before and result["changed"] is True
    diff = result["diff"]
    assert "P30: old" in diff["before"] and "P30: ntp.phone.test" in diff["after"]
    assert SECRET not in str(result) and "admin" not in diff["before"] + diff["after"]
    assert result["exported"]["phone_host_pvalues"]["account1.password"] == "********"


def test_secrets_are_never_read_nor_written(tmp_path):
    phone = FakePhone()
    dest = tmp_path / "phone.yml"
    run(phone, dest, skip_empty=False)
    secret_names = {entry.pname for entry in catalog.ENTRIES if entry.secret}
    assert not secret_names.intersection(phone.read_names)
    assert SECRET not in dest.read_text()
    assert len(phone.read_names) == len(set(phone.read_names))  # one read, no name twice


def test_empty_values_and_the_model(tmp_path):
    compact, full = tmp_path / "compact.yml", tmp_path / "full.yml"
    run(FakePhone(model="WP820"), compact)
    run(FakePhone(model="WP820"), full, skip_empty=False)
    compact_values = yaml.safe_load(compact.read_text())["phone_host_pvalues"]
    full_values = yaml.safe_load(full.read_text())["phone_host_pvalues"]
    assert "syslog.server" not in compact_values and full_values["syslog.server"] == ""
    assert full_values["account2.sip_server"] == "" and not any(key.startswith("account3.") for key in full_values)
    assert "account1.register_expiration" in compact_values


def test_baseline_is_not_repeated_and_differences_are_named(tmp_path):
    dest = tmp_path / "phone.yml"
    phone = FakePhone(groups=[(1, "Sales"), (2, "Lab")],
                      contacts=[(1, "Jack", "Brown", 1, "1001"), (2, "Ada", "", 2, "2002")])
    baseline = {"pvalues": {"ntp.server": "ntp.phone.test", "time.format": "12h", "syslog.server": "log.test"},
                "groups": [{"name": "Sales"}, {"name": "Gone"}],
                "contacts": [{"first_name": "Jack", "last_name": "Brown", "work": "9999"}]}
    result = run(phone, dest, baseline=baseline)
    data = yaml.safe_load(dest.read_text())
    values = data["phone_host_pvalues"]
    assert "ntp.server" not in values  # the site layer says the same
    assert values["time.format"] == "24h"  # differs: the host layer overrides it
    assert values["syslog.server"] == ""  # empty on the phone, but the baseline sets it: override
    assert data["phone_host_groups"] == [{"name": "Lab"}]
    assert data["phone_host_contacts"] == [{"first_name": "Ada", "group": "Lab", "work": "2002"}]
    warnings = " ".join(result["warnings"])
    assert "'Jack Brown' differs from the baseline" in warnings and "Gone" in warnings


def test_other_variable_names_and_include(tmp_path):
    dest = tmp_path / "phone.yml"
    phone = FakePhone(groups=[(1, "Sales")])
    run(phone, dest, include=["groups"], variables={"pvalues": None, "groups": "phone_groups", "contacts": None})
    assert yaml.safe_load(dest.read_text()) == {"phone_groups": [{"name": "Sales"}]}
    assert phone.read_names == [] and phone.endpoints == ["api-get_groups"]
    with pytest.raises(ValidationError, match="its own variable"):
        run(phone, dest, variables={"pvalues": "x", "groups": "x", "contacts": "y"})
    with pytest.raises(ValidationError, match="not a variable name"):
        run(phone, dest, variables={"pvalues": "phone-values"})


def test_uncatalogued_values_the_file_names_are_kept_up_to_date(tmp_path):
    dest = tmp_path / "phone.yml"
    dest.write_text("phone_host_pvalues:\n  P9999: old\n")
    phone = FakePhone(values={"P9999": "new"})
    run(phone, dest)
    assert yaml.safe_load(dest.read_text())["phone_host_pvalues"]["P9999"] == "new"
    assert "P9999" in phone.read_names


def test_invalid_values_on_the_phone_are_named_not_exported(tmp_path):
    dest = tmp_path / "phone.yml"
    result = run(FakePhone(values={"P32": "forever"}), dest)
    assert "account1.register_expiration" not in dest.read_text()
    assert any("account1.register_expiration (P32) is not exported" in warning for warning in result["warnings"])


def test_mode_and_atomic_write(tmp_path):
    dest = tmp_path / "phone.yml"
    result = run(FakePhone(), dest, mode="0640")
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o640 and result["mode"] == "0640"
    assert os.listdir(tmp_path) == ["phone.yml"]  # no temporary file left behind


@pytest.mark.parametrize("content, message", [
    ("$ANSIBLE_VAULT;1.1;AES256\n6162\n", "encrypted with ansible-vault"),
    ("- a\n- b\n", "does not hold a mapping"),
    ("a: [1\n", "not valid YAML"),
    (b"a: \xff\n", "not UTF-8"),
])
def test_files_that_cannot_be_edited_are_refused_before_any_request(tmp_path, content, message):
    dest = tmp_path / "phone.yml"
    content = content if isinstance(content, bytes) else content.encode()
    dest.write_bytes(content)
    phone = FakePhone()
    with pytest.raises(ValidationError, match=message):
        run(phone, dest)
    assert phone.read_names == [] and dest.read_bytes() == content


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="does not exist; create it first"):
        run(FakePhone(), tmp_path / "missing" / "phone.yml")


def test_comment_only_file_keeps_its_comments(tmp_path):
    dest = tmp_path / "phone.yml"
    dest.write_text("# reserved for the export\n")
    run(FakePhone(), dest, include=["pvalues"])
    text = dest.read_text()
    assert text.startswith("# reserved for the export\nphone_mac: 00:0B:82:AA:BB:CC\nphone_host_pvalues:\n")


def test_templated_variables_are_left_alone(tmp_path):
    dest = tmp_path / "phone.yml"
    dest.write_text('phone_host_groups: "{{ site_groups }}"\n')
    result = run(FakePhone(groups=[(1, "Sales")]), dest, include=["groups"])
    assert dest.read_text() == 'phone_host_groups: "{{ site_groups }}"\n' and result["changed"] is False
    assert "template" in result["warnings"][0]


def test_secret_values_of_the_baseline_are_scrubbed():
    assert export.ENGINE.secret_values({"baseline": {"pvalues": {"account1.password": SECRET, "P30": "x"}}}) == {SECRET}


def test_phone_mac_is_exported_unless_the_file_holds_the_same_address(tmp_path):
    dest = tmp_path / "phone.yml"
    dest.write_text("phone_mac: 000b82aabbcc  # sticker\n")
    run(FakePhone(), dest, include=["pvalues"])
    assert dest.read_text().startswith("phone_mac: 000b82aabbcc  # sticker\n")
    dest.write_text("phone_mac: 000b82000000  # the phone was replaced\n")
    run(FakePhone(), dest, include=["pvalues"])
    assert yaml.safe_load(dest.read_text())["phone_mac"] == "00:0B:82:AA:BB:CC"
    result = run(FakePhone(values={"P67": "unknown"}), dest, include=["pvalues"])
    assert any("not one ('unknown')" in warning for warning in result["warnings"])
