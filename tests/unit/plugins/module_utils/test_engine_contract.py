"""The engine contract (engine_contract.py): every engine declares ENGINE = Engine(...), checked here for all.

A misspelled or missing hook is a TypeError when the engine is imported; this walks every action plugin and
every module file, so an engine that declares nothing, or declares a hook the runner would not use, fails.
"""

import ast
import importlib
import pathlib

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import engine_contract, pvalues, runner
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine, engine_of

PLUGINS = pathlib.Path(__file__).resolve().parents[4] / "plugins"
MODULES = sorted(path.stem for path in (PLUGINS / "modules").glob("gs_*.py"))
PACKAGE = "ansible_collections.grandstream.phone.plugins"
# The names the runner once looked up with getattr and a silent default: now keyword arguments of Engine.
OLD_CONTRACT_NAMES = ("USES_CONNECTION", "ARGUMENT_SPEC_OPTIONS")


def run_module_argument(module_name):
    """The engine file a module's main() hands to run_module, from the module file's source."""
    tree = ast.parse((PLUGINS / "modules" / (module_name + ".py")).read_text())
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and getattr(node.func, "id", None) == "run_module"]
    assert len(calls) == 1, module_name
    name = calls[0].args[0].id
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and any((alias.asname or alias.name) == name for alias in node.names)]
    return importlib.import_module("%s.%s" % (imports[0].module, name))


@pytest.mark.parametrize("name", MODULES)
def test_every_engine_declares_its_contract_in_one_place(name):
    engine_file = run_module_argument(name)
    engine = engine_of(engine_file)
    assert isinstance(engine, Engine)
    assert engine.argument_spec is engine_file.ARGUMENT_SPEC and engine.run is engine_file.run
    for old in OLD_CONTRACT_NAMES:
        assert not hasattr(engine_file, old), "%s.%s is not read by the runner: declare it in ENGINE" % (name, old)
    # A hook written in the engine file but not handed to Engine would be silently unused.
    if hasattr(engine_file, "needs_phone"):
        assert engine.needs_phone is engine_file.needs_phone, name
    if hasattr(engine_file, "secret_values"):
        assert engine._more_secrets is engine_file.secret_values, name
    if hasattr(engine_file, "precheck"):
        assert engine.precheck is engine_file.precheck, name
    spec = engine.module_argument_spec
    assert ("password" in spec) is engine.uses_connection
    assert set(engine.argument_spec) <= set(spec)


def test_a_misspelled_or_missing_hook_fails_at_declaration():
    with pytest.raises(TypeError):
        Engine("x", argument_spec={}, run=pvalues.run, uses_connection=True, needs_phnoe=engine_contract.never)
    with pytest.raises(TypeError):
        Engine("x", argument_spec={}, run=pvalues.run)  # pylint: disable=missing-kwoa  # uses_connection must be said
    with pytest.raises(TypeError, match="uses_connection"):
        Engine("x", argument_spec={}, run=pvalues.run, uses_connection="yes")
    with pytest.raises(TypeError, match="required_iff"):
        Engine("x", argument_spec={}, run=pvalues.run, uses_connection=True, relations={"required_iff": []})
    with pytest.raises(TypeError, match="server.valeus"):
        Engine("x", argument_spec={"server": dict(type="dict", options=dict(values=dict(type="dict")))},
               run=pvalues.run, uses_connection=True, secret_pvalues=[("server", "valeus")])


def test_an_engine_file_without_engine_is_an_error_not_a_default():
    with pytest.raises(TypeError, match="declares no ENGINE"):
        engine_of(runner)
    with pytest.raises(TypeError, match="declares no ENGINE"):
        runner.execute(runner, {}, True, False)


def test_secret_values_come_from_no_log_options_the_declared_pvalue_paths_and_the_hook():
    engine = Engine("x", argument_spec={"server": dict(type="dict", options=dict(values=dict(type="dict")))},
                    run=pvalues.run, uses_connection=True, secret_pvalues=[("server", "values")],
                    secret_values=lambda params: [params["extra"], 7, ""])
    params = {"server": {"values": {"account1.password": "sip-secret", "P30": "ntp.test", "P2": ""}},
              "extra": "from-hook"}
    assert engine.secret_values(params, no_log_values={"conn-pw", 5, ""}) == {"sip-secret", "from-hook", "conn-pw"}
    assert engine.secret_values({"server": None, "extra": "e"}) == {"e"}


# An engine may run another engine (gs_fleet runs the drift check's engines, gs_firmware writes the server
# values through gs_pvalues' engine, gs_contacts composes gs_group's options); it never borrows a helper.
COMPOSITIONS = {
    "fleet": {"contacts_with_groups", "pvalues", "vars_validation", "phone_state"},
    "firmware": {"pvalues"},
    "contacts_with_groups": {"groups"},
    "phone_state": {"contacts_with_groups", "pvalues", "password"},
}


def imported_module_utils(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE + ".module_utils"):
            if node.module == PACKAGE + ".module_utils":
                names.update(alias.name for alias in node.names)
            else:
                names.add(node.module.rsplit(".", 1)[1])
    return names


def test_no_file_in_module_utils_imports_another_engine_for_a_helper():
    files = sorted((PLUGINS / "module_utils").glob("*.py"))
    engines = {path.stem for path in files if "\nENGINE = Engine(" in path.read_text()}
    assert {"pvalues", "groups", "render", "info", "sysop"} <= engines
    borrowed = {path.stem: (imported_module_utils(path) & engines) - {path.stem} for path in files}
    assert {name: found for name, found in borrowed.items() if found} == COMPOSITIONS


class _Marked(str):
    """A string with a mark, as ansible-core hands values to an action plugin (data tags, unsafe text)."""

    def __str__(self):
        return "not the value"


class _MarkedInt(int):
    pass


def test_plain_data_keeps_every_value_and_drops_only_the_marks():
    data = {_Marked("values"): {_Marked("P30"): _Marked("ntp.test"), "P64": _MarkedInt(7)},
            "config": [{"name": _Marked("Ann"), "n": 1.5, "on": True, "off": None}], "pair": (_Marked("a"), 2)}
    plain = engine_contract.plain_data(data)
    assert plain == {"values": {"P30": "ntp.test", "P64": 7},
                     "config": [{"name": "Ann", "n": 1.5, "on": True, "off": None}], "pair": ("a", 2)}
    kinds = {type(key) for key in plain} | {type(key) for key in plain["values"]}
    kinds |= {type(value) for value in plain["values"].values()} | {type(plain["config"][0]["name"])}
    assert kinds == {str, int}
    # Exact types on purpose: a tagged or unsafe str subclass is what plain_data must take away.
    assert type(plain["pair"]) is tuple and type(plain["pair"][0]) is str  # pylint: disable=unidiomatic-typecheck
    other = object()
    assert engine_contract.plain_data(other) is other  # what it does not know stays as it is


def test_validation_builds_no_validator_per_task_and_sees_marked_values_as_builtins(monkeypatch):
    engine = Engine("x", argument_spec={"values": dict(type="dict"), "secret": dict(type="str", no_log=True)},
                    run=pvalues.run, uses_connection=False)

    def no_new_validator(*args, **kwargs):
        raise AssertionError("a validator built per task")

    monkeypatch.setattr(engine_contract, "ArgumentSpecValidator", no_new_validator)
    marked = {"values": {_Marked("P30"): _Marked("ntp.test")}, "secret": _Marked("s3cret-value")}
    for unused in range(2):
        validated = engine.validate(marked)
        assert not validated.error_messages
        params = validated.validated_parameters
        assert params["values"] == {"P30": "ntp.test"}
        assert type(params["secret"]) is str  # pylint: disable=unidiomatic-typecheck
        assert [type(key) for key in params["values"]] == [str]
        assert validated._no_log_values == {"s3cret-value"}
    refused = engine.validate({"valeus": {}})  # the one validator still refuses what the spec does not know
    assert any("valeus" in message for message in refused.error_messages)
    assert not engine.validate(marked).error_messages  # and a refusal leaves nothing behind for the next task
