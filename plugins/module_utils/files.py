# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files a module writes on the controller (gs_phonebook's dest, gs_render's config files, gs_export's
vars file): the ``mode`` option, where a file may go, and writing only what differs, atomically.

A file is written whole or not at all (a temporary file in the same directory, then a rename), never in
check mode; a mode-only change is a chmod. Failures are ``PhoneError(kind="file")`` naming ``dest``.
"""

from __future__ import annotations

__metaclass__ = type

import os
import stat
import uuid

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError


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
