"""The whole run of gs_group / gs_contacts over an in-memory phone: check mode, idempotency, read-back."""

from types import SimpleNamespace
from xml.sax.saxutils import escape

from urllib.parse import urlencode

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import contacts, contacts_with_groups, groups
from ansible_collections.grandstream.phone.plugins.module_utils.client import MAX_URL_BYTES
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError

FIELDS = {"newphone1": "work", "newphone2": "home", "newphone3": "mobile", "newphone4": "fax", "email": "email"}


class FakePhone:
    """Speaks the contact and group endpoints like the emulator; records every call."""

    def __init__(self):
        self.conn = SimpleNamespace(label="fake:80")
        self.groups = [[0, "default"], [100, "blacklist"]]
        self.contacts = []
        self.calls = []
        self.ignore = set()  # endpoints that answer success but change nothing (a phone dropping writes)
        self.fail_on = None  # (endpoint, n): the n-th call of endpoint (1-based) fails
        # {n: (kind, when)}: the n-th write (1-based) fails with PhoneError kind, "before" or "after" acting
        self.lose = {}
        self.xml_lists_groups = True  # as the emulator and the firmware notes; some firmware may not

    @staticmethod
    def _url(endpoint):
        return "http://fake:80/cgi-bin/%s" % endpoint

    def _fail_if_asked(self, endpoint):
        if self.fail_on and self.fail_on[0] == endpoint:
            if sum(1 for name, unused_params in self.calls if name == endpoint) == self.fail_on[1]:
                raise PhoneError("%s failed: boom" % endpoint, host=self.conn.label)

    def call(self, endpoint, params=None, data=None, idempotent=True):
        self.calls.append((endpoint, dict(params or {})))
        self._fail_if_asked(endpoint)
        fault = self.lose.get(len(self.writes())) if not endpoint.startswith("api-get_") else None
        # As the client says (transport.py): a 503 proves the phone did not act; after a reset or a timeout
        # it cannot tell whether the phone acted before the answer was lost.
        if fault is not None and fault[1] == "before":
            raise PhoneError("lost before acting", host=self.conn.label, kind=fault[0],
                             may_have_acted=fault[0] != "booting")
        answer = self._act(endpoint, params)
        if fault is not None:
            raise PhoneError("lost after acting", host=self.conn.label, kind=fault[0], may_have_acted=True)
        return answer

    def _act(self, endpoint, params):
        params = {k: str(v) for k, v in (params or {}).items()}
        if endpoint == "api-get_groups":
            return {"res": "success", "msg": [{"groupID": str(i), "groupName": n} for i, n in self.groups]}
        if endpoint == "api-get_contacts":
            return {"res": "success", "msg": [
                dict({"contactID": str(c["id"]), "contactName": " ".join(p for p in (c["first"], c["last"]) if p),
                      "groupID": str(c["group"])}, **{f: c[f] for f in FIELDS.values()}) for c in self.contacts]}
        if endpoint in self.ignore:
            return {"response": "success", "body": ""}
        if endpoint == "api-add_group":
            self.groups.append([max(i for i, unused_name in self.groups if i != 100) + 1, params["name"]])
        elif endpoint == "api-edit_delete_group":
            group = next(g for g in self.groups if g[0] == int(params["id"]))
            if params["name"]:
                group[1] = params["name"]
            else:
                self.groups.remove(group)
                for moved in self.contacts:  # as the phone does: the group's contacts move to default
                    if moved["group"] == group[0]:
                        moved["group"] = 0
        elif endpoint == "api-save_edit_contact":
            self._save(params)
        elif endpoint == "api-delete_contact":
            self.contacts = [c for c in self.contacts if c["id"] != int(params["id"])]
        elif endpoint == "api-delete_all_contact":
            self.contacts = []
        return {"response": "success", "body": ""}

    def _save(self, params):
        if params.get("id"):
            record = next(c for c in self.contacts if c["id"] == int(params["id"]))
        else:
            record = dict({"id": max([c["id"] for c in self.contacts] or [0]) + 1, "group": 0},
                          **dict.fromkeys(FIELDS.values(), ""))
            self.contacts.append(record)
        record.update(first=params["firstname"], last=params.get("lastname", ""))
        record["group"] = int(params.get("group") or record["group"])
        record.update({field: params[name] for name, field in FIELDS.items() if name in params})

    def download(self, endpoint):
        self.calls.append((endpoint, {}))
        groups = self.groups if self.xml_lists_groups else []
        body = "".join("<pbgroup><id>%d</id><name>%s</name></pbgroup>" % (group_id, escape(name))
                       for group_id, name in groups)
        body += "".join("<Contact><FirstName>%s</FirstName><LastName>%s</LastName><Group>%d</Group></Contact>"
                        % (escape(c["first"]), escape(c["last"]), c["group"]) for c in self.contacts)
        return ("<AddressBook><version>1</version>%s</AddressBook>" % body).encode()

    def writes(self):
        return [call for call in self.calls if not call[0].startswith(("api-get_", "phonebook_download"))]


def params(state="merged", config=None):
    return {"state": state, "config": config}


JACK = {"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}


@pytest.fixture
def phone():
    fake = FakePhone()
    groups.run(fake, params(config=[{"name": "Sales"}]), False)
    fake.calls = []
    return fake


def test_check_mode_reports_but_never_writes(phone):
    result = contacts.run(phone, params(config=[JACK]), check_mode=True)
    assert result["changed"] and result["commands"] == ["save_contact first_name=Jack last_name=Brown group=Sales "
                                                        "work=123"]
    assert result["after"] == [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "123"}]
    assert result["diff"] == {"before": {}, "after": {"Jack Brown": result["after"][0]}}
    assert phone.writes() == [] and phone.contacts == []


def test_apply_then_second_run_is_unchanged_with_reads_only(phone):
    first = contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert first["changed"] and first["after"] == [dict(JACK)]
    phone.calls = []
    second = contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert not second["changed"] and second["commands"] == [] and "diff" not in second
    # The groups come with the phonebook XML: no api-get_groups.
    assert [name for name, unused_params in phone.calls] == ["api-get_contacts", "phonebook_download"]


def test_firmware_whose_xml_lists_no_groups_costs_one_group_read(phone):
    contacts.run(phone, params(config=[JACK]), check_mode=False)
    phone.xml_lists_groups, phone.calls = False, []
    second = contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert not second["changed"] and second["before"] == [dict(JACK)]
    assert [name for name, unused_params in phone.calls] == ["api-get_contacts", "phonebook_download",
                                                             "api-get_groups"]


def test_request_cost_of_many_new_contacts(phone):
    config = [{"first_name": "User", "last_name": str(n), "work": str(1000 + n)} for n in range(300)]
    result = contacts.run(phone, params(config=config), check_mode=False)
    names = [name for name, unused_params in phone.calls]
    assert len(result["commands"]) == 300 and names.count("api-save_edit_contact") == 300
    # groups + contacts (an empty phonebook needs no XML), then contacts + XML to read back.
    assert len(names) == 2 + 300 + 2


def test_dropped_write_fails_as_not_applied_with_details(phone):
    phone.ignore.add("api-save_edit_contact")
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=[JACK]), check_mode=False)
    error = caught.value
    assert error.kind == "not_applied" and "1 contact(s): Jack Brown" in str(error)
    assert error.details["applied"] == ["save_contact first_name=Jack last_name=Brown group=Sales work=123"]
    assert error.details["mismatches"]["Jack Brown"]["actual"] == []


def test_failure_midway_reports_what_was_applied(phone):
    phone.fail_on = ("api-save_edit_contact", 3)
    config = [{"first_name": name} for name in ("A", "B", "C", "D")]
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=config), check_mode=False)
    assert caught.value.details["applied"] == ["save_contact first_name=A group=default",
                                               "save_contact first_name=B group=default"]
    assert caught.value.details["failed"] == "save_contact first_name=C group=default"
    assert "after 2 of 4 change(s) were applied" in str(caught.value)


def saves(phone):
    return [name for name, unused_params in phone.writes() if name == "api-save_edit_contact"]


def test_a_write_answered_after_acting_is_not_sent_again(phone):
    phone.lose = {1: ("connection", "after")}
    config = [{"first_name": name} for name in ("A", "B")]
    result = contacts.run(phone, params(config=config), check_mode=False)
    assert [c["first"] for c in phone.contacts] == ["A", "B"] and len(saves(phone)) == 2
    assert result["changed"] and result["commands"] == ["save_contact first_name=A group=default",
                                                        "save_contact first_name=B group=default"]


def test_a_write_lost_before_acting_is_sent_again_after_reading_the_phone(phone):
    phone.lose = {2: ("booting", "before"), 3: ("connection", "before")}
    config = [{"first_name": name} for name in ("A", "B")]
    contacts.run(phone, params(config=config), check_mode=False)
    assert [c["first"] for c in phone.contacts] == ["A", "B"] and len(saves(phone)) == 4


def test_rounds_are_bounded_and_the_failure_says_what_was_applied(phone):
    phone.lose = {n: ("connection", "before") for n in range(2, 10)}
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=[{"first_name": name} for name in ("A", "B")]), check_mode=False)
    assert len(saves(phone)) == 4  # A, then B in each of the 3 rounds
    assert caught.value.details["applied"] == ["save_contact first_name=A group=default"]
    assert caught.value.details["failed"] == "save_contact first_name=B group=default"
    assert "read again and the rest retried 2 time(s)" in str(caught.value)


def test_a_timed_out_add_the_phone_does_not_show_yet_is_not_resent(phone):
    phone.lose = {1: ("timeout", "before")}
    with pytest.raises(PhoneError) as caught:
        contacts.run(phone, params(config=[{"first_name": "A"}]), check_mode=False)
    assert len(saves(phone)) == 1 and caught.value.details["changed"] is True
    assert caught.value.details["unverified"] == ["save_contact first_name=A group=default"]
    assert "may still carry it out" in str(caught.value)


def test_an_api_error_is_not_retried(phone):
    phone.fail_on = ("api-save_edit_contact", 1)
    with pytest.raises(PhoneError):
        contacts.run(phone, params(config=[{"first_name": "A"}]), check_mode=False)
    assert len(saves(phone)) == 1


def test_group_add_lost_after_acting_makes_no_second_group(phone):
    phone.lose = {1: ("connection", "after")}
    result = contacts_with_groups.run(phone, dict(params(config=[dict(JACK, group="Support")]), groups=[
        {"name": "Support"}], groups_state="merged"), check_mode=False)
    assert [name for unused_id, name in phone.groups] == ["default", "blacklist", "Sales", "Support"]
    assert [(c["first"], c["group"]) for c in phone.contacts] == [("Jack", 2)]
    assert result["commands"][0] == "add_group name=Support"


def test_unknown_group_writes_nothing(phone):
    with pytest.raises(ValidationError, match="group 'Nope'"):
        contacts.run(phone, params(config=[JACK, dict(JACK, first_name="Jill", group="Nope")]), check_mode=False)
    assert phone.writes() == []


def test_gathered_returns_config_shape_with_builtins(phone):
    contacts.run(phone, params(config=[JACK]), check_mode=False)
    assert groups.run(phone, params("gathered"), False) == {"changed": False, "gathered": [
        {"name": "default"}, {"name": "blacklist"}, {"name": "Sales"}]}
    assert contacts.run(phone, params("gathered"), False)["gathered"] == [dict(JACK)]


def test_group_rename_keeps_contacts_in_it(phone):
    contacts.run(phone, params(config=[JACK]), check_mode=False)
    result = groups.run(phone, params(config=[{"name": "Field Sales", "old_name": "Sales"}]), False)
    assert result["commands"] == ["rename_group id=1 old_name=Sales name='Field Sales'"]
    assert contacts.run(phone, params("gathered"), False)["gathered"][0]["group"] == "Field Sales"


def test_deleted_without_config_uses_delete_all_once(phone):
    contacts.run(phone, params(config=[JACK, {"first_name": "Ann"}]), check_mode=False)
    phone.calls = []
    result = contacts.run(phone, params("deleted"), check_mode=False)
    assert result["commands"] == ["delete_all_contacts"] and result["after"] == []
    assert [name for name, unused_params in phone.writes()] == ["api-delete_all_contact"]


def test_deleted_groups_without_config_keeps_builtins(phone):
    result = groups.run(phone, params("deleted"), check_mode=False)
    assert result["commands"] == ["delete_group id=1 name=Sales"]
    assert result["after"] == [{"name": "default"}, {"name": "blacklist"}]


# ------------------------------------------------------------------------- gs_contacts with groups
def both(config, group_config, state="merged", groups_state="merged"):
    return {"state": state, "config": config, "groups": group_config, "groups_state": groups_state}


def test_groups_and_contacts_in_one_run_check_mode_plans_both_without_warnings():
    phone = FakePhone()
    result = contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}, {"name": "Support"}]), True)
    assert result["commands"] == ["add_group name=Sales", "add_group name=Support",
                                  "save_contact first_name=Jack last_name=Brown group=Sales work=123"]
    assert result["groups"]["commands"] == result["commands"][:2]
    assert result["groups"]["after"][-2:] == [{"name": "Sales"}, {"name": "Support"}]
    assert result["after"] == [dict(JACK)] and "warnings" not in result
    assert [part["before_header"] for part in result["diff"]] == ["groups", "contacts"]
    assert phone.writes() == []


def test_groups_and_contacts_apply_then_cost_two_reads():
    phone = FakePhone()
    first = contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}]), False)
    assert first["changed"] and first["after"] == [dict(JACK)]
    assert phone.contacts[0]["group"] == next(gid for gid, name in phone.groups if name == "Sales")
    phone.calls = []
    again = contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}]), False)
    assert not again["changed"] and again["commands"] == [] and "diff" not in again
    assert [name for name, unused_params in phone.calls] == ["api-get_contacts", "phonebook_download"]


def test_a_contact_in_a_group_overridden_away_fails_before_any_write(phone):
    contacts.run(phone, params(config=[JACK]), False)
    phone.calls = []
    with pytest.raises(ValidationError) as caught:
        contacts_with_groups.run(phone, both([JACK], [{"name": "Support"}], groups_state="overridden"), False)
    assert caught.value.field == "config[0].group" and "'Sales'" in str(caught.value)
    assert phone.writes() == []


def test_check_mode_predicts_contacts_of_a_deleted_group_moving_to_default(phone):
    contacts.run(phone, params(config=[JACK]), False)
    planned = contacts_with_groups.run(phone, both([], [{"name": "Sales"}], groups_state="deleted"), True)
    assert planned["commands"] == ["delete_group id=1 name=Sales"]
    assert planned["before"] == [dict(JACK)] and planned["after"] == [dict(JACK, group="default")]
    applied = contacts_with_groups.run(phone, both([], [{"name": "Sales"}], groups_state="deleted"), False)
    assert applied["after"] == planned["after"] == [dict(JACK, group="default")]


def test_a_renamed_group_keeps_its_contacts_without_contact_calls(phone):
    contacts.run(phone, params(config=[JACK]), False)
    renamed = dict(JACK, group="Field Sales")
    rename = [{"name": "Field Sales", "old_name": "Sales"}]
    planned = contacts_with_groups.run(phone, both([renamed], rename), True)
    assert planned["commands"] == ["rename_group id=1 old_name=Sales name='Field Sales'"]
    applied = contacts_with_groups.run(phone, both([renamed], rename), False)
    assert applied["commands"] == planned["commands"] and applied["after"] == [renamed]


def test_a_contact_failure_after_group_changes_lists_both_as_applied():
    phone = FakePhone()
    phone.fail_on = ("api-save_edit_contact", 1)
    with pytest.raises(PhoneError) as caught:
        contacts_with_groups.run(phone, both([JACK], [{"name": "Sales"}]), False)
    assert caught.value.details["applied"] == ["add_group name=Sales"]
    assert "the group changes before it were applied: add_group name=Sales" in str(caught.value)


@pytest.mark.parametrize("run_params, field", [
    (both(None, [{"name": "Sales"}], state="gathered"), "groups"),
    (both([JACK], [{"name": "default"}], groups_state="deleted"), "groups[0].name"),
    (both([JACK], [{"name": "Sales"}, {"name": "Sales"}]), "groups[1].name"),
])
def test_bad_group_input_is_refused_before_any_request(run_params, field):
    phone = FakePhone()
    with pytest.raises(ValidationError) as caught:
        contacts_with_groups.run(phone, run_params, False)
    assert caught.value.field == field
    assert phone.calls == []


def test_without_groups_it_is_plain_gs_contacts(phone):
    result = contacts_with_groups.run(phone, dict(params(config=[JACK]), groups=None, groups_state="merged"), True)
    assert "groups" not in result and result["commands"] == [
        "save_contact first_name=Jack last_name=Brown group=Sales work=123"]


class LongHostPhone(FakePhone):
    """A phone behind the longest host name DNS allows: the request line has the least room left."""

    @staticmethod
    def _url(endpoint):
        return "https://%s:65535/cgi-bin/%s" % ("h" * 253, endpoint)


def test_the_largest_contact_the_limits_allow_fits_the_url_limit_even_behind_a_long_host_name():
    phone = LongHostPhone()
    groups.run(phone, params(config=[{"name": "\u00e9" * 32}]), False)
    # Every field at its byte limit, with characters that take 3 bytes of URL each (%XX).
    widest = {"first_name": "&" * 64, "last_name": "\u00e9" * 32, "group": "\u00e9" * 32,
              "email": "&" * 58 + "@" + "\u00e9" * 32 + ".test",
              **{field: "(" * 31 + "1" for field in ("work", "home", "mobile", "fax")}}
    contacts.run(phone, params(config=[widest]), False)
    assert len(phone.contacts) == 1
    sent = next(call_params for name, call_params in phone.calls if name == "api-save_edit_contact")
    size = len(phone._url("api-save_edit_contact")) + 1 + len(urlencode(sent))
    assert 1500 < size <= MAX_URL_BYTES, size


def test_a_request_over_the_url_limit_is_refused_before_any_write(monkeypatch):
    from ansible_collections.grandstream.phone.plugins.module_utils import phonebook_apply
    phone = FakePhone()
    monkeypatch.setattr(phonebook_apply, "MAX_URL_BYTES", 120)
    with pytest.raises(ValidationError) as caught:
        contacts.run(phone, params(config=[{"first_name": "Short"}, {"first_name": "A" * 60}]), False)
    assert "contact %r: the request for it would be" % ("A" * 60) in str(caught.value)
    assert "over the 120 bytes" in str(caught.value) and phone.writes() == []
