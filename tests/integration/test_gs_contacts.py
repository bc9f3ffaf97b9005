"""gs_contacts end to end: real ansible-playbook against the emulator's phones."""

import pytest

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.phone_http import phone_login

WRITES = ("api-save_edit_contact", "api-delete_contact", "api-delete_all_contact", "api-add_group",
          "api-edit_delete_group")
JACK = {"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "+1 (555) 010-0100",
        "email": "jack.brown@example.com"}
MARY = {"first_name": "Mary Ann", "last_name": "Smith", "mobile": "555"}


phones, factory_phones = emulator_fixtures(count=2)


def task(name, state="merged", config=None, module="gs_contacts"):
    arguments = {"state": state}
    if config is not None:
        arguments["config"] = config
    return {"name": name, "grandstream.phone.%s" % module: arguments}


def writes(phones, index):
    by_endpoint = phones.counters(index)["by_endpoint"]
    return sum(by_endpoint.get(name, 0) for name in WRITES)


def stored(phones, index):
    return [(c["first"], c["last"], c["group"], c["work"], c["mobile"], c["email"])
            for c in phones.state(index)["contacts"]]


def test_groups_then_contacts_through_the_states(phones, tmp_path):
    run = run_playbook(tmp_path, play(
        task("groups", config=[{"name": "Sales"}], module="gs_group"),
        task("add", config=[JACK, MARY]),
        task("again", config=[JACK, MARY]),
        task("merge", config=[{"first_name": "Jack", "last_name": "Brown", "home": "999"}]),
        task("replace", "replaced", [{"first_name": "Jack", "last_name": "Brown", "group": "Sales"}]),
        task("override", "overridden", [{"first_name": "Jack", "last_name": "Brown", "group": "Sales"}]),
        task("gather", "gathered"),
    ), inventory_for(phones))
    assert run.rc == 0, run
    for index in range(2):
        host = "phone%d" % index
        assert run.result(host, "add")["commands"] == [
            "save_contact first_name=Jack last_name=Brown group=Sales work='+1 (555) 010-0100' "
            "email=jack.brown@example.com",
            "save_contact first_name='Mary Ann' last_name=Smith group=default mobile=555"]
        again = run.result(host, "again")
        assert not again["changed"] and again["requests"]["requests"] == 2  # contacts, XML (it lists the groups)
        assert run.result(host, "merge")["after"][0] == dict(JACK, home="999")
        assert run.result(host, "replace")["commands"] == [
            "save_contact id=1 first_name=Jack last_name=Brown group=Sales work='' home='' email=''"]
        assert run.result(host, "override")["commands"] == ["delete_contact id=2 name='Mary Ann Smith'"]
        assert run.result(host, "gather")["gathered"] == [{"first_name": "Jack", "last_name": "Brown",
                                                           "group": "Sales"}]
        assert stored(phones, index) == [("Jack", "Brown", 1, "", "", "")]
        assert phones.counters(index)["logins"] == 1


def test_check_mode_and_diff_write_nothing_and_warn_about_groups_to_come(phones, tmp_path):
    run = run_playbook(tmp_path, play(
        task("groups", config=[{"name": "Sales"}], module="gs_group"),
        task("add", config=[JACK]),
    ), inventory_for(phones, count=1), "--check", "--diff")
    assert run.rc == 0, run
    result = run.result("phone0", "add")
    assert result["changed"] and result["diff"]["after"] == {"Jack Brown": JACK}
    assert "group 'Sales' of contact 'Jack Brown' does not exist" in result["warnings"][0]
    assert writes(phones, 0) == 0 and stored(phones, 0) == []


@pytest.mark.parametrize("config, field, fragment", [
    ([JACK, dict(MARY, email="not-an-email")], "config[1].email", "'not-an-email' is not an email address"),
    ([dict(JACK, work="call me")], "config[0].work", "is not a dialable number"),
    ([MARY, dict(MARY)], "config[1].first_name", "'Mary Ann Smith' is listed twice (also config[0])"),
    ([{"first_name": ""}], "config[0].first_name", "must not be empty"),
])
def test_invalid_config_fails_before_any_request(phones, tmp_path, config, field, fragment):
    run = run_playbook(tmp_path, play(task("add", config=config)), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "add")
    assert result["field"] == field and fragment in result["msg"]
    assert phones.counters(0)["requests"] == 0


def test_unknown_group_fails_and_writes_nothing(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("add", config=[MARY, JACK])), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "add")
    assert result["field"] == "config[1].group" and "'Sales' of contact 'Jack Brown'" in result["msg"]
    assert result["changed"] is False and writes(phones, 0) == 0


def test_delete_all_is_one_request(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("add", config=[MARY, {"first_name": "Ann"}]), task("wipe", "deleted")),
                       inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "wipe")["commands"] == ["delete_all_contacts"]
    assert phones.counters(0)["by_endpoint"].get("api-delete_all_contact") == 1 and stored(phones, 0) == []


# ------------------------------------------------------------------------------- groups in the same task
def with_groups(name, config, groups, groups_state="merged", state="merged"):
    return {"name": name, "grandstream.phone.gs_contacts": {
        "config": config, "state": state, "groups": groups, "groups_state": groups_state}}


def test_groups_and_contacts_in_one_task_check_apply_again(phones, tmp_path):
    both = ([JACK, MARY], [{"name": "Sales"}, {"name": "Support"}])
    checked = run_playbook(tmp_path, play(with_groups("plan", *both)), inventory_for(phones, count=1),
                           "--check", "--diff", name="check")
    assert checked.rc == 0, checked
    plan = checked.result("phone0", "plan")
    # In check mode the contacts are planned against the groups as they will be: no warning about Sales.
    assert plan["changed"] and "warnings" not in plan
    assert plan["groups"]["commands"] == ["add_group name=Sales", "add_group name=Support"]
    assert plan["commands"][:2] == plan["groups"]["commands"] and len(plan["commands"]) == 4
    assert "--- before: groups" in checked.stdout and "+++ after: contacts" in checked.stdout
    assert writes(phones, 0) == 0

    run = run_playbook(tmp_path, play(with_groups("apply", *both), with_groups("again", *both)),
                       inventory_for(phones, count=1), name="apply")
    assert run.rc == 0, run
    assert run.result("phone0", "apply")["commands"] == plan["commands"]
    sales = next(group["id"] for group in phones.state(0)["groups"] if group["name"] == "Sales")
    assert stored(phones, 0)[0] == ("Jack", "Brown", sales, JACK["work"], "", JACK["email"])
    again = run.result("phone0", "again")
    # Unchanged: the contacts and the phonebook XML, which lists the groups; no api-get_groups.
    assert not again["changed"] and again["commands"] == [] and again["requests"]["requests"] == 2


def test_a_contact_in_a_group_the_task_deletes_fails_with_nothing_written(phones, tmp_path):
    setup = run_playbook(tmp_path, play(with_groups("setup", [JACK], [{"name": "Sales"}])),
                         inventory_for(phones, count=1), name="setup")
    assert setup.rc == 0, setup
    phones.reset_counters()
    run = run_playbook(tmp_path, play(with_groups("override", [JACK], [{"name": "Support"}], "overridden")),
                       inventory_for(phones, count=1), name="override")
    assert run.rc != 0
    result = run.result("phone0", "override")
    assert result["field"] == "config[0].group" and "'Sales' of contact 'Jack Brown'" in result["msg"]
    assert result["changed"] is False and writes(phones, 0) == 0
    assert [group["name"] for group in phones.state(0)["groups"]][-1] == "Sales"


# ------------------------------------------------------------------------------- duplicates on the phone
def add_raw_contacts(phones, index, *contacts):
    """Store contacts straight through the phone's API, as a second controller or a stray worker would."""
    session = phone_login(phones, index)
    try:
        for contact in contacts:
            answer = session.get(phones.url(index, "api-save_edit_contact"), params=contact, timeout=10).json()
            assert answer == {"response": "success", "body": ""}, answer
    finally:
        session.close()


def test_a_desired_contact_held_several_times_is_drift_and_one_run_keeps_one_copy(phones, tmp_path):
    jack = {"firstname": "Jack", "lastname": "Brown", "group": "0", "newphone1": "123"}
    stale = dict(jack, newphone1="999")
    ann = {"firstname": "Ann", "newphone3": "555"}  # not managed by the play: its twin stays
    add_raw_contacts(phones, 0, stale, jack, jack, dict(jack), ann, ann)
    phones.reset_counters()
    desired = [{"first_name": "Jack", "last_name": "Brown", "work": "123"}]
    drift = run_playbook(tmp_path, play(task("jack", config=desired)), inventory_for(phones, count=1),
                         "--check", "--diff", name="drift")
    assert drift.rc == 0, drift
    found = drift.result("phone0", "jack")
    assert found["changed"] is True and writes(phones, 0) == 0
    # The copy that already matches and has the lowest id (2) stays; the stale one and the twins go.
    assert found["commands"] == ["delete_contact id=1 name='Jack Brown'", "delete_contact id=3 name='Jack Brown'",
                                 "delete_contact id=4 name='Jack Brown'"]
    kept = {"first_name": "Jack", "last_name": "Brown", "group": "default", "work": "123"}
    assert found["diff"] == {"before": {"Jack Brown": kept, "Jack Brown (2)": dict(kept, work="999"),
                                        "Jack Brown (3)": kept, "Jack Brown (4)": kept},
                             "after": {"Jack Brown": kept}}
    assert "warnings" not in found

    fixed = run_playbook(tmp_path, play(task("jack", config=desired), task("again", config=desired)),
                         inventory_for(phones, count=1), name="fix")
    assert fixed.rc == 0, fixed
    assert fixed.result("phone0", "jack")["changed"] is True
    assert fixed.result("phone0", "again")["changed"] is False
    assert [(c["id"], c["first"], c["work"]) for c in phones.state(0)["contacts"] if c["first"] == "Jack"] == [
        (2, "Jack", "123")]
    assert [c["first"] for c in phones.state(0)["contacts"]].count("Ann") == 2


def test_names_are_limited_in_bytes_and_a_name_of_exactly_64_bytes_is_stored(phones, tmp_path):
    emoji = {"first_name": "\U0001F600" * 16, "last_name": "\u00e9" * 32}  # 64 bytes each
    run = run_playbook(tmp_path, play(task("add", config=[emoji]), task("again", config=[emoji])),
                       inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "add")["changed"] and not run.result("phone0", "again")["changed"]
    stored = [(c["first"], c["last"]) for c in phones.state(0)["contacts"]]
    assert stored == [(emoji["first_name"], emoji["last_name"])]
    too_long = run_playbook(tmp_path, play(task("add", config=[dict(emoji, first_name="\U0001F600" * 17)])),
                            inventory_for(phones, count=1), name="too-long")
    result = too_long.result("phone0", "add")
    assert too_long.rc != 0 and result["field"] == "config[0].first_name"
    assert "at most 64 bytes of UTF-8" in result["msg"] and "is 68 bytes, 17 characters" in result["msg"]


def test_every_bad_entry_is_reported_at_once(phones, tmp_path):
    config = [dict(JACK, work="sip:jack@pbx"), MARY, dict(MARY, first_name="Ann", email="ann-at-example"),
              {"first_name": ""}]
    run = run_playbook(tmp_path, play(task("add", config=config)), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "add")
    assert result["msg"] == "127.0.0.1:%d: " % phones.ports[0] + (
        "3 problems: config[0].work: 'sip:jack@pbx' is not a dialable number (digits, a leading +, *, #, spaces, - "
        "and parentheses); config[2].email: 'ann-at-example' is not an email address; config[3].first_name must "
        "not be empty")
    assert result["field"] == "config[0].work"
    assert phones.counters(0)["requests"] == 0


def test_in_check_mode_a_group_the_same_task_cannot_create_is_an_error(phones, tmp_path):
    # The task manages the groups and Sales is in none of them: the real run would fail, so the check fails.
    run = run_playbook(tmp_path, play(with_groups("plan", [MARY, JACK], [{"name": "Support"}])),
                       inventory_for(phones, count=1), "--check")
    assert run.rc != 0
    result = run.result("phone0", "plan")
    assert result["_status"] == "failed" and result["field"] == "config[1].group"
    assert ("config[1].group: group 'Sales' of contact 'Jack Brown' does not exist on the phone (add it to groups, "
            "or create it on the phone); nothing was written") in result["msg"]
    assert writes(phones, 0) == 0


def test_a_misspelled_option_keeps_ansibles_unsupported_parameters_wording(phones, tmp_path):
    bad = {"name": "typo", "grandstream.phone.gs_contacts": {"confg": [MARY]}}
    run = run_playbook(tmp_path, play(bad), inventory_for(phones, count=1))
    assert run.rc != 0
    assert run.result("phone0", "typo")["msg"].startswith(
        "Unsupported parameters for (grandstream.phone.gs_contacts) module: confg. Supported parameters include:")
    assert phones.counters(0)["requests"] == 0
