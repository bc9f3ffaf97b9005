# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_phonebook: download the phonebook XML, return it parsed, optionally save it to ``dest``.

``dest`` is written only when its content or mode differs (atomically: a temporary file in the same
directory, then a rename), never in check mode, and never before the document parsed safely: a
hostile or malformed download fails the task without touching the file.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib

from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.files import check_destination, parse_mode, sync_file
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import (
    parse_phonebook, present_phonebook)

ARGUMENT_SPEC = dict(
    dest=dict(type="path"),
    mode=dict(type="raw"),
)
# Above this the diff shows a note instead of the document (same order as Ansible's max_diff_size).
MAX_DIFF_BYTES = 104448


def needs_phone(params):
    return True


def _text(content):
    if content is None:
        return ""
    if len(content) > MAX_DIFF_BYTES:
        return "(%d bytes, too large to show)\n" % len(content)
    return content.decode("utf-8", errors="replace")


def run(client, params, check_mode):
    dest, mode = params.get("dest"), parse_mode(params.get("mode"))
    if mode is not None and not dest:
        raise ValidationError("mode needs dest", field="mode")
    if dest:
        check_destination(dest)

    content = client.download("phonebook_download")
    result = present_phonebook(parse_phonebook(content, host=client.conn.label))
    result.update(changed=False, size=len(content), checksum=hashlib.sha1(content).hexdigest())
    if not dest:
        return result

    outcome = sync_file(dest, content, mode, check_mode)
    result.update(dest=dest, changed=outcome["changed"])
    if outcome["content_changed"]:
        result["diff"] = {"before_header": dest, "after_header": dest,
                          "before": _text(outcome["before"]), "after": _text(content)}
    elif outcome["changed"]:
        result["diff"] = {"before": {"mode": "%04o" % outcome["before_mode"]},
                          "after": {"mode": "%04o" % outcome["mode"]}}
    if outcome["mode"] is not None:
        result["mode"] = "%04o" % outcome["mode"]
    return result


ENGINE = Engine("phonebook_download", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True,
                needs_phone=needs_phone)
