# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_render: zero-touch provisioning files from the desired state, without any phone.

``cfg<mac>.xml`` is Grandstream's XML provisioning format (``<gs_provision>``) with the P-values; a
phone fetches it from its config server (P237) at boot. ``phonebook.xml`` is the AddressBook format
phones download for their phonebook (P330 to P333). The values go through the same validation and
normalisation as gs_pvalues, gs_group and gs_contacts, so a rendered file provisions exactly what the
role would set. Files are written atomically and only when their content differs.

Secrets are left out unless ``include_secrets``; then the config file is made readable by its owner
only (0600). The diff of a config file never shows a secret, old or new.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
import os
import xml.etree.ElementTree as ET

try:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring
    HAS_DEFUSEDXML = True
except ImportError:  # pragma: no cover - then an old config file is simply not shown in the diff
    HAS_DEFUSEDXML = False

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.files import check_destination, sync_file
from ansible_collections.grandstream.phone.plugins.module_utils.mac import normalise_mac
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import BUILTIN_GROUPS
from ansible_collections.grandstream.phone.plugins.module_utils.pvalue_rules import prepare, validation_errors
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK
from ansible_collections.grandstream.phone.plugins.module_utils.xml_text import not_xml_problem

SECRET_FILE_MODE = 0o600
PHONEBOOK_NAME = "phonebook.xml"
# Contact field -> <Phone type="..."> as firmware writes it (phonebook_xml.PHONE_TYPES reads these back).
PHONE_TYPES = (("work", "Work"), ("home", "Home"), ("mobile", "Cell"), ("fax", "Fax"))
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_BUILTIN_IDS = {name: group_id for group_id, name in BUILTIN_GROUPS.items()}

ARGUMENT_SPEC = dict(
    mac=dict(type="str", required=True),
    dest_dir=dict(type="path", required=True),
    pvalues=dict(type="dict", default={}),
    strict=dict(type="bool", default=False),
    groups=dict(type="list", elements="dict"),
    contacts=dict(type="list", elements="dict"),
    phonebook_dest=dict(type="path"),
    include_secrets=dict(type="bool", default=False),
)


def needs_phone(params):
    return False


# ---------------------------------------------------------------------------------------------- XML
def _serialise(root):
    ET.indent(root, space="  ")
    # Built by hand: ElementTree's own declaration uses single quotes, which some provisioning parsers refuse.
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode", short_empty_elements=False) + "\n").encode("utf-8")


def config_xml(mac, values):
    """``cfg<mac>.xml`` content; ``values`` is [(P-name, value)] in the order to write."""
    root = ET.Element("gs_provision", version="1")
    ET.SubElement(root, "mac").text = mac
    config = ET.SubElement(root, "config", version="1")
    for name, value in values:
        ET.SubElement(config, name).text = value
    return _serialise(root)


def masked_config(content):
    """A config document with every secret P-value masked, for --diff; None when it cannot be read safely."""
    if content is None or not HAS_DEFUSEDXML:
        return None
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError):
        return None
    config = root.find("config")
    if root.tag != "gs_provision" or config is None:
        return None
    values = []
    for element in config:
        try:
            secret = catalog.resolve(element.tag).secret
        except ValidationError:
            secret = False
        values.append((element.tag, MASK if secret and element.text else (element.text or "")))
    return config_xml(root.findtext("mac", ""), values)


def _group_ids(groups):
    """Group name -> id as the phone numbers them: 1, 2, ... (100 is the blacklist's), built-ins as they are."""
    ids, next_id = dict(_BUILTIN_IDS), 1
    for group in groups:
        if group["name"] in ids:
            continue
        if next_id in BUILTIN_GROUPS:
            next_id += 1
        ids[group["name"]] = next_id
        next_id += 1
    return ids


def phonebook_xml(groups, contacts):
    """``phonebook.xml`` content from validated groups and contacts (gs_group / gs_contacts ``config`` shape)."""
    ids = _group_ids(groups)
    root = ET.Element("AddressBook")
    ET.SubElement(root, "version").text = "1"
    for group in groups:
        if group["name"] in _BUILTIN_IDS:
            continue  # every phone has them; listing them could rename them
        element = ET.SubElement(root, "pbgroup")
        ET.SubElement(element, "id").text = str(ids[group["name"]])
        ET.SubElement(element, "name").text = group["name"]
    for contact in contacts:
        element = ET.SubElement(root, "Contact")
        ET.SubElement(element, "FirstName").text = contact["first_name"]
        ET.SubElement(element, "LastName").text = contact.get("last_name") or ""
        for field, phone_type in PHONE_TYPES:
            if contact.get(field):
                phone = ET.SubElement(element, "Phone", type=phone_type)
                ET.SubElement(phone, "phonenumber").text = contact[field]
                ET.SubElement(phone, "accountindex").text = "1"
        if contact.get("email"):
            ET.SubElement(element, "Mail").text = contact["email"]
        ET.SubElement(element, "Group").text = str(ids[contact.get("group") or "default"])
    return _serialise(root)


# ---------------------------------------------------------------------------------------------- validation
def desired_pvalues(values, strict):
    """[Desired] sorted by P-number, validated exactly as gs_pvalues validates; every problem at once."""
    errors = validation_errors(values, path="pvalues", strict=strict)
    for name, value in (values or {}).items():
        problem = not_xml_problem(value) if isinstance(value, str) else None
        if problem:
            errors.append("pvalues.%s: %s" % (name, problem))
    if errors:
        raise ValidationError("%d invalid value(s): %s" % (len(errors), "; ".join(errors)), field="pvalues")
    return sorted(prepare(values, strict), key=lambda item: item.entry.number)


def desired_phonebook(groups, contacts):
    """Validated groups and contacts; a contact's group must be one of ``groups`` or a built-in one."""
    groups = GroupResource().validate(groups or [], "merged", option="groups")
    contacts = ContactResource().validate(contacts or [], "merged", option="contacts")
    known = set(_BUILTIN_IDS) | set(group["name"] for group in groups)
    for position, contact in enumerate(contacts):
        if contact["group"] is not None and contact["group"] not in known:
            raise ValidationError("contacts[%d].group: group %r of contact %r is not in groups"
                                  % (position, contact["group"], contact["first_name"]),
                                  field="contacts[%d].group" % position)
    return groups, contacts


# ---------------------------------------------------------------------------------------------- the run
def _file_result(path, content, outcome):
    return {"path": path, "changed": outcome["changed"], "size": len(content),
            "checksum": hashlib.sha1(content).hexdigest(),
            "mode": "%04o" % outcome["mode"] if outcome["mode"] is not None else None}


def _diff(path, outcome, before_text, after_text):
    if outcome["content_changed"]:
        return {"before_header": path, "after_header": path, "before": before_text, "after": after_text}
    return {"before_header": path, "after_header": path, "before": {"mode": "%04o" % outcome["before_mode"]},
            "after": {"mode": "%04o" % outcome["mode"]}}


def _write_config(params, mac, desired, check_mode, result, diffs):
    include_secrets = params.get("include_secrets", False)
    left_out = [item for item in desired if item.entry.secret and not include_secrets]
    if left_out:
        result["warnings"] = ["secret P-value(s) left out of cfg%s.xml: %s; include_secrets=true writes them (the "
                              "file then gets mode 0600)" % (mac, ", ".join(item.entry.label for item in left_out))]
    written = [(item.entry.pname, item.value) for item in desired if item not in left_out]
    content = config_xml(mac, written)
    path = os.path.join(params["dest_dir"], "cfg%s.xml" % mac)
    outcome = sync_file(path, content, SECRET_FILE_MODE if include_secrets else None, check_mode)
    result.update(mac=mac, secrets_left_out=[item.entry.key for item in left_out],
                  config=dict(_file_result(path, content, outcome), pvalues=len(written)))
    if outcome["changed"]:
        not_shown = b"(not a gs_provision document: not shown)\n"
        before = b"" if outcome["before"] is None else (masked_config(outcome["before"]) or not_shown)
        shown = [(item.entry.pname, MASK if item.entry.secret else item.value)
                 for item in desired if item not in left_out]
        diffs.append(_diff(path, outcome, before.decode("utf-8"), config_xml(mac, shown).decode("utf-8")))


def _write_phonebook(path, groups, contacts, check_mode, result, diffs):
    content = phonebook_xml(groups, contacts)
    outcome = sync_file(path, content, None, check_mode)
    result["phonebook"] = dict(_file_result(path, content, outcome), groups=len(groups), contacts=len(contacts))
    if outcome["changed"]:
        diffs.append(_diff(path, outcome, (outcome["before"] or b"").decode("utf-8", errors="replace"),
                           content.decode("utf-8")))


def run(client, params, check_mode):
    # Everything is validated before the first file is written.
    if not os.path.isdir(params["dest_dir"]):
        raise ValidationError("dest_dir %s is not a directory; create it first" % params["dest_dir"], field="dest_dir")
    mac = normalise_mac(params["mac"])
    desired = desired_pvalues(params.get("pvalues"), params.get("strict", False))
    with_phonebook = params.get("groups") is not None or params.get("contacts") is not None
    if params.get("phonebook_dest") and not with_phonebook:
        raise ValidationError("phonebook_dest needs groups or contacts", field="phonebook_dest")
    if with_phonebook:
        groups, contacts = desired_phonebook(params.get("groups"), params.get("contacts"))
        phonebook_path = params.get("phonebook_dest") or os.path.join(params["dest_dir"], PHONEBOOK_NAME)
        check_destination(phonebook_path)

    result, diffs = {}, []
    _write_config(params, mac, desired, check_mode, result, diffs)
    if with_phonebook:
        _write_phonebook(phonebook_path, groups, contacts, check_mode, result, diffs)
    result["changed"] = any(result[name]["changed"] for name in ("config", "phonebook") if name in result)
    if diffs:
        result["diff"] = diffs
    return result


# Never talks to a phone, so it takes no connection options; the secret P-values given are scrubbed from every output.
ENGINE = Engine("render", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=False, needs_phone=needs_phone,
                secret_pvalues=[("pvalues",)])
