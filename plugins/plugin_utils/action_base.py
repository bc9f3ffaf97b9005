# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base class of every grandstream.phone action plugin: run the module's engine on the controller.

A phone has no Python and no SSH: the work is HTTP from the controller. Running the engine inside the
action plugin skips the per-task module packaging and process start (design section 5).
"""

from __future__ import annotations

__metaclass__ = type

from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_KEYS, HOST_VAR_PREFIX
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory, remember_own_start
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import engine_of
from ansible_collections.grandstream.phone.plugins.module_utils.runner import as_unreachable, execute, scrub
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import strings
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import SessionCache
from ansible_collections.grandstream.phone.plugins.module_utils.stop import stop_message, stopped_result
from ansible_collections.grandstream.phone.plugins.plugin_utils import jinja_plugins

display = Display()
# Ansible's strategy imports an action plugin's class in the controller's main process before it forks the task's
# workers: what is loaded here, every worker of every later task inherits instead of loading it again per host.
jinja_plugins.load_before_fork()
# Likewise the engines (each with its argument-spec validator, built once: engine_contract.py) and this process's
# start time, which names the run's login memory for every worker it forks (login_memory.run_directory).
remember_own_start()
# What ActionBase._get_diff_data shows of a diff under the task's no_log: Ansible's own words.
NO_LOG_DIFF = " [[ Diff output has been hidden because 'no_log: true' was specified for this result ]]\n"


class PhoneAction(ActionBase):
    """Subclasses set ENGINE to a module_utils engine file (one that declares ENGINE = Engine(...))."""

    ENGINE = None
    TRANSFERS_FILES = False
    _requires_connection = False

    def _host_var_defaults(self, task_vars):
        """Connection options from inventory: gs_<option> host vars, then ansible_host / inventory_hostname."""
        defaults = {}
        for key in CONNECTION_KEYS:
            name = HOST_VAR_PREFIX + key
            if name in task_vars:
                defaults[key] = self._templar.template(task_vars[name])
        if "host" not in defaults:
            host = task_vars.get("ansible_host") or task_vars.get("inventory_hostname")
            if host:
                defaults["host"] = self._templar.template(host)
        return defaults

    def _argument_messages(self, errors):
        """The argument spec's messages, worded as AnsibleModule words them ("Unsupported parameters for ...")."""
        return ["Unsupported parameters for (%s) module: %s" % (self._task.action, error.msg)
                if isinstance(error, UnsupportedError) else error.msg for error in errors]

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        engine = engine_of(self.ENGINE)
        args = self._host_var_defaults(task_vars)
        args.update((key, value) for key, value in self._task.args.items() if value is not None or key not in args)
        validated = engine.validate(args)
        no_log_values = validated._no_log_values
        stopped = self._stopped_by_caller(engine, args, no_log_values)
        if stopped is not None:
            return dict(result, **stopped)
        expanded = self._expanded_args(args, validated, task_vars) if not validated.error_messages else args
        if expanded is not args:  # after the stop: a stopped host's variables are never read
            validated = engine.validate(expanded)
            no_log_values = validated._no_log_values
        if validated.error_messages:
            result.update(failed=True, msg="; ".join(self._argument_messages(validated.errors)))
            return scrub(result, strings(no_log_values))
        host = args.get("host", "?")

        def log(message):
            display.vvv("grandstream.phone: %s" % message, host=host)

        def progress(message):
            display.display("[%s] %s" % (task_vars.get("inventory_hostname", host), message))

        session_cache = SessionCache.from_environment()
        # Also with the session cache off: the run's own memory keeps a refused password from being sent twice.
        outcome = execute(engine, validated.validated_parameters, bool(self._play_context.check_mode),
                          bool(self._play_context.diff), session_cache=session_cache, log=log,
                          secrets=no_log_values, progress=progress, login_memory=LoginMemory.for_run(session_cache))
        result.update(as_unreachable(outcome))
        return self._hide_diff_under_no_log(result)

    def _expanded_args(self, args, validated, task_vars):
        """The task's arguments to run with, once it is known not to be stopped: ``args`` itself, or (a subclass
        that reads some of them from the host's variables, gs_phone) a new mapping, validated again."""
        return args

    @staticmethod
    def _stopped_by_caller(engine, args, no_log_values):
        """stop_message given to a module that talks to a phone (doc fragment grandstream.phone.stop): the failed
        result, before the options' own errors and before any request (the caller's message says why this phone
        is not touched); else None."""
        message = stop_message(args) if engine.uses_connection else None
        if message is None:
            return None
        return scrub(stopped_result(message), strings(no_log_values))

    def _hide_diff_under_no_log(self, result):
        """Ansible censors a no_log task's result for the callbacks, but older ansible-core hands the diff to
        v2_on_file_diff uncensored: blank it as ActionBase._get_diff_data does for the file modules."""
        if self._task.no_log and isinstance(result.get("diff"), dict):
            result["diff"] = dict(before="", after=NO_LOG_DIFF)
        return result
