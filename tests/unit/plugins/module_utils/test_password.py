"""gs_password (password.py): validation and the lockout policy, over a fake client, without a phone."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import password
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError


def conn(username="admin", password="admin"):
    return ConnectionParams(host="phone.example", protocol="http", username=username, password=password)


def test_engine_spec_and_relations_are_accepted_by_ansible():
    assert password.ENGINE.validate(dict({"new_password": "x"}, host="h", password="p")).error_messages == []


def test_current_password_defaults_to_the_connection_password_for_its_own_role():
    assert password.current_password(conn(password="pw"), "admin", None) == "pw"
    assert password.current_password(conn("user", "upw"), "user", None) == "upw"
    assert password.current_password(conn(), "user", "given") == "given"
    with pytest.raises(ValidationError) as failure:
        password.current_password(conn(), "user", None)
    assert failure.value.field == "current_password"
    with pytest.raises(ValidationError) as failure:
        password.current_password(conn("user"), "admin", "x")
    assert failure.value.field == "role"


class FakeMemory:
    def __init__(self, set_passwords=()):
        self.set_passwords = dict(set_passwords)
        self.recorded = []

    def password_set_at(self, base_url, role, secret):
        return 1700000000 if self.set_passwords.get(role) == secret else None

    def check(self, base_url, user, secret):
        return None

    def record_password(self, base_url, role, secret):
        self.recorded.append((role, secret))


class FakePhoneClient:
    """Answers api-change_password from the phone's scripted passwords and records every request (no network).

    There is no login method on it at all: the engine must never try a password by logging in with it."""

    def __init__(self, phone_passwords=None, set_passwords=(), change_error=None):
        self.conn = conn(password="old-password")
        self.phone = dict(phone_passwords or {"admin": "old-password", "user": "123"})
        self.memory = FakeMemory(set_passwords)
        self.change_error = change_error
        self.calls = []
        self.uses_previous_password = False  # the connection password works (client.py: password_previous)

    def session_holds(self, candidate):
        return self.phone["admin"] == candidate

    def use_password(self, secret):
        self.calls.append(("use", secret))

    def call(self, endpoint, data=None, idempotent=True, **unused):
        self.calls.append((endpoint, sorted(data), idempotent))
        if self.change_error:
            raise self.change_error
        role = "admin" if "P2" in data else "user"
        old_field, new_field = password.CHANGE_FIELDS[role]
        if data[old_field] != self.phone[role]:
            raise PhoneError("api-change_password failed: wrong old password")
        self.phone[role] = data[new_field]

    def remember_password(self, new, retired):
        self.calls.append(("remember", new == "new-password", retired == "old-password"))


CHANGE = "api-change_password"


def run_password(client, check_mode=False, **options):
    params = dict(role="admin", new_password="new-password", current_password=None)
    params.update(options)
    return password.run(client, params, check_mode)


def test_own_password_already_set_sends_nothing():
    client = FakePhoneClient({"admin": "new-password", "user": "123"})
    client.conn = conn(password="new-password")
    result = run_password(client)
    assert result["changed"] is False and result["verified"] is True
    assert client.calls == []


def test_own_password_change_is_confirmed_without_a_login_and_keeps_the_play_working():
    client = FakePhoneClient()
    assert run_password(client)["changed"] is True
    assert client.calls == [(CHANGE, ["P2", "oldadmin"], False), (CHANGE, ["P2", "oldadmin"], False),
                            ("remember", True, True)]
    assert client.phone["admin"] == "new-password" and client.memory.recorded == [("admin", "new-password")]


def test_own_password_set_by_this_controller_connects_with_it():
    client = FakePhoneClient({"admin": "new-password", "user": "123"}, set_passwords={"admin": "new-password"})
    client.session_holds = lambda candidate: candidate == "new-password"
    assert run_password(client)["changed"] is False
    assert client.calls[0] == ("use", "new-password")


def test_check_mode_sends_nothing():
    client = FakePhoneClient()
    result = run_password(client, check_mode=True)
    assert result["changed"] is True and result["verified"] is True
    assert client.calls == []
    user = run_password(client, check_mode=True, role="user", current_password="123")
    assert user["changed"] is True and user["verified"] is False and client.calls == []


def test_check_mode_of_the_user_password_trusts_only_the_record_and_says_so():
    client = FakePhoneClient(set_passwords={"user": "new-password"})
    result = run_password(client, check_mode=True, role="user", current_password="123")
    assert result == {"changed": False, "verified": False, "msg": result["msg"], "commands": [],
                      "before": {"user_password": "********"}, "after": {"user_password": "********"}}
    assert "not verified on the phone" in result["msg"] and client.calls == []


def test_a_password_change_returns_the_uniform_keys_and_never_the_password():
    client = FakePhoneClient({"admin": "old-password", "user": "old-user"})
    result = run_password(client, role="user", current_password="old-user")
    assert result["changed"] is True and result["commands"] == ["change user password"]
    assert result["before"] == {"user_password": "********"}
    assert result["after"] == result["diff"]["after"] == {"user_password": "******** (written)"}


def test_user_password_tries_current_then_asks_whether_new_is_set():
    client = FakePhoneClient({"admin": "old-password", "user": "new-password"})
    result = run_password(client, role="user", current_password="stale")
    assert result["changed"] is False and result["verified"] is True
    assert [entry[0] for entry in client.calls] == [CHANGE, CHANGE]


def test_user_password_refused_both_ways_is_named_and_costs_no_login():
    client = FakePhoneClient()
    with pytest.raises(PhoneError, match="current_password is not the phone's current user password, and "
                                         "new_password is not set either"):
        run_password(client, role="user", current_password="stale")
    assert client.phone["user"] == "123"


def test_wrong_current_password_is_named_and_costs_no_login():
    client = FakePhoneClient({"admin": "other", "user": "123"})
    client.session_holds = lambda candidate: False
    with pytest.raises(PhoneError, match="current_password is not the phone's current admin password"):
        run_password(client, current_password="stale")
    assert [entry[0] for entry in client.calls] == [CHANGE]


def test_a_failed_confirmation_says_the_change_was_applied():
    client = FakePhoneClient()
    original = client.call

    def call_then_fail(endpoint, data=None, idempotent=True, **unused):
        if client.phone["admin"] == "new-password":
            raise PhoneError("connection reset by the phone", kind="connection")
        return original(endpoint, data=data, idempotent=idempotent)

    client.call = call_then_fail
    with pytest.raises(PhoneError) as failure:
        run_password(client)
    assert failure.value.details["applied"] == ["change admin password"]
    assert "the change was applied" in failure.value.message


@pytest.mark.parametrize("value, kind", [(["x"], "list"), ({"a": "x"}, "dict"), (True, "bool"), (1.5, "float")])
def test_a_password_must_be_a_string(value, kind):
    with pytest.raises(ValidationError, match="new_password must be a string, not a %s" % kind) as failure:
        run_password(FakePhoneClient(), new_password=value)
    assert failure.value.field == "new_password"


def test_a_whole_number_password_is_its_digits():
    assert password.password_option({"new_password": 123456}, "new_password") == "123456"
