# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Baseline C, the lower bound: the same drift check in plain Python, no Ansible.

A thread pool (50 workers) and per phone only the minimal requests: the unauthenticated firmware dialect
probe (``model.define.js``, as the collection's client sends once per phone per play with a cold session
cache), one login, one read of the P-values, one of the groups, one of the contacts, then the comparison in
memory. Nothing is written. The probe keeps the comparison like for like: the fleet path sends it too.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests

REQUEST_TIMEOUT = 10
DIALECT_PROBE_PATH = "/json/configs/model.define.js"  # from the phone's root, not under /cgi-bin


class PhoneDrift:
    """What one phone holds that differs from its expectations (empty: no drift)."""

    def __init__(self, index, values, groups, contacts, requests_made):
        self.index = index
        self.values = values
        self.groups = groups
        self.contacts = contacts
        self.requests_made = requests_made

    @property
    def drifted(self):
        return bool(self.values or self.groups or self.contacts)


def _contact_row(name, group_id, work, email):
    return "%s|%s|%s|%s" % (name, group_id, work, email)


def check_phone(base_url, expectations, password, index=0):
    """Probe the dialect, log in to one phone, read values, groups and contacts once each, compare; 5 requests."""
    with requests.Session() as http:
        http.trust_env = False  # loopback only: never through a proxy from the environment
        # Any answer will do (a guide phone answers 404): what the benchmark needs is the request's cost.
        http.get(base_url.rsplit("/cgi-bin", 1)[0] + DIALECT_PROBE_PATH, timeout=REQUEST_TIMEOUT).content
        login = http.post(base_url + "/dologin", data={"username": "admin", "password": password},
                          timeout=REQUEST_TIMEOUT).json()
        if login.get("response") != "success":
            raise RuntimeError("phone %d refused the login: %s" % (index, login.get("body")))
        wanted = expectations["pvalues"]
        answer = http.get(base_url + "/api.values.get", params="request=" + ":".join(wanted),
                          timeout=REQUEST_TIMEOUT).json()["body"]
        # Phones key P-values by bare number, as the guide shows ("30"), or with the P ("P30").
        values = {("P" + name if name[:1].isdigit() else name): value for name, value in answer.items()}
        groups = http.get(base_url + "/api-get_groups", timeout=REQUEST_TIMEOUT).json()["msg"]
        contacts = http.get(base_url + "/api-get_contacts", timeout=REQUEST_TIMEOUT).json()["msg"]
    group_ids = {group["groupName"]: group["groupID"] for group in groups}
    value_drift = {name: values.get(name) for name, value in wanted.items() if values.get(name) != value}
    group_drift = [name for name in expectations["groups"] if name not in group_ids]
    current_rows = {_contact_row(contact["contactName"], contact["groupID"], contact.get("work", ""),
                                 contact.get("email", "")) for contact in contacts}
    contact_drift = []
    for contact in expectations["contacts"]:
        name = " ".join(part for part in (contact["first_name"], contact["last_name"]) if part)
        row = _contact_row(name, group_ids.get(contact["group"]), contact["work"], contact["email"])
        if row not in current_rows:
            contact_drift.append(name)
    return PhoneDrift(index, value_drift, group_drift, contact_drift, requests_made=5)


def check_fleet(base_urls, expectations_of, password, workers=50):
    """Check every phone with a pool of ``workers`` threads; returns (seconds, [PhoneDrift])."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda index: check_phone(base_urls[index], expectations_of(index), password,
                                                           index), range(len(base_urls))))
    return time.monotonic() - started, outcomes
