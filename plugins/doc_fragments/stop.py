# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type


class ModuleDocFragment(object):
    """stop_message, which every module that talks to a phone takes (plugins/module_utils/stop.py)."""

    DOCUMENTATION = r"""
options:
  stop_message:
    description:
      - When set (not empty), the task fails at once with this message and C(error_kind=stopped), before its
        other options are checked and without sending any request to the phone; nothing is changed.
      - For a caller that already decided this phone must not be touched, so that the task that would contact
        the phone stops it instead of a per-host C(ansible.builtin.fail) task before it. The role
        C(grandstream.phone.phone) passes what its run-once M(grandstream.phone.gs_validate) stopped for this
        host, as C("{{ phone__validation.stopped[inventory_hostname] | default(omit) }}") (only this host's
        message, since the whole result lists every host).
      - Left out, omitted or empty, the task runs as usual. Never read from a host variable.
    type: str
"""
