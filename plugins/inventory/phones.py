# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
name: phones
short_description: Find Grandstream phones on the network and describe them, without logging in
version_added: 1.0.0
description:
  - Probes a list of addresses and address ranges (CIDR times ports) for Grandstream phones and adds every phone
    found as a host, with the connection variables the collection's modules read (C(ansible_host), C(gs_port),
    C(gs_protocol)) and what the phone told about itself (C(gs_model), C(gs_firmware), C(gs_mac), ...).
  - A probe needs no login and never spends a login attempt. It is at most two unauthenticated GETs per endpoint
    - C(api-values.get) for the public values (firmware P68, model P89, vendor, hardware revision; the MAC P67 only
    where firmware makes it public), and, only when that answer is not a phone's, C(/json/configs/model.define.js),
    which current firmware serves without a login (model and vendor; no firmware version).
  - At most O(concurrency) probes run at once, at most O(rate) start per second, and each request waits at most
    O(timeout) seconds to connect and for each read. More than O(max_probes) endpoints is refused before any probe.
  - An endpoint from O(addresses) or O(addresses_file) that is not a phone (refused, timed out, TLS failure, an HTTP
    server that is not a phone) gets a warning and is not listed. In O(ranges) such endpoints are skipped silently;
    C(-v) shows a count per outcome.
  - Host names - the O(addresses) entry's C(name) when given; else with O(hostnames=address) the address, plus
    C(_<port>) when the port is not the protocol's default (V(10.0.0.5), V(127.0.0.1_8443)); with O(hostnames=mac)
    C(gs_<mac>) when the phone made its MAC public, else the address name.
  - Every phone is in the group O(group); O(keyed_groups), O(groups) and O(compose) build more from the host
    variables, e.g. C(keyed_groups) with C(key=gs_model) and C(prefix=model) makes C(model_GXV3370), so
    C(group_vars/model_GXV3370.yml) applies.
  - The inventory file name must end in C(phones.yml) or C(phones.yaml).
author:
  - grandstream.phone maintainers (@grandstream-phone)
requirements:
  - requests
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin; it marks the file as this plugin's.
    type: str
    required: true
    choices: [grandstream.phone.phones]
  addresses:
    description:
      - Endpoints to probe. Each is an address (V(10.0.0.5)), an address and port (V(10.0.0.5:8443),
        V([fd00::5]:443)), or a dictionary with C(address) and optionally C(port), C(protocol) and C(name) (the
        host name to use).
      - Without a port, the default port of the protocol (443 for https, 80 for http).
    type: list
    elements: raw
    default: []
  addresses_file:
    description:
      - A file of more endpoints, relative to the inventory file's directory. C(.csv) - a header row with an
        C(address) column and optionally C(port), C(protocol), C(name); every other file - a YAML list of entries
        as in O(addresses).
      - A bad row is reported with the file name and line, and nothing is probed.
    type: str
  ranges:
    description:
      - Networks to scan. Each is a dictionary with C(cidr) (V(10.0.20.0/28); every host address of the network)
        and optionally C(ports) (a list; default the protocol's default port) and C(protocol).
      - Scan only networks you administer, with small ranges; see C(docs/inventory.md) for polite settings.
    type: list
    elements: dict
    default: []
  protocol:
    description: Protocol of entries and ranges that do not name one.
    type: str
    choices: [https, http]
    default: https
  validate_certs:
    description:
      - Verify the phones' TLS certificates. Phones ship self-signed certificates; give O(ca_path) rather than
        turning this off.
      - Only the probes use it; set C(gs_validate_certs) (in group_vars, or with O(compose)) for the modules.
    type: bool
    default: true
  ca_path:
    description: A CA bundle (PEM) to verify the phones' certificates with; a relative path is relative to the directory
      ansible runs in.
    type: path
  timeout:
    description: Seconds each probe request waits to connect and for each read.
    type: float
    default: 3.0
  concurrency:
    description: Most probes in flight at once.
    type: int
    default: 16
  rate:
    description: Most probes started per second, over all of them; V(0) for no limit.
    type: float
    default: 0
  max_probes:
    description: Refuse to probe more endpoints (addresses times ports) than this, before any probe; a guard against
      a typo such as V(/16) for V(/26).
    type: int
    default: 1024
  hostnames:
    description: How found phones are named when their entry gives no C(name); see the description.
    type: str
    choices: [address, mac]
    default: address
  group:
    description: The group every phone found is put in.
    type: str
    default: grandstream_phones
"""

EXAMPLES = r"""
# site1.phones.yml: every phone of a small office network, grouped by model
plugin: grandstream.phone.phones
ranges:
  - cidr: 10.0.20.0/27
    ports: [443]
addresses:
  - 10.0.30.5
  - {address: 10.0.30.6, port: 8443, name: reception}
ca_path: /etc/ssl/phones-ca.pem
concurrency: 8
timeout: 2
rate: 10
keyed_groups:
  - key: gs_model
    prefix: model        # group model_GXV3370: group_vars/model_GXV3370.yml applies
  - key: gs_firmware
    prefix: firmware
groups:
  old_firmware: gs_firmware is defined and gs_firmware is version('1.0.3.0', '<')
compose:
  gs_validate_certs: true
  gs_ca_path: "'/etc/ssl/phones-ca.pem'"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/grandstream-phones
cache_timeout: 3600

# lab.phones.yml: a CSV of addresses (address,port,protocol,name)
plugin: grandstream.phone.phones
addresses_file: phones.csv
protocol: http
"""

import os

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.grandstream.phone.plugins.module_utils import discovery
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

display = Display()


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "grandstream.phone.phones"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("phones.yml", "phones.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        hosts = None
        if use_cache:
            try:
                hosts = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if hosts is None:
            hosts = self._discover(os.path.dirname(path))
        if update_cache:
            self._cache[cache_key] = hosts
        self._populate(hosts)

    def _discover(self, base_dir):
        """[{name, vars}] of the phones found; problems in the configuration raise before any probe."""
        protocol = self.get_option("protocol")
        try:
            discovery.check_settings(self.get_option("concurrency"), self.get_option("timeout"),
                                     self.get_option("rate"), self.get_option("max_probes"))
            listed = [discovery.parse_entry(entry, protocol, "addresses[%d]" % position)
                      for position, entry in enumerate(self.get_option("addresses") or [])]
            if self.get_option("addresses_file"):
                # Relative to the inventory file, wherever ansible runs (a "path" option would be relative to the cwd).
                address_file = os.path.join(base_dir, os.path.expanduser(self.get_option("addresses_file")))
                listed += discovery.read_address_file(address_file, protocol)
            targets = discovery.plan(listed, self.get_option("ranges") or [], protocol, self.get_option("max_probes"))
            prober = discovery.Prober(self.get_option("timeout"), self.get_option("validate_certs"),
                                      self.get_option("ca_path"), self.get_option("rate"))
        except ValidationError as problem:
            raise AnsibleParserError("grandstream.phone.phones: %s" % problem)
        findings = discovery.scan(targets, prober, self.get_option("concurrency"))
        display.v("grandstream.phone.phones: probed %d endpoint(s): %s" % (len(findings), ", ".join(
            "%d %s" % (count, outcome) for outcome, count in sorted(discovery.summary(findings).items()))))
        hosts, names = [], {}
        for finding in findings:
            if finding.outcome != discovery.PHONE:
                if finding.target.listed:
                    display.warning("grandstream.phone.phones: %s is not listed: %s"
                                    % (finding.target.label, finding.reason))
                continue
            name = discovery.host_name(finding.target, finding.facts, self.get_option("hostnames"))
            if name in names:
                raise AnsibleParserError("grandstream.phone.phones: host name %r is given to both %s and %s"
                                         % (name, names[name], finding.target.label))
            names[name] = finding.target.label
            hosts.append({"name": name, "vars": discovery.host_vars(finding)})
        return hosts

    def _populate(self, hosts):
        group = self.inventory.add_group(self.get_option("group"))
        strict = self.get_option("strict")
        for host in hosts:
            name = self.inventory.add_host(host["name"], group=group)
            for key, value in host["vars"].items():
                # What a phone answered is data, never a template (ansible-core 2.19 also marks it untrusted).
                self.inventory.set_variable(name, key, wrap_var(value))
            variables = self.inventory.get_host(name).get_vars()
            self._set_composite_vars(self.get_option("compose"), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, name, strict=strict)
