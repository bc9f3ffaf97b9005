# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gs_firmware's pure logic: Grandstream versions, the desired-firmware map and the upgrade path.

No request is made here: everything a desired map can get wrong is found before the first one.
"""

from __future__ import annotations

__metaclass__ = type

import re

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

_VERSION = re.compile(r"^[0-9]+(\.[0-9]+)+$")
SPEC_KEYS = ("version", "steps", "hardware")
HARDWARE_KEYS = ("version", "steps")
# Placeholders a server path (or a server value) may hold; filled per upgrade step.
PLACEHOLDERS = ("model", "version")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# What a phone says about its firmware, in one api-values.get: version, model and (not a P-value; the
# guide's api-values.get answers it next to P68, e.g. "V2.2A") the hardware revision.
VERSION_PVALUE = catalog.FIRMWARE_PVALUE
MODEL_PVALUE = catalog.MODEL_PVALUE
HARDWARE_NAME = "hw_rev"
IDENTITY_NAMES = (VERSION_PVALUE, MODEL_PVALUE, HARDWARE_NAME)

ON_TARGET = "on_target"
BEHIND = "behind"
AHEAD = "ahead"
UNKNOWN = "unknown"


def reported(values, facts=None):
    """{version, model, hardware_revision} from a values read holding IDENTITY_NAMES, and the client's
    ``phone_facts()``: current firmware names its version in the login answer and its model in model.define.js,
    which win (read them after the values, so a re-login after an install has refreshed them)."""
    facts = facts or {}

    def text(name):
        return str(values.get(name) or "").strip()

    return {"version": facts.get("firmware") or text(VERSION_PVALUE), "model": facts.get("model") or text(MODEL_PVALUE),
            "hardware_revision": text(HARDWARE_NAME)}


def parse_version(text):
    """``1.0.3.35`` -> (1, 0, 3, 35), or None when it is not a dotted version of numbers.

    Compared part by part as numbers (1.0.11.2 is newer than 1.0.3.35), trailing zero parts ignored
    (1.0.3 equals 1.0.3.0).
    """
    text = str(text or "").strip()
    if not _VERSION.match(text):
        return None
    parts = [int(part) for part in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def compare_versions(left, right):
    """-1, 0 or 1 as ``left`` is older than, equal to or newer than ``right`` (both dotted versions)."""
    a, b = parse_version(left), parse_version(right)
    if a is None or b is None:
        raise ValueError("not a dotted version: %r" % (left if a is None else right))
    return (a > b) - (a < b)


class Target:
    """What one model (or one hardware revision of it) should run, and the versions to step through."""

    __slots__ = ("version", "steps", "field")

    def __init__(self, version, steps, field):
        self.version = version
        self.steps = steps
        self.field = field

    def as_dict(self):
        return {"version": self.version, "steps": list(self.steps)}


def _version_field(value, field):
    # Only strings: YAML reads an unquoted 1.10 as the number 1.1, so a number may not be what was meant.
    if not isinstance(value, str) or parse_version(value) is None:
        raise ValidationError("%s: %r is not a firmware version (dotted numbers such as 1.0.3.35); quote it in YAML"
                              % (field, value), field=field)
    return str(value).strip()


def _target(spec, field, allowed):
    if isinstance(spec, (str, int, float)) and not isinstance(spec, bool):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        raise ValidationError("%s: must be a version or a mapping with version (and steps)" % field, field=field)
    unknown = sorted(str(key) for key in spec if key not in allowed)
    if unknown:
        first = "%s.%s" % (field, unknown[0])
        also = "; also unknown: %s" % ", ".join(unknown[1:]) if unknown[1:] else ""
        raise ValidationError("%s: not a known key (allowed: %s)%s" % (first, ", ".join(allowed), also), field=first)
    if "version" not in spec:
        raise ValidationError("%s.version: the target version is missing" % field, field="%s.version" % field)
    version = _version_field(spec["version"], "%s.version" % field)
    steps_raw = spec.get("steps") or []
    if not isinstance(steps_raw, list):
        raise ValidationError("%s.steps: must be a list of versions, in upgrade order" % field,
                              field="%s.steps" % field)
    steps = []
    for index, step in enumerate(steps_raw):
        step_field = "%s.steps[%d]" % (field, index)
        step = _version_field(step, step_field)
        if compare_versions(step, version) >= 0:
            raise ValidationError("%s: %s is not older than the target %s" % (step_field, step, version),
                                  field=step_field)
        if steps and compare_versions(step, steps[-1]) <= 0:
            raise ValidationError("%s: %s is not newer than the step before it (%s); steps go in upgrade order"
                                  % (step_field, step, steps[-1]), field=step_field)
        steps.append(step)
    return Target(version, steps, field)


def parse_desired(firmware):
    """{MODEL: {"default": Target, "hardware": {REVISION: Target}}} from the ``firmware`` option."""
    if not isinstance(firmware, dict) or not firmware:
        raise ValidationError("firmware: must map each model (e.g. GXV3370) to its target version", field="firmware")
    desired = {}
    for model, spec in firmware.items():
        field = "firmware.%s" % model
        target = _target(spec, field, SPEC_KEYS)
        hardware = {}
        raw_hardware = spec.get("hardware") if isinstance(spec, dict) else None
        if raw_hardware is not None:
            if not isinstance(raw_hardware, dict):
                raise ValidationError("%s.hardware: must map hardware revisions (e.g. V1.2A) to a version"
                                      % field, field="%s.hardware" % field)
            for revision, revision_spec in raw_hardware.items():
                hardware[str(revision).strip().upper()] = _target(
                    revision_spec, "%s.hardware.%s" % (field, revision), HARDWARE_KEYS)
        key = str(model).strip().upper()
        if key in desired:
            raise ValidationError("%s: the model is given twice (model names ignore case)" % field, field=field)
        desired[key] = {"default": target, "hardware": hardware}
    return desired


def check_placeholders(text, field):
    """Refuse ``{name}`` placeholders other than {model} and {version} before anything is sent."""
    for name in _PLACEHOLDER.findall(str(text)):
        if name not in PLACEHOLDERS:
            raise ValidationError("%s: unknown placeholder {%s}; known: {model}, {version}" % (field, name),
                                  field=field)


def fill(value, model, version):
    """``value`` with {model} and {version} filled in; a value that is not a string (a switch) as it is."""
    if not isinstance(value, str):
        return value
    return _PLACEHOLDER.sub(lambda match: {"model": model, "version": version}[match.group(1)], value)


def target_for(desired, model, hardware_revision):
    """The Target for this phone, or None when its model is not in the desired map."""
    entry = desired.get(str(model or "").strip().upper())
    if entry is None:
        return None
    return entry["hardware"].get(str(hardware_revision or "").strip().upper(), entry["default"])


def judge(current, target):
    """(status, path): ``path`` lists the versions to install in order (empty unless behind)."""
    if target is None or parse_version(current) is None:
        return UNKNOWN, []
    order = compare_versions(current, target.version)
    if order == 0:
        return ON_TARGET, []
    if order > 0:
        return AHEAD, []
    return BEHIND, [step for step in target.steps if compare_versions(step, current) > 0] + [target.version]


def compliance(desired, version, model, hardware_revision):
    """One phone's compliance as plain data (gs_firmware's result fields, gs_health's ``firmware``)."""
    target = target_for(desired, model, hardware_revision)
    status, path = judge(version, target)
    return {"status": status, "version": version, "model": model, "hardware_revision": hardware_revision,
            "target": target.as_dict() if target else None, "path": path,
            "msg": describe(status, model, version, target, path)}


def describe(status, model, version, target, path):
    if status == UNKNOWN and target is None:
        return "model %r is not in the desired firmware map" % model
    if status == UNKNOWN:
        return "the phone reports %r as its firmware, not a dotted version" % version
    if status == ON_TARGET:
        return "on target %s" % version
    if status == AHEAD:
        return "runs %s, newer than the target %s; left alone (no downgrade)" % (version, target.version)
    return "runs %s, behind the target %s; path: %s" % (version, target.version, " -> ".join(path))
