"""waiting.py: the restart wait (poll_until, BackOnline) and how a phone going down is described."""

from ansible_collections.grandstream.phone.plugins.module_utils.waiting import BackOnline, describe_down, poll_until


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


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
