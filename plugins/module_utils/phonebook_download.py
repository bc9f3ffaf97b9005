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
import os
import stat
import uuid

from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
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


def parse_mode(mode):
    """An octal file mode from ``0640`` / ``"0640"`` / ``"640"`` / ``"0o640"``; None when not given."""
    if mode is None or mode == "":
        return None
    if isinstance(mode, bool):
        raise ValidationError("mode must be an octal number like '0640'", field="mode")
    if isinstance(mode, int):
        value = mode
    else:
        text = str(mode).strip().lower()
        text = text[2:] if text.startswith("0o") else text
        try:
            value = int(text, 8)
        except ValueError:
            raise ValidationError("mode %r is not an octal number like '0640' (symbolic modes are not supported)"
                                  % str(mode), field="mode")
    if not 0 <= value <= 0o7777:
        raise ValidationError("mode %r is out of range (0000 to 7777 octal)" % str(mode), field="mode")
    return value


def check_destination(dest):
    """The file may be missing, but its directory must exist and dest must not be a directory."""
    if os.path.isdir(dest):
        raise ValidationError("dest %s is a directory; give the path of the file to write" % dest, field="dest")
    parent = os.path.dirname(os.path.abspath(dest))
    if not os.path.isdir(parent):
        raise ValidationError("the directory %s of dest does not exist; create it first" % parent, field="dest")


def read_existing(dest):
    """(content bytes, permission bits) of ``dest``; (None, None) when it does not exist."""
    try:
        with open(dest, "rb") as handle:
            return handle.read(), stat.S_IMODE(os.stat(dest).st_mode)
    except FileNotFoundError:
        return None, None
    except OSError as error:
        raise PhoneError("cannot read dest %s: %s" % (dest, error.strerror), kind="file")


def write_atomically(dest, content, mode):
    """Write ``content`` next to ``dest`` and rename it over; ``mode`` None: the umask decides."""
    temporary = os.path.join(os.path.dirname(os.path.abspath(dest)),
                             ".%s.%s.tmp" % (os.path.basename(dest), uuid.uuid4().hex[:12]))
    try:
        # 0o666 through os.open lets the process umask apply, as for any newly created file.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, dest)
    except OSError as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise PhoneError("cannot write dest %s: %s" % (dest, error.strerror), kind="file")


def sync_file(dest, content, mode, check_mode):
    """Make ``dest`` hold ``content`` (and ``mode``; None keeps an existing file's mode).

    Writes atomically and only what differs: a mode-only change is a chmod. Never writes in check mode.
    Returns changed, content_changed, before (old bytes or None), before_mode and mode (as it is, or
    in check mode would be, afterwards; None when unknown).
    """
    existing, existing_mode = read_existing(dest)
    content_changed = existing != content
    # Replacing a file keeps its mode unless one is asked for.
    wanted_mode = mode if mode is not None else existing_mode
    mode_changed = existing is not None and wanted_mode != existing_mode
    if (content_changed or mode_changed) and not check_mode:
        if content_changed:
            write_atomically(dest, content, wanted_mode)
        else:
            try:
                os.chmod(dest, wanted_mode)
            except OSError as error:
                raise PhoneError("cannot set the mode of dest %s: %s" % (dest, error.strerror), kind="file")
        wanted_mode = stat.S_IMODE(os.stat(dest).st_mode)
    return {"changed": content_changed or mode_changed, "content_changed": content_changed, "before": existing,
            "before_mode": existing_mode, "mode": wanted_mode}


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
