"""gs_group end to end: real ansible-playbook against the emulator's phones."""


from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

WRITES = ("api-add_group", "api-edit_delete_group")


phones, factory_phones = emulator_fixtures(count=2)


def task(name, state="merged", config=None, **extra):
    arguments = {"state": state}
    if config is not None:
        arguments["config"] = config
    return dict({"name": name, "grandstream.phone.gs_group": arguments}, **extra)


def group_names(phones, index):
    return [group["name"] for group in phones.state(index)["groups"]]


def writes(phones, index):
    by_endpoint = phones.counters(index)["by_endpoint"]
    return sum(by_endpoint.get(name, 0) for name in WRITES)


def test_merged_rename_overridden_in_one_play_with_one_login(phones, tmp_path):
    run = run_playbook(tmp_path, play(
        task("create", config=[{"name": "Sales"}, {"name": "Support"}]),
        task("again", config=[{"name": "Sales"}, {"name": "Support"}]),
        task("rename", config=[{"name": "Field Sales", "old_name": "Sales"}]),
        task("override", "overridden", [{"name": "Field Sales"}, {"name": "Ops"}]),
        task("gather", "gathered"),
    ), inventory_for(phones))
    assert run.rc == 0, run
    for index in range(2):
        host = "phone%d" % index
        created = run.result(host, "create")
        assert created["changed"] and created["commands"] == ["add_group name=Sales", "add_group name=Support"]
        again = run.result(host, "again")
        assert not again["changed"] and again["commands"] == [] and again["requests"]["requests"] == 1
        assert run.result(host, "rename")["commands"] == ["rename_group id=1 old_name=Sales name='Field Sales'"]
        assert run.result(host, "override")["commands"] == ["delete_group id=2 name=Support", "add_group name=Ops"]
        expected = [{"name": "default"}, {"name": "blacklist"}, {"name": "Field Sales"}, {"name": "Ops"}]
        assert run.result(host, "gather")["gathered"] == expected
        assert group_names(phones, index) == ["default", "blacklist", "Field Sales", "Ops"]
        assert phones.counters(index)["logins"] == 1


def test_check_mode_with_diff_writes_nothing(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("create", config=[{"name": "Sales"}])), inventory_for(phones, count=1),
                       "--check", "--diff")
    assert run.rc == 0, run
    result = run.result("phone0", "create")
    assert result["changed"] and result["commands"] == ["add_group name=Sales"]
    assert result["diff"] == {"before": {}, "after": {"Sales": {"name": "Sales"}}}
    assert '"name": "Sales"' in run.stdout  # the diff is shown
    assert writes(phones, 0) == 0 and group_names(phones, 0) == ["default", "blacklist"]


def test_builtin_groups_are_refused_before_any_request(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("delete", "deleted", [{"name": "default"}])),
                       inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "delete")
    assert result["_status"] == "failed" and result["field"] == "config[0].name"
    assert "built-in group 'default' cannot be deleted" in result["msg"]
    assert phones.counters(0)["requests"] == 0


def test_rendered_needs_neither_phone_nor_password(phones, tmp_path):
    inventory = {"all": {"hosts": {"nowhere.invalid": {"ansible_connection": "local"}}}}
    tasks = [task("render", "rendered", [{"name": "Sales"}, {"name": "B", "old_name": "A"}])]
    run = run_playbook(tmp_path, [{"hosts": "all", "gather_facts": False, "tasks": tasks}], inventory)
    assert run.rc == 0, run
    result = run.result("nowhere.invalid", "render")
    assert result["rendered"] == ["add_group name=Sales", "rename_group old_name=A name=B"]
    assert not result["changed"] and "requests" not in result


def test_deleted_without_config_keeps_the_builtins(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("create", config=[{"name": "A"}, {"name": "B"}]),
                                      task("wipe", "deleted")), inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "wipe")["after"] == [{"name": "default"}, {"name": "blacklist"}]
    assert group_names(phones, 0) == ["default", "blacklist"]
