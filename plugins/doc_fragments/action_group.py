# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type


class ModuleDocFragment(object):
    """The action_group attribute of every module in meta/runtime.yml's action group "phone"."""

    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/grandstream.phone.phone) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grandstream.phone.phone
"""
