"""An in-memory phone speaking the contact and group endpoints like the emulator, for the runs of gs_group,
gs_contacts and gs_contacts with groups (test_groups.py, test_contacts.py, test_contacts_with_groups.py)."""

from types import SimpleNamespace
from xml.sax.saxutils import escape

from ansible_collections.grandstream.phone.plugins.module_utils import groups
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError


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


def phone_with_sales():
    """A fresh FakePhone with the group Sales added by gs_group and its calls forgotten."""
    fake = FakePhone()
    groups.run(fake, params(config=[{"name": "Sales"}]), False)
    fake.calls = []
    return fake
