# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's small private JSON files (sessions, login memory, reboot markers): one way to read and
write them.

Each is written whole or not at all (a temporary file in the same directory, then an atomic rename), mode
0600 in a 0700 directory, so another user can never read a session id or a fingerprint, and a reader never
sees half a file. What a failed write means differs per store, so ``write_json`` raises ``OSError`` and the
caller decides (a session cache shrugs, a reboot marker fails the task).
"""

from __future__ import annotations

__metaclass__ = type

import json
import os
import tempfile


def read_json(path):
    """The JSON object stored at ``path``, or None when it is missing, unreadable or not an object."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) else None


def write_json(path, entry):
    """Replace ``path`` with ``entry`` as JSON, atomically, 0600, creating its directory 0700 if needed."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(entry, stream)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def read_or_create_secret(path, size=32):
    """The random secret kept at ``path`` (bytes), created 0600 on first use; None when it cannot be had.

    Created once, race-safe between forked workers: each writer prepares a complete file under a temporary
    name and ``os.link``s it to ``path``, which fails when another got there first; everyone then reads the
    one that won, so two workers never hold different secrets and nobody reads half a file.
    """
    secret = _read_secret(path, size)
    if secret is not None:
        return secret
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    except OSError:
        return None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(size).hex().encode("ascii"))
        os.chmod(tmp, 0o600)
        os.link(tmp, path)
    except FileExistsError:
        pass  # another worker won the race: its secret is the one
    except OSError:
        return None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return _read_secret(path, size)


def _read_secret(path, size):
    try:
        with open(path, "rb") as handle:
            text = handle.read(2 * size + 1)
        secret = bytes.fromhex(text.decode("ascii"))
    except (OSError, ValueError):
        return None
    return secret if len(secret) == size else None
