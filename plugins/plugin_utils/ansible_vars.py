# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How an action plugin reads another host's variables: the one place that knows Ansible's API for it.

Two questions, two answers:

- ``inventory_variables``: what ``hostvars[host]`` shows (inventory, ``group_vars``, ``host_vars``, facts and
  registered values; never play vars, ``vars_files``, role defaults or role parameters). Public API only: the
  ``hostvars`` of ``task_vars`` and its ``raw_get`` (a public method of ``HostVars`` in every supported
  ansible-core, 2.16 to 2.21). ``hostvars[host][name]`` templates the whole value on every access (~1 ms per
  host of the gs_fleet benchmark's inventory on 2.19), so a value that holds no template is taken as it is, and
  only a value that may hold one is read through ``hostvars[host][name]``: the same values, at a fraction of
  the cost for a fleet whose desired state is plain data.
- ``task_variables``: what a task of this play sees on ``host``, play vars, role defaults and parameters
  included. No public API gives that for another host than the task's own; it is the one private call,
  ``HostVars._variable_manager.get_vars(...)``, the call Ansible itself makes for each host and task. It lives
  here alone, with a test on the oldest and the newest supported ansible-core
  (``tests/integration/test_ansible_vars.py``, run by ``make matrix-ends``), so a release that changes it fails
  that test, not a user's play.

The values returned are Ansible's own objects: read them, never change them.
"""

from __future__ import annotations

__metaclass__ = type

from ansible.errors import AnsibleActionFail

# A value holding one of these may be a Jinja template (Ansible's defaults; a play changing them is not supported).
_TEMPLATE_MARKS = ("{{", "{%", "{#")


def may_hold_template(value):
    """Whether ``value`` (any YAML data) holds a string that may be a template: such a value is templated."""
    if isinstance(value, str):
        return any(mark in value for mark in _TEMPLATE_MARKS)
    if isinstance(value, dict):
        return any(may_hold_template(key) or may_hold_template(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(may_hold_template(item) for item in value)
    return False


def _plain(value, plain):
    """Whether ``value`` holds no template, once per object with the batch's ``plain`` memo."""
    if plain is None or not isinstance(value, (dict, list, tuple)):
        return not may_hold_template(value)
    known = plain.get(id(value))
    if known is None or known[0] is not value:
        known = plain[id(value)] = (value, not may_hold_template(value))
    return known[1]


def unknown_hosts(task_vars, hosts):
    """The names of ``hosts`` that are not hosts of this inventory (``hostvars`` does not know them)."""
    hostvars = (task_vars or {}).get("hostvars")
    return [host for host in hosts if hostvars is None or host not in hostvars]


def _hostvars(task_vars, host, caller):
    hostvars = (task_vars or {}).get("hostvars")
    if hostvars is None or host not in hostvars:
        raise AnsibleActionFail("%s: %r is not a host of this inventory" % (caller, host))
    return hostvars


def inventory_variables(task_vars, host, wanted, caller="grandstream.phone", plain=None):
    """{name: value} of ``host``'s variables whose name ``wanted(name)`` accepts, as ``hostvars[host]`` shows them.

    ``plain``: a dict kept over a batch of hosts, {id(value): (value, holds no template)}: a group variable is
    one object in every host's raw variables, so it is scanned for templates once per batch (the dict holds
    the value, so its id is not reused while the dict lives). Raises AnsibleActionFail for a host that is not
    in the inventory.
    """
    hostvars = _hostvars(task_vars, host, caller)
    raw_get = getattr(hostvars, "raw_get", None)
    raw = raw_get(host) if raw_get is not None else None
    if not isinstance(raw, dict):  # no raw_get, or not a mapping (an undefined host): the templating path
        view = hostvars[host]
        return {name: view[name] for name in view.keys() if wanted(name)}
    selected = {name: value for name, value in raw.items() if wanted(name)}
    templated = [name for name, value in selected.items() if not _plain(value, plain)]
    if templated:
        view = hostvars[host]
        for name in templated:
            rendered = view[name]
            _refuse_unrendered(name, selected[name], rendered, caller=caller)
            selected[name] = rendered
    return selected


def _template_names(template):
    """The variable names a Jinja template refers to (no literal of it), or [] when it does not parse."""
    try:
        from jinja2 import Environment, meta
        return sorted(meta.find_undeclared_variables(Environment().parse(template)))
    except Exception:  # pylint: disable=broad-except  # only words for a message: an unparsable template names none
        return []


def _refuse_unrendered(name, raw, rendered, path=None, caller="grandstream.phone"):
    """Raise AnsibleActionFail where ``rendered`` still holds a template string exactly as ``raw`` had it.

    ansible-core before 2.19 renders ``hostvars[host][name]`` with ``fail_on_undefined=False``: a template of an
    undefined variable comes back as its own text, which a drift check would then compare as the desired value.
    2.19 and later raise instead. A template that rendered always differs from its text (even a ``{% raw %}``
    block loses its tags), so an unchanged string holding a template mark is one Ansible did not render.
    """
    path = path or name
    if isinstance(raw, str):
        if rendered == raw and may_hold_template(raw):
            # The variables the template names, never its text: a literal in it (a default password) may be secret.
            raise AnsibleActionFail("%s: %s holds a template ansible-core left unrendered (an undefined variable "
                                    "among: %s)" % (caller, path, ", ".join(_template_names(raw)) or "none named"))
    elif isinstance(raw, dict) and isinstance(rendered, dict):
        for key, item in raw.items():
            if key in rendered:
                _refuse_unrendered(name, item, rendered[key], "%s.%s" % (path, key), caller)
    elif isinstance(raw, (list, tuple)) and isinstance(rendered, (list, tuple)) and len(raw) == len(rendered):
        for index, (item, done) in enumerate(zip(raw, rendered)):
            _refuse_unrendered(name, item, done, "%s[%d]" % (path, index), caller)


def inventory_variable(task_vars, host, name, default=None, caller="grandstream.phone"):
    """One variable of ``host`` as ``hostvars[host]`` shows it, or ``default``."""
    found = inventory_variables(task_vars, host, lambda candidate: candidate == name, caller)
    return found.get(name, default)


def task_variables(task, templar, host, task_vars, caller="grandstream.phone"):
    """The variables ``task`` sees on ``host`` (play vars, role defaults and parameters included), and a templar
    that resolves them as that host; for the task's own host, ``task_vars`` and ``templar`` themselves.

    Raises AnsibleActionFail for a host that is not in the inventory.
    """
    if host == task_vars.get("inventory_hostname"):
        return task_vars, templar
    hostvars = _hostvars(task_vars, host, caller)
    manager = getattr(hostvars, "_variable_manager", None)
    inventory = getattr(hostvars, "_inventory", None)
    if manager is None or inventory is None or inventory.get_host(host) is None:
        raise AnsibleActionFail("%s: %r is not a host of this inventory" % (caller, host))
    variables = manager.get_vars(play=task.get_play(), host=inventory.get_host(host), task=task,
                                 _hosts=task_vars.get("ansible_play_batch"),
                                 _hosts_all=task_vars.get("ansible_play_hosts_all"))
    return variables, templar.copy_with_new_env(available_variables=variables)
