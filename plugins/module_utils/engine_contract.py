# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine contract: what every module's engine declares, checked when the engine is imported.

Each engine file ends with ``ENGINE = Engine(...)``. The action plugins (``ENGINE = <engine file>``) and the
module files (``run_module(<engine file>)``) hand over the engine file; ``engine_of`` takes its ``ENGINE`` and
fails loudly when there is none. Every hook is a keyword argument, so a misspelled one is a ``TypeError`` at
import, and a missing required one too; nothing is looked up by name with a silent default.
"""

from __future__ import annotations

__metaclass__ = type

from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.grandstream.phone.plugins.module_utils import secrets
from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_SPEC
from ansible_collections.grandstream.phone.plugins.module_utils.stop import STOP_SPEC

# The option relations AnsibleModule and ArgumentSpecValidator both accept as keyword arguments.
SPEC_RELATIONS = ("mutually_exclusive", "required_one_of", "required_if", "required_by", "required_together")


def always(params):
    return True


def never(params):
    return False


def nothing_to_precheck(params, conn):
    return None


class Engine:
    """One module's engine.

    - ``argument_spec``: the module's options, without the connection ones.
    - ``run(client, params, check_mode) -> result dict`` (docs/architecture.md, "The engine contract").
    - ``uses_connection``: whether the module takes the connection options (CONNECTION_SPEC) and stop_message
      (stop.py); required, so each engine says it.
    - ``needs_phone(params)``: False when this call needs no phone (``state: rendered``); no client is built.
    - ``relations``: mutually_exclusive, required_if, ... (``SPEC_RELATIONS``).
    - ``secret_pvalues``: paths to the P-value mappings in the options (``("values",)``, ``("server",
      "values")``) whose secret values (the catalog's flag) are scrubbed from every output.
    - ``secret_values(params)``: further secret strings, for secrets that are not in a P-value mapping.
    - ``precheck(params, conn)``: raises a ValidationError for what ``run`` would refuse before its first request,
      so a caller running several engines on one phone (gs_phone) refuses bad input before any of them acts.
    """

    __slots__ = ("name", "argument_spec", "run", "uses_connection", "needs_phone", "relations", "secret_pvalues",
                 "precheck", "_more_secrets", "_validator", "_options_validator")

    def __init__(self, name, *, argument_spec, run, uses_connection, needs_phone=always, relations=None,
                 secret_pvalues=(), secret_values=None, precheck=None):
        if not isinstance(argument_spec, dict) or not callable(run) or not callable(needs_phone):
            raise TypeError("engine %s: argument_spec must be a dict, run and needs_phone callables" % name)
        if not isinstance(uses_connection, bool):
            raise TypeError("engine %s: uses_connection must be True or False" % name)
        unknown = sorted(set(relations or {}) - set(SPEC_RELATIONS))
        if unknown:
            raise TypeError("engine %s: unknown option relation(s) %s" % (name, ", ".join(unknown)))
        for path in secret_pvalues:
            _check_path(name, argument_spec, path)
        self.name = name
        self.argument_spec = argument_spec
        self.run = run
        self.uses_connection = uses_connection
        self.needs_phone = needs_phone
        self.relations = dict(relations or {})
        self.secret_pvalues = tuple(tuple(path) for path in secret_pvalues)
        self._more_secrets = secret_values
        self.precheck = precheck or nothing_to_precheck
        # Built once, when the engine file is imported: the action plugins import it in the controller's main
        # process before it forks the task's workers, so no worker builds it again (it only reads it).
        self._validator = ArgumentSpecValidator(self.module_argument_spec, **self.relations)
        # Its own options only: gs_phone validates the connection once and each engine's options with this.
        self._options_validator = ArgumentSpecValidator(self.argument_spec, **self.relations)

    @property
    def module_argument_spec(self):
        """The module's whole argument spec: the connection options and stop_message (when it talks to a phone)
        and its own."""
        spec = dict(CONNECTION_SPEC, **STOP_SPEC) if self.uses_connection else {}
        spec.update(self.argument_spec)
        return spec

    def validate(self, args):
        """Ansible's own validation of ``args`` (types, defaults, relations and the no_log values).

        On builtin types: the validator deep-copies what it is given, and a copy of ansible-core's marked
        strings and numbers (data tags, unsafe text) takes Python's slow generic path, for every value of
        every task (docs/performance.md, "Inside a module task's worker")."""
        return self._validator.validate(plain_data(args))

    def validate_options(self, options):
        """``validate`` for the engine's own options alone (no connection options, no stop_message)."""
        return self._options_validator.validate(plain_data(options))

    def secret_values(self, params, no_log_values=()):
        """Every secret string this task knows: the no_log options' values (Ansible's own list), the secret
        P-values at ``secret_pvalues`` and what the engine's ``secret_values`` adds."""
        found = secrets.strings(no_log_values)
        for path in self.secret_pvalues:
            found.update(secrets.values_in_pvalues(_at(params, path)))
        if self._more_secrets is not None:
            found.update(secrets.strings(self._more_secrets(params)))
        return found

    def __repr__(self):
        return "Engine(%s)" % self.name


_PLAIN = (str, int, float, bool, type(None))


def plain_data(value):
    """``value`` with every mapping, list and tuple rebuilt and every string and number of a subclass (ansible-core's
    tagged or unsafe values) made its builtin type; anything else as it is. Engines read values, never marks."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, Mapping):
        return {plain_data(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [plain_data(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    # The builtin's own conversion, not the subclass's: a copy of exactly that type (bool is never subclassed).
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    return value


def _check_path(name, argument_spec, path):
    spec = {"options": argument_spec}
    for part in path:
        spec = (spec.get("options") or {}).get(part)
        if spec is None:
            raise TypeError("engine %s: secret_pvalues path %s names no option" % (name, ".".join(path)))


def _at(params, path):
    value = params
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def engine_of(engine_file):
    """The Engine an engine file declares (or ``engine_file`` itself when it is one)."""
    if isinstance(engine_file, Engine):
        return engine_file
    engine = getattr(engine_file, "ENGINE", None)
    if not isinstance(engine, Engine):
        raise TypeError("%s declares no ENGINE = Engine(...) (plugins/module_utils/engine_contract.py)"
                        % getattr(engine_file, "__name__", engine_file))
    return engine
