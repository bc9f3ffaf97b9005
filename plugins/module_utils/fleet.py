# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_fleet: a drift check of every phone of a play batch in one task, in a bounded thread pool.

Ansible costs tens of milliseconds of controller CPU per host and task before a module does anything
(docs/performance.md), far more than the HTTP work of a no-change drift check. Here one task runs, for each
phone, what the role's drift check runs, with the same pieces: the same validator as gs_validate
(vars_validation), then the same engines as gs_pvalues and gs_contacts (pvalues, contacts_with_groups) in
check mode, through one PhoneClient per phone (one login; the login memory keeps a refused password from
being sent again). It never writes, whatever the play's mode: applying stays per host.

The desired state of a phone is the role's: its defaults (roles/phone/defaults/main.yml, read from the role
itself) under the phone's own ``phone_*`` variables, mapped to the engines' options by the role's own mapping
(``desired_params``: phone_state.options_from_variables). Each phone's result is scrubbed with its own secrets.
"""

from __future__ import annotations

__metaclass__ = type

import copy
from concurrent.futures import ThreadPoolExecutor


from ansible_collections.grandstream.phone.plugins.module_utils import (
    contacts_with_groups, desired_state, fleet_processes, phone_state, pvalues, vars_validation)
from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import connection_params
from ansible_collections.grandstream.phone.plugins.module_utils.errors import UNREACHABLE, PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine, engine_of, never
from ansible_collections.grandstream.phone.plugins.module_utils.runner import scrub
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import strings
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import controller_key

DEFAULT_FORKS = 20
# The engines a drift check runs per phone, in the role's order, by the module name the drift report shows.
ENGINES = (("gs_contacts", contacts_with_groups), ("gs_pvalues", pvalues))
STATUSES = ("drifted", "clean", "failed", "unreachable")
# What an engine's result keeps when it found nothing to change and did not fail: what the drift report and a
# following task read of a clean phone. Its before / after (equal, and the desired state) and the phone's model
# and firmware are left out: kept for 5,000 phones they made most of the task's result, which Ansible copies,
# serialises and cleans in its main process (docs/performance.md, "The fleet path").
CLEAN_RESULT_KEYS = ("changed", "reboot_pending", "unverified", "warnings", "requests")

ARGUMENT_SPEC = dict(
    hosts=dict(type="list", elements="str"),
    forks=dict(type="int", default=DEFAULT_FORKS),
    # 0: one per usable core for a large batch (fleet_processes.process_count); 1: threads in one process only.
    processes=dict(type="int", default=0),
)


def role_defaults():
    """The phone role's defaults: what a host's desired state is when it does not set a variable (the model's,
    from which roles/phone/defaults/main.yml is generated)."""
    return copy.deepcopy(desired_state.ROLE_DEFAULTS)


def desired_params(variables, defaults):
    """{module: its options} for the engines this phone's desired state needs: the parts of the role's gs_phone
    task (phone_state.options_from_variables, the one mapping of the role's variables), without the passwords (a
    check would cost gs_password a login of its own), and only those with something to compare, so a phone with
    nothing desired gets no login. The P-value layers go to gs_pvalues apart, as the role gives them: it merges
    them, the model layer by gs_model or by the model the phone reports in the same read (no extra request)."""
    options = phone_state.options_from_variables(variables, defaults)
    params = {}
    if not contacts_with_groups.nothing_desired(options["phonebook"]):
        params["gs_contacts"] = options["phonebook"]
    if pvalues.needs_phone(options["pvalues"]):
        params["gs_pvalues"] = options["pvalues"]
    return params


def _engine_of(module):
    return engine_of(dict(ENGINES)[module])


def _host_secrets(variables, validated_no_log, memo=None):
    """Every secret this phone's variables and options hold: its result is scrubbed with these, not another's."""
    secrets = strings(validated_no_log)
    secrets.update(strings(vars_validation.secret_values({"data": variables}, memo=memo)))
    for key in ("phone_admin_password", "phone_user_password", "phone_user_current_password", "gs_password"):
        if isinstance(variables.get(key), str) and variables[key]:
            secrets.add(variables[key])
    return secrets


def compact(result):
    """An engine's result as the fleet returns it: whole when it changed, failed or waits for a reboot, else only
    CLEAN_RESULT_KEYS."""
    if result.get("changed") or result.get("failed") or result.get(UNREACHABLE) or result.get("reboot_pending"):
        return result
    return {key: result[key] for key in CLEAN_RESULT_KEYS if result.get(key) not in (None, [], {})}


def _failed(message, **extra):
    return dict(extra, status="failed", msg=message, results={})


def check_host(name, variables, connection, defaults, diff=True, session_cache=None, login_memory=None, log=None,
               memo=None):
    """One phone's drift check: ({status, msg?, results: {module: result}, requests}, secrets). Never raises.

    The entry is not scrubbed yet: the caller scrubs it with ``secrets`` (this phone's own, and everything the
    engines' runner would scrub with), once, after its clean results were compacted.

    ``memo``: the batch's vars_validation.ValidationMemo (a layer shared by many phones is validated once)."""
    problems = vars_validation.validation_errors(variables, memo=memo)
    if problems:
        return _failed(vars_validation.stop_messages({name: problems}, [name], True)[name],
                       problems=problems), _host_secrets(variables, ())
    modules = desired_params(variables, defaults)
    validated, no_log = {}, set()
    for module, options in modules.items():
        engine = _engine_of(module)
        args = dict(connection)
        args.update(options)
        outcome = engine.validate(args)
        no_log.update(outcome._no_log_values)
        if outcome.error_messages:
            return _failed("%s: %s" % (module, "; ".join(outcome.error_messages))), _host_secrets(variables, no_log)
        validated[module] = outcome.validated_parameters
    secrets = _host_secrets(variables, no_log, memo)
    for module, params in validated.items():  # what execute() would scrub with: the entry is scrubbed with it
        secrets.update(_engine_of(module).secret_values(params, no_log))
    if not validated:
        return {"status": "clean", "results": {}, "msg": "no desired state to compare"}, secrets
    try:
        conn = connection_params(next(iter(validated.values())))
    except PhoneError as error:  # no password, no host: nothing was sent
        return _failed(str(error)), secrets
    client = PhoneClient(conn, session_cache=session_cache, log=log, login_memory=login_memory)
    try:
        # The same run of the parts as gs_phone's (its stopping rules); not scrubbed here: the caller scrubs the
        # whole entry, with ``secrets``, once it is compacted.
        ran, failures, unused = phone_state.run_parts(
            client, [(module, _engine_of(module), params) for module, params in validated.items()], True, diff)
    finally:
        client.close()
    results = {module: compact(result) for module, result in ran.items()}
    unreachable = [module for module, result in ran.items() if result.get(UNREACHABLE)]
    status, message = "clean", None
    if unreachable:
        status, message = "unreachable", ran[unreachable[0]].get("msg")
    elif failures:
        status, message = "failed", "%s: %s" % (failures[-1], ran[failures[-1]].get("msg", "failed"))
    elif any(result.get("changed") or result.get("reboot_pending") for result in ran.values()):
        status = "drifted"
    entry = {"status": status, "results": results, "requests": dict(client.stats)}
    if message:
        entry["msg"] = message
    return entry, secrets


def run_fleet(hosts, forks=DEFAULT_FORKS, diff=True, session_cache=None, login_memory=None, log=None,
              processes=1, inputs=None):
    """Check every phone of ``hosts`` ({name: {"variables": ..., "connection": ...}}) with ``forks`` threads,
    spread over ``processes`` processes (fleet_processes.process_count; 1: this process only).

    ``inputs``: with ``hosts`` a list of names, ``inputs(name)`` gives that phone's {"variables", "connection"};
    it is called in the process that checks the phone, before its threads start (gs_fleet: reading a host's
    variables through hostvars is a good part of the work, so it is spread over the processes too)."""
    defaults = role_defaults()
    names = list(hosts)
    read = inputs or hosts.__getitem__
    count = fleet_processes.process_count(len(names), processes) if names else 1
    if count > 1 and session_cache is not None:
        controller_key(session_cache.directory)  # read or created once, before the fork: one key for every child
    threads = max(1, -(-int(forks or 1) // count))  # ``forks`` phones at a time, over all the processes

    def check_names(part, part_log):
        memo = vars_validation.ValidationMemo()
        read_in = {}
        for name in part:  # in this process's one thread: Ansible's variable manager is not read from threads
            try:
                read_in[name] = read(name)
            except Exception as error:  # pylint: disable=broad-except
                read_in[name] = error

        def one(name):
            host = read_in[name]
            if isinstance(host, Exception):
                return name, _failed("could not read this host's variables: %s" % host)
            try:
                entry, secrets = check_host(name, host["variables"], host["connection"], defaults, diff=diff,
                                            session_cache=session_cache, login_memory=login_memory, log=part_log,
                                            memo=memo)
            except Exception as error:  # a bug for one phone must not hide the others' results
                entry, secrets = _failed("unexpected error: %s" % error), _host_secrets(host["variables"], ())
            return name, scrub(entry, secrets)

        with ThreadPoolExecutor(max_workers=max(1, min(threads, len(part) or 1))) as pool:
            return dict(pool.map(one, part))

    per_host = fleet_processes.check_in_processes(names, count, check_names, log or (lambda message: None),
                                                  _failed)
    return dict(summarise({name: per_host[name] for name in names}), processes=count)


def summarise(per_host):
    """The task result: each phone's entry, and the phones of each status (for the tasks that follow)."""
    # <status>_hosts, never failed / unreachable themselves: Ansible would read those keys as this task's own.
    lists = {status + "_hosts": sorted(name for name, entry in per_host.items() if entry["status"] == status)
             for status in STATUSES}
    reboot = sorted(name for name, entry in per_host.items()
                    if any(result.get("reboot_pending") for result in entry["results"].values()))
    counts = ", ".join("%d %s" % (len(lists[status + "_hosts"]), status) for status in STATUSES)
    return dict(changed=bool(lists["drifted_hosts"]), fleet=per_host, reboot_pending_hosts=reboot,
                msg="%d phone(s): %s" % (len(per_host), counts), **lists)


def run(client, params, check_mode):
    raise ValidationError("gs_fleet needs its action plugin (it reads every host's variables)",
                          field="hosts")


# No connection options: each phone's connection comes from its own variables, and the engine builds one
# client per phone itself.
ENGINE = Engine("fleet", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=False, needs_phone=never)
