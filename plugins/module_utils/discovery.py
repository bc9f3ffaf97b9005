# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding phones without logging in: the logic of the ``grandstream.phone.phones`` inventory plugin.

A probe is at most two unauthenticated GETs: the guide dialect's ``api-values.get`` for the public
subset (firmware P68, model P89, vendor; the MAC P67 when the firmware makes it public), and only when
that answer is not a phone's, ``/json/configs/model.define.js``, which current firmware serves
without a login. No probe ever sends ``access``, ``dologin`` or ``login``: discovery can never spend
one of the five login attempts a phone allows before it locks.
"""

from __future__ import annotations

__metaclass__ = type

import csv
import io
import ipaddress
import json
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

# The one guarded import of requests is client.py's: requests is None there when it is missing.
from ansible_collections.grandstream.phone.plugins.module_utils.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    USER_AGENT,
    requests,
)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.mac import mac_or_none

PROTOCOLS = ("https", "http")
DEFAULT_PORTS = {"https": 443, "http": 80}
# api-values.get names of the public subset: firmware, model, MAC (public on few firmware), vendor, hardware.
PROBE_NAMES = ("68", "89", "67", "vendor_name", "hw_rev")
MODEL_DEFINE_PATH = "/json/configs/model.define.js"
MAX_ANSWER_BYTES = 64 * 1024  # a phone's answers are tiny; never read a big page into memory
# Outcomes of a probe.
PHONE, NOT_PHONE, REFUSED, TIMEOUT, TLS_ERROR, ERROR = ("phone", "not_phone", "refused", "timeout", "tls_error",
                                                        "error")


class Target:
    """One (address, port, protocol) to probe; ``name`` and ``listed`` when it came from a list."""

    __slots__ = ("address", "port", "protocol", "name", "listed")

    def __init__(self, address, port, protocol, name=None, listed=False):
        self.address, self.port, self.protocol, self.name, self.listed = address, port, protocol, name, listed

    @property
    def key(self):
        return (self.address, self.port, self.protocol)

    @property
    def base_url(self):
        host = "[%s]" % self.address if ":" in self.address else self.address
        return "%s://%s:%d" % (self.protocol, host, self.port)

    @property
    def label(self):
        return "%s://%s:%d" % (self.protocol, self.address, self.port)


class Finding:
    """What a probe learnt: ``outcome`` (PHONE, NOT_PHONE, ...), the phone's facts, and why."""

    __slots__ = ("target", "outcome", "facts", "reason")

    def __init__(self, target, outcome, facts=None, reason=""):
        self.target, self.outcome, self.facts, self.reason = target, outcome, facts or {}, reason


# ---------------------------------------------------------------------------------------------- sources
def _address(text, where):
    try:
        return str(ipaddress.ip_address(str(text).strip().strip("[]")))
    except ValueError:
        raise ValidationError("%s: %r is not an IP address" % (where, text), field=where)


def _port(value, where):
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if not 1 <= port <= 65535:
        raise ValidationError("%s: port %r is not a port number (1-65535)" % (where, value), field=where)
    return port


def _protocol(value, where):
    if value not in PROTOCOLS:
        raise ValidationError("%s: protocol %r is not one of %s" % (where, value, ", ".join(PROTOCOLS)),
                              field=where)
    return value


def split_host_port(text):
    """``10.0.0.5`` -> (10.0.0.5, None); ``10.0.0.5:8443`` and ``[::1]:8443`` -> (address, "8443")."""
    text = str(text).strip()
    if text.startswith("["):
        address, unused, rest = text[1:].partition("]")
        return address, (rest[1:] if rest.startswith(":") else None)
    if text.count(":") == 1:
        address, port = text.split(":")
        return address, port
    return text, None


def parse_entry(entry, protocol, where):
    """A list entry (``"10.0.0.5"``, ``"10.0.0.5:8443"`` or a dict) -> Target."""
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - {"address", "port", "protocol", "name"})
        if unknown:
            raise ValidationError("%s: unknown key(s) %s (known: address, port, protocol, name)"
                                  % (where, ", ".join(unknown)), field=where)
        if not entry.get("address"):
            raise ValidationError("%s: address is required" % where, field=where)
        address, port = split_host_port(entry["address"])
        port = entry.get("port") or port
        protocol = entry.get("protocol") or protocol
        name = str(entry["name"]).strip() if entry.get("name") not in (None, "") else None
    else:
        address, port = split_host_port(entry)
        name = None
    protocol = _protocol(protocol, where + ".protocol")
    port = _port(port, where + ".port") if port not in (None, "") else DEFAULT_PORTS[protocol]
    return Target(_address(address, where + ".address"), port, protocol, name=name, listed=True)


def expand_range(spec, protocol, where, max_probes=None):
    """A range ``{cidr, ports, protocol}`` -> [Target], every address of the network times every port.

    More than ``max_probes`` endpoints raise before any is built (a /8 typo must not fill the memory).
    """
    if not isinstance(spec, dict) or not spec.get("cidr"):
        raise ValidationError("%s: a range needs cidr (and optionally ports, protocol)" % where, field=where)
    unknown = sorted(set(spec) - {"cidr", "ports", "protocol"})
    if unknown:
        raise ValidationError("%s: unknown key(s) %s (known: cidr, ports, protocol)" % (where, ", ".join(unknown)),
                              field=where)
    protocol = _protocol(spec.get("protocol") or protocol, where + ".protocol")
    try:
        network = ipaddress.ip_network(str(spec["cidr"]).strip(), strict=False)
    except ValueError as problem:
        raise ValidationError("%s.cidr: %s" % (where, problem), field=where + ".cidr")
    ports = spec.get("ports") or [DEFAULT_PORTS[protocol]]
    if not isinstance(ports, list):
        ports = [ports]
    ports = [_port(port, "%s.ports[%d]" % (where, index)) for index, port in enumerate(ports)]
    if max_probes is not None and network.num_addresses * len(ports) > max_probes + 2 * len(ports):
        raise ValidationError("%s: %s times %d port(s) is more than max_probes=%d endpoints to probe; scan a smaller "
                              "range or raise max_probes" % (where, network, len(ports), max_probes), field=where)
    # hosts() leaves out the network and broadcast addresses; a /32 (/128) is its one address.
    return [Target(str(address), port, protocol) for address in network.hosts() for port in ports]


def read_address_file(path, protocol):
    """Targets from a CSV (header ``address`` plus optional ``port``, ``protocol``, ``name``) or a YAML list
    (entries as in ``addresses``); a bad entry is named by file and line (CSV) or position (YAML)."""
    label = os.path.basename(path)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as problem:
        raise ValidationError("addresses_file %s: cannot read it: %s" % (path, problem), field="addresses_file")
    if path.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        columns = [name.strip().lower() for name in reader.fieldnames or []]
        if "address" not in columns:
            raise ValidationError("%s:1: the header must name an address column (and optionally port, "
                                  "protocol, name)" % label, field="addresses_file")
        reader.fieldnames = columns
        entries = []
        for row in reader:
            entry = {key: (value or "").strip() for key, value in row.items()
                     if key in ("address", "port", "protocol", "name")}
            if any(entry.values()):
                entries.append(parse_entry(entry, protocol, "%s:%d" % (label, reader.line_num)))
        return entries
    import yaml  # the controller always has it (Ansible needs it); only an address file in YAML uses it
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as problem:  # yaml's errors name the line already
        raise ValidationError("%s: not valid YAML: %s" % (label, problem), field="addresses_file")
    if not isinstance(document, list):
        raise ValidationError("%s: expected a YAML list of addresses" % label, field="addresses_file")
    return [parse_entry(entry, protocol, "%s[%d]" % (label, position)) for position, entry in enumerate(document)]


def check_settings(concurrency, timeout, rate, max_probes):
    """The politeness settings must bound the scan: a zero or negative value would not."""
    for name, value, low in (("concurrency", concurrency, 1), ("max_probes", max_probes, 1)):
        if value is None or value < low:
            raise ValidationError("%s must be at least %d, not %r" % (name, low, value), field=name)
    if timeout is None or timeout <= 0:
        raise ValidationError("timeout must be more than 0 seconds, not %r" % timeout, field="timeout")
    if rate is None or rate < 0:
        raise ValidationError("rate must be 0 (no limit) or more, not %r" % rate, field="rate")


def plan(listed, ranges, protocol, max_probes):
    """Every Target once (a listed entry wins over the same endpoint in a range), bounded by ``max_probes``."""
    targets = {}
    for position, entry in enumerate(listed):
        target = entry if isinstance(entry, Target) else parse_entry(entry, protocol, "addresses[%d]" % position)
        targets.setdefault(target.key, target)
    for position, spec in enumerate(ranges):
        for target in expand_range(spec, protocol, "ranges[%d]" % position, max_probes):
            targets.setdefault(target.key, target)
            if len(targets) > max_probes:
                raise ValidationError(
                    "ranges[%d]: more than max_probes=%d endpoints to probe; scan a smaller range or raise max_probes"
                    % (position, max_probes), field="ranges[%d]" % position)
    if len(targets) > max_probes:
        raise ValidationError("more than max_probes=%d endpoints to probe" % max_probes, field="addresses")
    return list(targets.values())


# ---------------------------------------------------------------------------------------------- probing
class RateLimit:
    """At most ``rate`` probe starts per second over all threads (0: no limit)."""

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep):
        self._interval = 1.0 / rate if rate and rate > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next = None

    def wait(self):
        if not self._interval:
            return
        with self._lock:
            now = self._clock()
            start = now if self._next is None or self._next < now else self._next
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)


def _json_of(text):
    """JSON in an answer; model.define.js may wrap it in JavaScript (``var x = {...};``)."""
    try:
        return json.loads(text)
    except ValueError:
        first, last = text.find("{"), text.rfind("}")
        if 0 <= first < last:
            try:
                return json.loads(text[first:last + 1])
            except ValueError:
                return None
    return None


class Prober:
    """Probes one endpoint with at most two unauthenticated GETs; thread-safe (a session per probe)."""

    def __init__(self, timeout, validate_certs=True, ca_path=None, rate=0):
        if not HAS_REQUESTS:
            raise ValidationError("the Python library 'requests' is required on the controller: %s"
                                  % REQUESTS_IMPORT_ERROR, field="plugin")
        self.timeout = timeout
        # Passed on every request: REQUESTS_CA_BUNDLE would otherwise override it.
        self.verify = (ca_path or True) if validate_certs else False
        self.rate = RateLimit(rate)

    def _get(self, session, target, path):
        """(status, parsed JSON or None) of one GET; transport problems raise requests' exceptions."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # InsecureRequestWarning when validate_certs is off
            response = session.get(target.base_url + path, timeout=self.timeout, verify=self.verify,
                                   allow_redirects=False, stream=True)
        try:
            body = b""
            for chunk in response.iter_content(8192):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    return response.status_code, None
        finally:
            response.close()
        return response.status_code, _json_of(body.decode("utf-8", "replace"))

    def probe(self, target):
        self.rate.wait()
        session = requests.Session()
        session.trust_env = False  # environment proxies must not see (or answer for) phone traffic
        session.headers.update({"User-Agent": USER_AGENT})
        try:
            return self._probe(session, target)
        except requests.exceptions.SSLError as problem:
            return Finding(target, TLS_ERROR, reason="TLS failed (%s); set validate_certs or ca_path"
                           % type(problem).__name__)
        except requests.exceptions.Timeout:
            return Finding(target, TIMEOUT, reason="no answer within %gs" % self.timeout)
        except requests.exceptions.ConnectionError:
            return Finding(target, REFUSED, reason="connection refused or unreachable")
        except requests.exceptions.RequestException as problem:
            return Finding(target, ERROR, reason="HTTP problem: %s" % type(problem).__name__)
        finally:
            session.close()

    def _probe(self, session, target):
        status, answer = self._get(session, target, "/cgi-bin/api-values.get?request=" + ":".join(PROBE_NAMES))
        facts = guide_facts(answer) if status == 200 else None
        if facts:
            return Finding(target, PHONE, facts)
        define_status, define = self._get(session, target, MODEL_DEFINE_PATH)
        facts = model_define_facts(define) if define_status == 200 else None
        if facts:
            return Finding(target, PHONE, facts)
        return Finding(target, NOT_PHONE, reason="answers HTTP (%d to api-values.get, %d to model.define.js) but "
                       "not as a Grandstream phone" % (status, define_status))


def guide_facts(answer):
    """Facts from a public ``api-values.get`` answer, or None when it is not a phone's."""
    if not isinstance(answer, dict) or answer.get("response") != "success" or not isinstance(answer.get("body"), dict):
        return None
    body = {key: str(value).strip() for key, value in answer["body"].items() if value is not None}
    if not (body.get("89") or body.get("vendor_name")):
        return None
    return {"model": body.get("89") or None, "firmware": body.get("68") or None, "mac": mac_or_none(body.get("67")),
            "vendor": body.get("vendor_name") or None, "hw_rev": body.get("hw_rev") or None, "dialect": "guide"}


def model_define_facts(answer):
    """Facts from ``model.define.js`` (current firmware), or None when it is not a phone's."""
    if not isinstance(answer, dict) or not isinstance(answer.get("model"), str) or not answer["model"].strip():
        return None
    return {"model": answer["model"].strip(), "firmware": None, "mac": None,
            "vendor": str(answer.get("vendor_name") or "").strip() or None, "hw_rev": None, "dialect": "current"}


def scan(targets, prober, concurrency):
    """Probe every target, at most ``concurrency`` at once; Findings in the targets' order."""
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(targets)))) as pool:
        return list(pool.map(prober.probe, targets))


# ---------------------------------------------------------------------------------------------- hosts
def host_name(target, facts, hostnames):
    """The inventory name: a listed ``name``; else by ``hostnames``: ``mac`` (gs_<mac>, when known) or
    ``address`` (the address, plus ``_<port>`` when the port is not the protocol's default)."""
    if target.name:
        return target.name
    if hostnames == "mac" and facts.get("mac"):
        return "gs_" + facts["mac"]
    if target.port == DEFAULT_PORTS[target.protocol]:
        return target.address
    return "%s_%d" % (target.address, target.port)


def host_vars(finding):
    """Host variables of a found phone: connection variables plus the facts the phone told (only those)."""
    target = finding.target
    variables = {"ansible_host": target.address, "gs_port": target.port, "gs_protocol": target.protocol}
    for fact in ("model", "firmware", "mac", "vendor", "hw_rev", "dialect"):
        if finding.facts.get(fact):
            variables["gs_" + fact] = finding.facts[fact]
    return variables


def summary(findings):
    """``{outcome: count}`` over every probe, for the verbose report."""
    counts = {}
    for finding in findings:
        counts[finding.outcome] = counts.get(finding.outcome, 0) + 1
    return counts
