#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_pvalues
short_description: Declare P-values (configuration settings) of a Grandstream phone
version_added: 1.0.0
description:
  - Sets configuration values (P-values) of a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone through
    its Web API, idempotently.
  - Checks every name and value against the collection's P-value catalog before the first request and
    reports all problems at once, each naming its key, for example
    C(values.account1.transport) "must be one of udp(0), tcp(1), tls(2), got 'sctp'".
  - Reads the current values (in as few requests as the phone's URL limit allows), compares them in
    normalised form, writes only the values that differ in one request, then reads them back. A value the
    phone silently dropped (firmware answers success for read-only, out-of-range or over-length values and
    ignores them) fails the task, naming the value by alias and P-number.
  - A run with nothing to change makes one read request (plus one login when the play has no session yet).
  - Secret P-values (passwords, keys) are write-only; see O(update_secrets). They show as C(********)
    everywhere in the result. A phone never reads a secret's value back; some show whether one is set (a
    mask), others read every secret back empty. The task learns which from the admin password (P2, never
    empty on a phone one can log in to), read in the same request. A secret the phone cannot confirm is
    listed in RV(unverified), never as applied; where the phone shows set secrets, one that reads back
    unset right after the write was dropped and fails the task like any dropped value.
  - A value that needs a reboot (RV(reboot_required)) leaves a marker on the controller before it is
    written, so a reboot that fails or never runs is not forgotten; see RV(reboot_pending).
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  values:
    description:
      - The P-values to hold, as a mapping of name to value.
      - An empty mapping has nothing to compare - the task reports itself C(skipped), saying so in RV(ignore:msg),
        and contacts no phone (so the role's P-values task needs no C(when)).
      - A name is a catalog alias (V(account1.sip_server)), a P-number (V(P47)) or a bare number (V(47));
        the V(P) and aliases are case-insensitive. Naming one P-value twice (V(P47) and
        V(account1.sip_server)) is an error naming both keys.
      - Grandstream's own name of a value (the alias current firmware's C(config_get) answers with, which
        M(grandstream.phone.gs_info) returns as RV(grandstream.phone.gs_info#module:grandstream_aliases)) is
        taken too, where the catalog knows it (V(lcd.backlight.timeout) for P1413,
        V(lcd.backlight.brightness.active) for P334; no Grandstream-published table of the others was found).
        It names the same value as our alias; results still name it by our alias.
      - Values are normalised by the catalog type before comparing. Switches accept V(true)/V(false),
        V(yes)/V(no), V(on)/V(off) and V(1)/V(0). Numeric choices accept the code or its name
        (V(account1.transport) takes V(udp), V(tcp), V(tls) or V(0), V(1), V(2); V(time.format) takes
        V(12h)/V(24h)). Integers are compared as numbers (V(060) equals V(60)). Ports must be 1 to 65535;
        host fields take a name or address with an optional V(:port) and V("") to clear them.
      - Read-only values (V(device.mac), V(device.firmware), V(device.model)) are refused.
      - P-numbers the catalog does not know are written and compared as plain strings, without
        validation (see O(strict)). Their values are not treated as secrets, so use aliases (or
        C(no_log)) for anything sensitive.
      - Values the catalog marks for particular models (accounts 3 to 6 on the GXV models only, V(wifi.key)
        on the WP820 only) are refused on other models, before anything is written; the model is read in
        the same request as the values.
      - The catalog with every alias, type and range is C(schemas/pvalue-catalog.json) in the collection.
      - Exactly one of O(values) and O(layers) is required.
    type: dict
  layers:
    description:
      - The P-values to hold as the layers of the role C(grandstream.phone.phone), instead of O(values) - a
        mapping of the layer variables by name, C(phone_pvalues), C(phone_model_pvalues) (model to P-values),
        C(phone_group_pvalues), C(phone_pvalues_layers) with each C(phone_layer_<name>) it lists, and
        C(phone_host_pvalues); a layer left out is empty. The lookup
        C(query('grandstream.phone.desired_pvalues', layers=true)) gives them.
      - They are merged in that order, a later layer winning value by value, by the same code as the role's
        merge everywhere else (C(docs/layers.md)) - the model layer sits between the site and the group layer,
        which is why the layers are given apart and not merged by the caller.
      - The entry of C(phone_model_pvalues) is chosen by O(model). Without O(model), and only when
        C(phone_model_pvalues) is not empty, the task learns the model in its own session without an extra
        request - from the current firmware's unauthenticated C(model.define.js) answer the client already
        has, else from P89 (V(device.model)), read in the same request as the values (the names of every
        model's entry are read in it). A phone that reports no model then fails, naming
        C(phone_model_pvalues). A model without an entry has no model layer.
      - The merged P-values are taken as O(values) is; nothing desired after the merge has nothing to compare
        (C(skipped), no request, when no model had to be learned).
    type: dict
  model:
    description:
      - The phone's model (for example the inventory's C(gs_model)), choosing the entry of
        C(phone_model_pvalues) in O(layers) without learning it from the phone.
      - Only with O(layers).
    type: str
  update_secrets:
    description:
      - When secret values are written. A secret's value is never compared with the phone, as no phone reads it
        back. Some phones show whether a secret is set (a mask), others read every secret back empty.
      - V(on_create) on a phone that shows set secrets decides on the secret's own state. It writes a secret
        the phone does not have (or has, when the value given is empty), and renews one when this task
        changes what it belongs to (an account's SIP server, SIP user ID or authenticate ID; the
        V(provisioning.config_server_path) of V(provisioning.xml_config_password)). A secret the phone has
        is left alone, so an existing account keeps its password and the task stays idempotent. Login
        passwords are always set, so V(on_create) never writes V(admin_password) or V(user_password)
        (a warning says so; use M(grandstream.phone.gs_password)).
      - V(on_create) on a phone that reads every secret back empty cannot know. An account password
        (V(account1.password)) is written when the phone has no SIP user ID for that account yet (a new
        account) or the account's identity changes as above, V(provisioning.xml_config_password) when its
        path changes. Secrets with no such sibling (V(admin_password), V(user_password), V(wifi.key), and
        V(provisioning.xml_config_password) without its path) are not written and the task returns a
        warning. Every secret on such a phone is listed in RV(unverified), written or not.
      - Nothing about secrets is stored on the controller.
      - V(always) writes every secret given on every run, so the task then always reports C(changed).
    type: str
    choices: [on_create, always]
    default: on_create
  strict:
    description:
      - Refuse P-numbers that are not in the catalog instead of passing them through as plain strings.
    type: bool
    default: false
attributes:
  check_mode:
    description: Reads the phone and reports what would change; writes nothing.
    support: full
  diff_mode:
    description: Shows the changed values before and after; secrets as C(********).
    support: full
notes:
  - Changing V(web.access_mode), an account's V(transport) or V(account1.local_sip_port) takes effect after a
    reboot; the result's RV(reboot_required) says so, for a handler to act on. Until a reboot of the phone
    is seen (M(grandstream.phone.gs_sysop) with O(grandstream.phone.gs_sysop#module:wait=true), or the
    phone's uptime shows it booted after the write), later runs return RV(reboot_pending) and
    RV(reboot_required) true, also in check mode. The marker is a file per phone in C(reboot-pending/) of
    the session cache directory (E(GS_SESSION_CACHE_DIR), default C(~/.cache/grandstream.phone/sessions));
    another controller, or a CI runner that does not keep that directory, does not see it.
  - Writing the admin or user password of the connection's own user through this module keeps the rest of the
    play working with the new password, but the inventory must be updated for the next play;
    M(grandstream.phone.gs_password) is the idempotent way to manage login passwords.
seealso:
  - module: grandstream.phone.gs_info
  - module: grandstream.phone.gs_password
"""

EXAMPLES = r"""
- name: Account 1 and the clock, with catalog aliases
  grandstream.phone.gs_pvalues:
    password: "{{ phone_admin_password }}"
    values:
      account1.active: true
      account1.name: Reception
      account1.sip_server: pbx.example.com
      account1.sip_user_id: "1001"
      account1.auth_id: "1001"
      account1.password: "{{ vault_sip_password_1001 }}"  # written when the account is new
      account1.transport: tls
      account1.register_expiration: 60
      ntp.server: ntp.example.com
      time.format: 24h
  register: phone_config

- name: The role's P-value layers, the model layer chosen by the model the phone reports (no extra request)
  grandstream.phone.gs_pvalues:
    layers:
      phone_pvalues: {ntp.server: ntp.example.com, display.language: en}
      phone_model_pvalues:
        GXV3370: {display.language: de}
      phone_group_pvalues: {time.zone: CET-1CEST}
    model: "{{ gs_model | default(omit) }}"

- name: Credentials once per play for every module of the collection; raw P-numbers work too
  module_defaults:
    group/grandstream.phone.phone:
      username: admin
      password: "{{ phone_admin_password }}"
      ca_path: files/phone-ca.pem
  block:
    - name: Syslog and a setting the catalog does not know yet
      grandstream.phone.gs_pvalues:
        values:
          P207: syslog.example.com:514
          P8999: "1"

    - name: Rotate the SIP password of account 2 on every run
      grandstream.phone.gs_pvalues:
        values:
          account2.password: "{{ vault_sip_password_2002 }}"
        update_secrets: always

- name: Report drift without changing anything
  grandstream.phone.gs_pvalues:
    values: "{{ phone_pvalues }}"
    strict: true
  check_mode: true
  diff: true
  register: drift

- name: Reboot when a changed value needs it (the SIP transport, for example), also when an earlier
    run's reboot failed
  grandstream.phone.gs_sysop:
    operation: reboot
    wait: true  # a reboot seen through ends the pending one
  when: phone_config.reboot_required

- name: As a handler, notify it also for a pending reboot (nothing is written then, so changed is false)
  grandstream.phone.gs_pvalues:
    values: "{{ phone_pvalues }}"
  register: phone_config
  changed_when: phone_config.changed or phone_config.reboot_pending
  notify: Reboot phone

- name: The backlight by Grandstream's own name (the result names it display.backlight_brightness)
  grandstream.phone.gs_pvalues:
    values:
      lcd.backlight.brightness.active: 80
"""

RETURN = r"""
before:
  description:
    - Every managed value as the phone had it, normalised (switches as V(1)/V(0), choices as their code).
    - Keyed by catalog alias; names the catalog does not know are keyed by P-number (V(P8999)).
    - Secrets are always C(********).
  returned: success
  type: dict
  sample: {account1.sip_server: old-pbx.example.com, account1.transport: "0", account1.password: "********"}
after:
  description:
    - Every managed value as the phone has it after the task (in check mode, as it would have it).
    - Same keys and masking as RV(before).
  returned: success
  type: dict
  sample: {account1.sip_server: pbx.example.com, account1.transport: "2", account1.password: "********"}
commands:
  description:
    - The write that was sent (in check mode, would be sent), as C(set name=value, ...) by P-number; secrets
      show as C(********). Empty when nothing changed.
  returned: success
  type: list
  elements: str
  sample: ["set P47=pbx.example.com, P130=2, P34=********"]
changes:
  description:
    - The values that were (in check mode, would be) written, keyed like RV(before).
    - Empty when nothing changed.
  returned: success
  type: dict
  sample:
    account1.sip_server: {pvalue: P47, before: old-pbx.example.com, after: pbx.example.com}
    account1.password: {pvalue: P34, before: "********", after: "********", secret: true,
                        reason: written again because account1.sip_server changes}
  contains:
    pvalue:
      description: The P-number of the value.
      type: str
      sample: P47
    before:
      description: The value before the task; C(********) for a secret.
      type: str
    after:
      description: The value written; C(********) for a secret.
      type: str
    secret:
      description: Present and V(true) when the value is a secret, which is written without comparing.
      type: bool
      returned: for secrets
    reason:
      description:
        - Why a secret is written, since its value is never compared, for example C(written again because
          account1.sip_server changes), C(written because the phone has none set) or
          C(written because update_secrets=always).
      type: str
      returned: for secrets
      sample: written again because account1.sip_server changes
reboot_required:
  description:
    - V(true) when a changed value only takes effect after a reboot (web access mode, SIP transport,
      local SIP port), or a reboot is still pending (RV(reboot_pending)).
  returned: success
  type: bool
  sample: false
reboot_pending:
  description:
    - V(true) while the phone holds a value written by this controller that needs a reboot it has not had
      yet, including the value this task just wrote. A task that finds a pending reboot from an earlier run
      also returns a warning. C(changed) stays V(false) when nothing was written; use
      C(changed_when) with C(result.changed or result.reboot_pending) to notify a reboot handler (the role does).
    - Ends when M(grandstream.phone.gs_sysop) reboots or resets the phone with
      O(grandstream.phone.gs_sysop#module:wait=true) and sees it go down and come back, or when the
      phone's uptime (asked once, only while a reboot is pending) shows it booted after the write.
  returned: success, and on a not_applied failure
  type: bool
  sample: true
reboot_pending_values:
  description: The values waiting for the reboot, by alias and P-number.
  returned: when RV(reboot_pending) is true
  type: list
  elements: str
  sample: ["account1.transport (P130)"]
reboot_pending_since:
  description: When the first of them was written (UTC, ISO 8601).
  returned: when RV(reboot_pending) is true
  type: str
  sample: "2026-12-01T09:00:00Z"
unverified:
  description:
    - Secrets whose state the phone could not confirm, by alias and P-number; never listed as applied.
    - On a phone that reads every secret back empty, every managed secret, written or not (a written one
      also gets a warning and shows as V(******** (written, unverified\)) in the diff).
    - On a phone that shows whether a secret is set, a secret written over one that was already set (the
      new value cannot be told from the old).
  returned: success, and on a not_applied failure
  type: list
  elements: str
  sample: ["account1.password (P34)"]
model:
  description: The phone model, read in the same request as the values; absent for a model the catalog does not know.
  returned: success, when the model is known
  type: str
  sample: GXV3370
model_layer:
  description:
    - With O(layers), the model whose entry of C(phone_model_pvalues) was merged - O(model), or the model the
      phone reported when it had to be learned.
  returned: with O(layers), when an entry of C(phone_model_pvalues) was merged
  type: str
  sample: GXV3370
firmware:
  description:
    - What the phone reports about its firmware, read in the same request as the values (no extra request),
      so a later M(grandstream.phone.gs_health) can judge firmware compliance without reading again.
  returned: success, when there were values to manage
  type: dict
  contains:
    version:
      description: The firmware version (C(P68)).
      type: str
    model:
      description: The model as reported (C(P89)).
      type: str
    hardware_revision:
      description: The hardware revision (C(hw_rev)); empty when the phone does not say.
      type: str
  sample: {version: 1.0.3.48, model: GXV3370, hardware_revision: V1.2A}
diff:
  description:
    - The changed values only, before and after, as shown by C(--diff). A written secret shows as
      V(******** (written\)) on the after side, or V(******** (written, unverified\)) when the phone
      could not confirm it.
  returned: when changed and diff mode is on
  type: dict
  sample: {before: {account1.sip_server: old-pbx.example.com}, after: {account1.sip_server: pbx.example.com}}
not_applied:
  description:
    - On failure because the phone dropped written values, the values that did not stick, named by alias and P-number.
  returned: when written values did not stick
  type: list
  elements: str
  sample: ["account1.sip_server (P47)"]
applied:
  description:
    - On that failure, the values that were written and read back correctly. A secret is listed only when
      the phone showed it set after the write where it was unset before; otherwise it is in RV(unverified).
    - The task reports C(changed) on that failure, as the write reached the phone.
  returned: when written values did not stick
  type: list
  elements: str
  sample: ["ntp.server (P30)"]
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 2, logins: 1, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import pvalues
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(pvalues)


if __name__ == "__main__":
    main()
