"""Pure logic of gs_password, gs_sysop and gs_call: validation, the lockout policy, waiting and line tracking."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import call, password, sysop
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers
from ansible_collections.grandstream.phone.plugins.module_utils.waiting import BackOnline, describe_down, poll_until


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def conn(username="admin", password="admin"):
    return ConnectionParams(host="phone.example", protocol="http", username=username, password=password)


# ---------------------------------------------------------------------------------------------- waiting
def test_poll_until_reports_changes_and_every_ten_seconds_only():
    clock = FakeClock()
    answers = iter(["refused"] * 25 + ["503"] * 3 + ["up"])
    reports = []

    def poll(remaining):
        answer = next(answers)
        return answer == "up", answer, None

    outcome = poll_until(poll, 60, 1.0, lambda elapsed, answer: reports.append((round(elapsed), answer)),
                         clock=clock, sleep=clock.sleep)
    assert outcome.reached and outcome.answer == "up" and outcome.elapsed == 28
    assert reports == [(0, "refused"), (10, "refused"), (20, "refused"), (25, "503"), (28, "up")]


def test_poll_until_times_out_without_sleeping_past_the_deadline():
    clock = FakeClock()
    remaining_seen = []

    def poll(remaining):
        remaining_seen.append(remaining)
        return False, "refused", None

    outcome = poll_until(poll, 2.5, 1.0, clock=clock, sleep=clock.sleep)
    assert not outcome.reached and outcome.elapsed == 2.5 and outcome.answer == "refused"
    assert remaining_seen == [2.5, 1.5, 0.5, 0.0]


def test_poll_until_counts_from_the_given_start():
    clock = FakeClock()
    outcome = poll_until(lambda remaining: (True, "up", None), 10, 1, clock=clock, sleep=clock.sleep,
                         started=clock.now - 4)
    assert outcome.elapsed == 4


# ---------------------------------------------------------------------------------------------- gs_sysop
def test_a_phone_that_still_answers_right_after_the_request_is_not_back_yet():
    clock = FakeClock()
    judge = BackOnline(wait_delay=10, sent_at=clock.now, clock=clock)
    assert judge.judge("up") == (False, "up (not restarted yet)")
    assert judge.judge("refused") == (False, "connection refused (rebooting)")
    assert judge.judge("up") == (True, "up")


def test_a_phone_going_down_is_described_without_the_bare_word_reset():
    assert [describe_down(answer) for answer in ("reset", "refused", "timeout", "no answer", "503", "404")] == [
        "connection reset (rebooting)", "connection refused (rebooting)", "no answer in time (rebooting)",
        "no answer (rebooting)", "HTTP 503 (booting)", "HTTP 404"]


def test_a_reboot_missed_between_polls_counts_as_done_after_wait_delay():
    clock = FakeClock()
    judge = BackOnline(wait_delay=10, sent_at=clock.now, clock=clock)
    clock.now += 10
    assert judge.judge("up") == (True, "up")


SYSOP_DEFAULTS = dict(confirm=False, wait=False, wait_timeout=300, wait_delay=10.0, poll_interval=1.0)


@pytest.mark.parametrize("username, options, field", [
    ("admin", {"operation": "reset"}, "confirm"),
    ("user", {"operation": "reset", "confirm": True}, "operation"),
    ("user", {"operation": "provision"}, "operation"),
    ("admin", {"operation": "reboot", "wait_timeout": 0}, "wait_timeout"),
    ("admin", {"operation": "reboot", "poll_interval": 0}, "poll_interval"),
])
def test_sysop_refusals_name_the_option(username, options, field):
    with pytest.raises(ValidationError) as failure:
        sysop.validate(conn(username), dict(SYSOP_DEFAULTS, **options))
    assert failure.value.field == field


def test_a_user_may_reboot():
    sysop.validate(conn("user"), dict(SYSOP_DEFAULTS, operation="reboot"))


# ---------------------------------------------------------------------------------------------- gs_call
def line(number, state, remote=""):
    return {"line": number, "state": state, "state_name": call_state_name(state), "number": remote}


def call_state_name(state):
    return {"0": "idle", "2": "ringing", "3": "calling", "4": "in_call", "5": "hold", "8": "failed"}[state]


def test_a_dialled_call_is_found_on_a_line_that_was_idle_and_then_followed_by_id():
    watch = call.LineWatch("idle", number="100", idle_before={2, 3})
    busy_before = line(1, "4", "100")  # an older call to the same number
    assert watch.judge([busy_before, line(2, "0"), line(3, "0")])[:2] == (False, "the call is not on a line yet")
    assert watch.judge([busy_before, line(2, "3", "100"), line(3, "0")])[:2] == (False, "line 2 is calling")
    assert watch.line == 2
    reached, answer, entry = watch.judge([busy_before, line(2, "0"), line(3, "0")])
    assert reached and answer == "line 2 is idle" and entry["line"] == 2


def test_a_dialled_call_that_ends_early_or_fails_stops_the_wait():
    watch = call.LineWatch("in_call", number="100", idle_before={1})
    watch.judge([line(1, "3", "100")])
    with pytest.raises(PhoneError, match="ended before it was in_call"):
        watch.judge([line(1, "0")])
    with pytest.raises(PhoneError, match="failed while waiting for in_call"):
        call.LineWatch("in_call", line=1).judge([line(1, "8")])


def test_waiting_on_an_existing_line_may_start_idle():
    watch = call.LineWatch("ringing", line=1)
    assert watch.judge([line(1, "0")])[0] is False
    assert watch.judge([line(1, "2", "200")])[0] is True


def test_a_missing_line_is_a_validation_error_listing_the_lines():
    with pytest.raises(ValidationError, match=r"line 9 does not exist on this phone \(it has lines 1, 2\)"):
        call.LineWatch("idle", line=9).judge([line(1, "0"), line(2, "0")])


CALL_DEFAULTS = dict(number=None, account=None, operation=None, line=None, wait_for=None, wait_timeout=30,
                     poll_interval=0.5)


@pytest.mark.parametrize("options, field", [
    ({"number": "1 00"}, "number"),
    ({"number": "+"}, "number"),
    ({"number": "100", "account": -1}, "account"),
    ({"operation": "end", "line": -1}, "line"),
    ({"wait_for": "idle"}, "line"),
    ({"number": "100", "wait_timeout": 0}, "wait_timeout"),
])
def test_call_refusals_name_the_option(options, field):
    with pytest.raises(ValidationError) as failure:
        call.validate(dict(CALL_DEFAULTS, **options))
    assert failure.value.field == field


@pytest.mark.parametrize("number", ["100", "+4930123456", "*97", "#31#100"])
def test_dialable_numbers(number):
    call.validate(dict(CALL_DEFAULTS, number=number))


@pytest.mark.parametrize("engine, options", [(call, {"number": "1"}), (password, {"new_password": "x"}),
                                             (sysop, {"operation": "reboot"})])
def test_engine_specs_and_relations_are_accepted_by_ansible(engine, options):
    assert engine.ENGINE.validate(dict(options, host="h", password="p")).error_messages == []


def test_call_option_relations():
    validator = call.ENGINE
    assert not validator.validate({"number": "100", "wait_for": "in_call"}).error_messages
    assert not validator.validate({"operation": "hold", "line": 1}).error_messages
    assert validator.validate({"number": "100", "operation": "end"}).error_messages


# ---------------------------------------------------------------------------------------------- gs_password
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


class RebootingClient:
    """Accepts the reboot request, then answers the polls in ``answers`` order (the last one repeats)."""

    def __init__(self, answers):
        self.conn = conn()
        self.answers = list(answers)
        self.sent = []

    def call(self, endpoint, params=None, auth="forms", idempotent=True):
        self.sent.append((endpoint, params["request"]))
        return {"response": "success", "body": "reboot"}

    def drop_session(self):
        pass

    def ping(self, timeout):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def progress(self, message):
        pass


@pytest.mark.parametrize("answers, wait, still_pending", [
    (["refused", "503", "up"], True, False),  # seen going down and back: the pending reboot happened
    (["up"], True, True),  # never seen down (only wait_delay passed): gs_pvalues asks the uptime instead
    (["refused", "up"], False, True),  # not waited for: nothing seen
])
def test_only_a_reboot_seen_through_ends_a_pending_one(answers, wait, still_pending):
    markers = RebootMarkers()
    client = RebootingClient(answers)
    markers.record(client.conn.label, ["account1.transport (P130)"])
    params = dict(SYSOP_DEFAULTS, operation="reboot", wait=wait, wait_delay=0.0, poll_interval=0.01)
    result = sysop.run(client, params, check_mode=False)
    assert result["changed"] is True and client.sent == [("api-sys_operation", "REBOOT")]
    assert result["commands"] == ["api-sys_operation REBOOT"]
    assert result["before"] == {} and result["after"] == result["diff"]["after"] == {"operation": "reboot"}
    assert (markers.load(client.conn.label) is not None) is still_pending


@pytest.mark.parametrize("value, kind", [(["x"], "list"), ({"a": "x"}, "dict"), (True, "bool"), (1.5, "float")])
def test_a_password_must_be_a_string(value, kind):
    with pytest.raises(ValidationError, match="new_password must be a string, not a %s" % kind) as failure:
        run_password(FakePhoneClient(), new_password=value)
    assert failure.value.field == "new_password"


def test_a_whole_number_password_is_its_digits():
    assert password.password_option({"new_password": 123456}, "new_password") == "123456"


def test_line_states_read_as_numbers_or_words_into_one_model():
    from ansible_collections.grandstream.phone.plugins.module_utils.lines import line_state_name
    guide = {"0": "idle", "2": "ringing", "3": "calling", "4": "in_call", "5": "hold", "8": "failed"}
    current = {"idle": "idle", "ringing": "ringing", "connected": "in_call", "onhold": "hold", "Connected": "in_call"}
    for state, name in list(guide.items()) + list(current.items()):
        assert line_state_name(state) == name, state
    assert line_state_name(4) == "in_call"
    assert line_state_name("7") == line_state_name("dancing") == "unknown"
