# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site_waves: split hosts into waves so that no wave holds more than N hosts of one site.

playbooks/firmware.yml runs one wave after the other inside each serial batch, so at most N phones of a
site reboot at once.
"""

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
name: site_waves
version_added: 1.0.0
short_description: Split hosts into waves with at most N hosts of one site each
description:
  - Returns a mapping from each host in the input list to its wave number (0, 1, ...).
  - The k-th host of a site (in list order) goes into wave k // O(per_site), so a wave never holds more than
    O(per_site) hosts of one site.
  - Hosts without the site variable all count as one site, C((no site)), so they are throttled too.
  - C(playbooks/firmware.yml) runs the waves of each serial batch one after the other.
options:
  _input:
    description: The hosts to split, in order (for example C(ansible_play_batch)).
    type: list
    elements: str
    required: true
  hostvars:
    description: Where to look up each host's site (pass C(hostvars)).
    type: dict
    required: true
  per_site:
    description: The most hosts of one site in one wave.
    type: int
    default: 1
  site_var:
    description: The host variable that names a host's site.
    type: str
    default: site
"""

EXAMPLES = r"""
- name: Wave of this phone within the batch, at most 2 phones of a site per wave
  ansible.builtin.set_fact:
    firmware_wave: "{{ (ansible_play_batch | grandstream.phone.site_waves(hostvars, 2))[inventory_hostname] }}"
"""

RETURN = r"""
_value:
  description: Host name to wave number.
  type: dict
"""

from ansible.errors import AnsibleFilterError

# Hosts without the site variable share this one site: unknown placement is throttled, not unlimited.
NO_SITE = "(no site)"


def site_waves(hosts, hostvars, per_site=1, site_var="site"):
    """{host: wave number (0, 1, ...)}: a site's k-th host (in ``hosts`` order) goes into wave k // per_site."""
    try:
        per_site = int(per_site)
    except (TypeError, ValueError):
        raise AnsibleFilterError("site_waves: per_site must be a whole number, got %r" % (per_site,))
    if per_site < 1:
        raise AnsibleFilterError("site_waves: per_site must be at least 1, got %d" % per_site)
    seen, waves = {}, {}
    for host in hosts or []:
        site = str((hostvars.get(host) or {}).get(site_var) or NO_SITE)
        waves[host] = seen.get(site, 0) // per_site
        seen[site] = seen.get(site, 0) + 1
    return waves


class FilterModule(object):
    def filters(self):
        return {"site_waves": site_waves}
