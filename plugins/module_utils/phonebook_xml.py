# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Safe parsing of the phonebook XML a phone serves at ``phonebook_download`` (GXP XML phonebook format).

The document comes from the network, so it is parsed with defusedxml and every DTD is refused:
a phonebook never needs one, and refusing them stops entity-expansion ("billion laughs") and
external-entity documents before anything is expanded or fetched.
"""

from __future__ import annotations

__metaclass__ = type

try:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring
    HAS_DEFUSEDXML = True
    DEFUSEDXML_IMPORT_ERROR = None
except ImportError as import_error:  # pragma: no cover - reported when a phonebook is parsed
    HAS_DEFUSEDXML = False
    DEFUSEDXML_IMPORT_ERROR = import_error

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import BUILTIN_GROUPS, NUMBER_FIELDS

# <Phone type="..."> as firmware writes it -> contact field (case-insensitive).
PHONE_TYPES = {"work": "work", "home": "home", "cell": "mobile", "mobile": "mobile", "fax": "fax",
               "workfax": "fax", "work fax": "fax"}
EMAIL_TAGS = ("Mail", "Email", "email")


def _text(element, tag):
    child = element.find(tag)
    if child is None or child.text is None:
        return ""
    return child.text.strip()


def _int_or_none(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def parse_phonebook(data, host=None):
    """Parse phonebook XML bytes into {"groups": [{id, name}], "contacts": [...]}.

    Each contact: ``first_name``, ``last_name``, ``group_ids`` (list of int), the numbers ``work``,
    ``home``, ``mobile``, ``fax``, ``email`` ("" when absent) and ``id`` when the firmware writes one.
    Raises PhoneError for a document that is hostile, malformed or not a phonebook.
    """
    if not HAS_DEFUSEDXML:
        raise PhoneError("the Python library 'defusedxml' is required on the controller to read the phonebook "
                         "safely: %s" % DEFUSEDXML_IMPORT_ERROR, host=host, kind="dependency")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise PhoneError("refused the phonebook XML from the phone: it declares a DTD or entities (%s), which "
                         "a phonebook never needs and which can expand without bound or read local files; "
                         "nothing was parsed" % type(error).__name__, host=host, kind="api")
    except ParseError as error:
        raise PhoneError("the phonebook XML from the phone is malformed: %s" % error, host=host, kind="api")
    if root.tag != "AddressBook":
        raise PhoneError("the phonebook download is not a phonebook: root element <%s>, expected <AddressBook>"
                         % root.tag, host=host, kind="api")
    groups = []
    for element in root.findall("pbgroup"):
        groups.append({"id": _int_or_none(_text(element, "id")), "name": _text(element, "name")})
    return {"groups": groups, "contacts": [_contact(element) for element in root.findall("Contact")]}


def _contact(element):
    contact = {"first_name": _text(element, "FirstName"), "last_name": _text(element, "LastName")}
    contact_id = _int_or_none(_text(element, "id"))
    if contact_id is not None:
        contact["id"] = contact_id
    contact.update(dict.fromkeys(NUMBER_FIELDS, ""))
    for phone in element.findall("Phone"):
        field = PHONE_TYPES.get((phone.get("type") or "").strip().lower())
        # A contact may list several numbers of one type; the first is the one the API shows.
        if field and not contact[field]:
            contact[field] = _text(phone, "phonenumber")
    contact["email"] = next((_text(element, tag) for tag in EMAIL_TAGS if element.find(tag) is not None), "")
    contact["group_ids"] = [group_id for group_id in (_int_or_none((g.text or "").strip())
                                                      for g in element.findall("Group")) if group_id is not None]
    return contact


def full_name(first_name, last_name):
    """The name the phone shows (``contactName``) and the key of a contact: "first last"."""
    return " ".join(part for part in (first_name, last_name) if part)


def present_phonebook(parsed):
    """The parsed phonebook as gs_phonebook returns it: contacts in gs_contacts ``config`` shape.

    Group ids become names, so the list can be fed back to gs_contacts; an id with no group in the
    document keeps its number as text.
    """
    names = dict(BUILTIN_GROUPS)
    names.update((group["id"], group["name"]) for group in parsed["groups"] if group["id"] is not None)
    contacts = []
    for contact in parsed["contacts"]:
        group_ids = contact["group_ids"] or [0]
        entry = {"first_name": contact["first_name"], "last_name": contact["last_name"],
                 "group": names.get(group_ids[0], str(group_ids[0]))}
        entry.update((field, contact[field]) for field in NUMBER_FIELDS + ("email",) if contact[field])
        contacts.append(entry)
    return {"groups": [dict(group) for group in parsed["groups"]], "contacts": contacts}
