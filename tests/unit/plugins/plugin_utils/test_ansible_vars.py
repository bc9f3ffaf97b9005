"""plugin_utils/ansible_vars.py's pure part: which values are read through hostvars' templating."""

import pytest

from ansible_collections.grandstream.phone.plugins.plugin_utils.ansible_vars import (inventory_variables,
                                                                                     may_hold_template)


@pytest.mark.parametrize("value", ["{{ x }}", "a {% if y %}b{% endif %}", "{# note #}", ["ok", "{{ x }}"],
                                   {"k": {"deep": ["{{ x }}"]}}, {"{{ key }}": 1}])
def test_a_value_with_a_template_anywhere_is_templated(value):
    assert may_hold_template(value)


@pytest.mark.parametrize("value", ["plain", "a { b } c", "100%", 5, None, True, [1, "x"], {"k": "v"}, ""])
def test_plain_data_is_taken_as_it_is(value):
    assert not may_hold_template(value)


class FakeHostVars(dict):
    """hostvars as every supported ansible-core has it: a mapping of templated views, and raw_get."""

    def __init__(self, raw, rendered):
        super().__init__({host: rendered[host] for host in rendered})
        self.raw = raw
        self.templated = []

    def raw_get(self, host):
        return self.raw[host]

    def __getitem__(self, host):
        outer = self

        class View(dict):
            def __getitem__(self, name):
                outer.templated.append(name)
                return dict.__getitem__(self, name)
        return View(dict.get(self, host))


def test_only_values_that_may_be_templates_go_through_templating():
    raw = {"h": {"phone_a": "plain", "phone_b": "{{ x }}", "other": "{{ y }}"}}
    hostvars = FakeHostVars(raw, {"h": {"phone_a": "plain", "phone_b": "rendered", "other": "y"}})
    found = inventory_variables({"hostvars": hostvars}, "h", lambda name: name.startswith("phone_"))
    assert found == {"phone_a": "plain", "phone_b": "rendered"}
    assert hostvars.templated == ["phone_b"]


def test_without_raw_get_every_value_is_templated():
    class Plain(FakeHostVars):
        raw_get = None
    hostvars = Plain({}, {"h": {"phone_a": "plain", "other": 1}})
    assert inventory_variables({"hostvars": hostvars}, "h", lambda name: name.startswith("phone_")) == {
        "phone_a": "plain"}
    assert hostvars.templated == ["phone_a"]


def test_an_unknown_host_is_named():
    from ansible.errors import AnsibleActionFail
    with pytest.raises(AnsibleActionFail, match="'nowhere' is not a host of this inventory"):
        inventory_variables({"hostvars": FakeHostVars({}, {})}, "nowhere", bool, caller="gs_fleet")


def test_a_shared_value_is_scanned_once_per_batch_and_read_alike(monkeypatch):
    from ansible_collections.grandstream.phone.plugins.plugin_utils import ansible_vars

    shared_plain, shared_template = {"P30": "pool.ntp.org"}, ["{{ site }}"]
    raw = {"h%d" % index: {"phone_pvalues": shared_plain, "phone_contacts": shared_template,
                           "phone_host_pvalues": {"P35": str(index)}} for index in range(3)}
    rendered = {host: dict(variables, phone_contacts=["rendered"]) for host, variables in raw.items()}
    scanned = []
    real = ansible_vars.may_hold_template

    def counting(value):
        scanned.append(value)
        return real(value)

    monkeypatch.setattr(ansible_vars, "may_hold_template", counting)
    plain, with_memo = {}, {}
    hostvars = FakeHostVars(raw, rendered)
    for host in raw:
        with_memo[host] = inventory_variables({"hostvars": hostvars}, host, bool, plain=plain)
    assert sum(value is shared_plain for value in scanned) == 1  # one object for every host: scanned once
    assert sum(value is shared_template for value in scanned) == 1
    assert hostvars.templated == ["phone_contacts"] * 3  # a template is still rendered as each host
    without = {host: inventory_variables({"hostvars": FakeHostVars(raw, rendered)}, host, bool) for host in raw}
    assert with_memo == without and with_memo["h1"]["phone_contacts"] == ["rendered"]


def test_unknown_hosts_are_listed():
    from ansible_collections.grandstream.phone.plugins.plugin_utils.ansible_vars import unknown_hosts
    hostvars = FakeHostVars({}, {"a": {}})
    assert unknown_hosts({"hostvars": hostvars}, ["a", "b"]) == ["b"]
    assert unknown_hosts({}, ["a"]) == ["a"]


@pytest.mark.parametrize("raw, rendered, path", [
    ("{{ no_such_variable }}", "{{ no_such_variable }}", "phone_host_pvalues"),
    ({"ntp.server": "{{ no_such_variable }}", "time.zone": "{{ zone }}"},
     {"ntp.server": "{{ no_such_variable }}", "time.zone": "GMT"}, "phone_host_pvalues.ntp.server"),
    ([{"name": "{{ who }}"}], [{"name": "{{ who }}"}], "phone_host_pvalues[0].name"),
])
def test_a_template_older_ansible_core_left_unrendered_is_refused_naming_where(raw, rendered, path):
    """ansible-core 2.16-2.18 give a template of an undefined variable back as its text (fail_on_undefined=False):
    compared as the desired value it would report a drift that is not the inventory's meaning."""
    from ansible.errors import AnsibleActionFail
    hostvars = FakeHostVars({"h": {"phone_host_pvalues": raw}}, {"h": {"phone_host_pvalues": rendered}})
    with pytest.raises(AnsibleActionFail, match=r"gs_fleet: %s holds a template ansible-core left unrendered"
                       % path.replace(".", r"\.").replace("[", r"\[").replace("]", r"\]")):
        inventory_variables({"hostvars": hostvars}, "h", lambda name: name.startswith("phone_"), caller="gs_fleet")


@pytest.mark.parametrize("raw, rendered", [
    ("{{ x }}", "x-value"),
    ("{% raw %}{{ literal }}{% endraw %}", "{{ literal }}"),  # rendered: the raw tags are gone
    ({"a": "{{ x }}", "b": "plain"}, {"a": "1", "b": "plain"}),
])
def test_a_rendered_template_is_taken_even_when_its_text_keeps_braces(raw, rendered):
    hostvars = FakeHostVars({"h": {"phone_pvalues": raw}}, {"h": {"phone_pvalues": rendered}})
    assert inventory_variables({"hostvars": hostvars}, "h", lambda name: name.startswith("phone_")) == {
        "phone_pvalues": rendered}


def test_an_unrendered_template_is_named_by_its_variables_never_by_its_literals():
    from ansible.errors import AnsibleActionFail
    raw = "{{ vault_admin | default('Hunter2-literal') }}"
    hostvars = FakeHostVars({"h": {"phone_admin_password": raw}}, {"h": {"phone_admin_password": raw}})
    with pytest.raises(AnsibleActionFail) as raised:
        inventory_variables({"hostvars": hostvars}, "h", lambda name: name.startswith("phone_"), caller="gs_fleet")
    assert "vault_admin" in str(raised.value) and "Hunter2-literal" not in str(raised.value)
