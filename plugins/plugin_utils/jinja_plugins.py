# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Load Ansible's filter and test plugins in the controller's main process, before it forks a worker per task.

A worker is a fork of the main process: what the main process loaded, every worker has for free; what it did
not, each worker loads again for each host and task that templates a filter (the role's ``combine``, the
playbooks' ``default`` / ``bool`` / ``dict2items``). Measured on ansible-core 2.19 (docs/performance-history.md,
"Filter plugins before the fork"): a few ms of controller CPU per host-task. Called when action_base is
imported, which Ansible's strategy does in the main process (it loads each task's action plugin class there to
read BYPASS_HOST_LOOP) before it forks that task's first worker, so every play using a grandstream.phone module
gets it; and from the drift_report callback's ``v2_playbook_on_start``. Once per process.
"""

from __future__ import annotations

__metaclass__ = type


# The collection's own lookup that the phone role templates on every phone (its P-values task).
ROLE_LOOKUPS = ("grandstream.phone.desired_pvalues",)
_loaded = []  # the count of the first call: later calls load nothing again


def load_before_fork():
    """Load every filter and test plugin of ansible.builtin (and the legacy paths) and the role's lookup, once per
    process; never fails a run. Returns how many plugins the first call loaded."""
    if _loaded:
        return _loaded[0]
    try:
        from ansible.plugins.loader import filter_loader, lookup_loader, test_loader
    except ImportError:  # pragma: no cover - every supported ansible-core has these loaders
        return 0
    loaded = 0
    for loader in (filter_loader, test_loader):
        try:
            loaded += sum(1 for unused in loader.all())
        except Exception:  # an optimisation only: a plugin that fails to load fails where it is used, as before
            continue
    for name in ROLE_LOOKUPS if _collections_loadable() else ():
        try:
            loaded += lookup_loader.get(name) is not None
        except Exception:  # as above
            continue
    _loaded.append(loaded)
    return loaded


def _collections_loadable():
    """Ansible has set up its collection loader (in a run; not when a test imports a plugin): else looking up a
    collection's plugin prints a warning."""
    try:
        from ansible.utils.collection_loader import AnsibleCollectionConfig
        return AnsibleCollectionConfig.collection_finder is not None
    except Exception:  # pragma: no cover - an optimisation only
        return False
