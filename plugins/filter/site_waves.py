# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site_waves: split hosts into waves so that no wave holds more than N hosts of one site.

playbooks/firmware.yml runs one wave after the other inside each serial batch, so at most N phones of a
site reboot at once. Documentation: site_waves.yml next to this file.
"""

from __future__ import annotations

__metaclass__ = type

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
