# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contacts and groups from a CSV or vCard file, in gs_contacts / gs_group ``config`` shape.

Every entry goes through the very validator gs_contacts applies to hand-written contacts, with the
file and line as its place (``staff.csv:12.work: ...``), so a file passes here exactly when the same
contacts typed into ``phone_contacts`` would.
"""

from __future__ import annotations

__metaclass__ = type

import csv
import io
import os
import re

from ansible_collections.grandstream.phone.plugins.module_utils.contacts import (
    FIELDS, ContactResource, validate_entry)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import BUILTIN_NAMES

FORMATS = ("auto", "csv", "vcard")
VCARD_EXTENSIONS = (".vcf", ".vcard")
# Header names each field is found under when no ``columns`` mapping is given: compared after lower-casing
# and treating spaces, '-' and '_' alike, so "First Name", "first_name" and "first-name" all match.
DEFAULT_COLUMNS = {
    "first_name": ("first_name", "firstname", "given_name"),
    "last_name": ("last_name", "lastname", "surname", "family_name"),
    "group": ("group", "category", "categories", "department"),
    "work": ("work", "work_phone", "business_phone", "phone"),
    "home": ("home", "home_phone"),
    "mobile": ("mobile", "mobile_phone", "cell", "cell_phone"),
    "fax": ("fax", "business_fax", "work_fax"),
    "email": ("email", "e_mail", "email_address", "e_mail_address"),
}
# vCard TEL TYPE -> contact field, in order of precedence (a "work,fax" number is the fax).
TEL_TYPES = (("fax", "fax"), ("cell", "mobile"), ("mobile", "mobile"), ("home", "home"), ("work", "work"))


def _header_key(text):
    return re.sub(r"[\s_-]+", "_", str(text or "").strip().lower())


class PhonebookFile:
    """The result of reading one file: ``contacts``, ``groups`` and ``warnings`` (data left out, never silently)."""

    def __init__(self, label):
        self.label = label
        self.contacts, self.groups, self.warnings = [], [], []
        self._places = {}

    def add(self, item, line):
        where = "%s:%d" % (self.label, line)
        entry = validate_entry(item, where)
        key = ContactResource().key(entry)
        if key in self._places:
            raise ValidationError("%s: contact %r is listed twice (also line %d)" % (where, key, self._places[key]),
                                  field=where + ".first_name")
        self._places[key] = line
        # The shape a hand-written contact has: unset fields left out.
        self.contacts.append({field: entry[field] for field in FIELDS if entry.get(field) or field == "first_name"})
        group = entry.get("group")
        if group and group not in BUILTIN_NAMES and group not in [known["name"] for known in self.groups]:
            self.groups.append({"name": group})


# ---------------------------------------------------------------------------------------------- CSV
def _column_map(header, columns, label):
    """Header position -> field. ``columns`` (field -> header name) replaces the default names."""
    keys = [_header_key(name) for name in header]
    if columns:
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise ValidationError("columns: unknown field(s) %s (fields: %s)" % (", ".join(unknown), ", ".join(FIELDS)),
                                  field="columns")
        wanted = {field: (_header_key(name),) for field, name in columns.items()}
    else:
        wanted = DEFAULT_COLUMNS
    mapping = {}
    for field, names in wanted.items():
        positions = [position for position, key in enumerate(keys) if key in names]
        if columns and not positions:
            raise ValidationError("%s:1: no column %r (columns.%s)" % (label, columns[field], field),
                                  field="columns." + field)
        if positions:
            mapping[positions[0]] = field
    if "first_name" not in mapping.values():
        raise ValidationError("%s:1: no first name column; the header has %s (name it first_name, or map it with "
                              "columns)" % (label, ", ".join(repr(name) for name in header) or "nothing"),
                              field="columns.first_name")
    return mapping


def read_csv(text, label, columns=None, delimiter=",", default_group=None):
    result = PhonebookFile(label)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError("%s: the file is empty; it needs a header row" % label, field="file")
    except csv.Error as problem:
        raise ValidationError("%s:1: %s" % (label, problem), field="file")
    mapping = _column_map(header, columns, label)
    unused = [name for position, name in enumerate(header) if position not in mapping and name.strip()]
    if unused and not columns:
        result.warnings.append("%s: column(s) %s are not contact fields and were left out"
                               % (label, ", ".join(repr(name) for name in unused)))
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as problem:
            raise ValidationError("%s:%d: %s" % (label, line, problem), field="file")
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(enumerate(row))
        item = {field: cells[position] for position, field in mapping.items() if cells.get(position, "").strip()}
        item.setdefault("group", default_group)
        result.add(item, line)
    return result


# ---------------------------------------------------------------------------------------------- vCard
def _unfold(text):
    """[(line number, logical line)]: a line starting with a space or tab continues the previous one."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def _unescape(value):
    return re.sub(r"\\(.)", lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def _split(value, separator):
    """Split on ``separator`` where it is not escaped with a backslash."""
    return [_unescape(part) for part in re.split(r"(?<!\\)" + re.escape(separator), value)]


READ_PROPERTIES = ("N", "FN", "TEL", "EMAIL", "CATEGORIES")


def _property(line):
    """``item1.TEL;TYPE=work,voice:+1 555`` -> ("TEL", {"work", "voice"}, encoding or None, "+1 555")."""
    head, unused, value = line.partition(":")
    parts = head.split(";")
    name = parts[0].rsplit(".", 1)[-1].strip().upper()
    types, encoding = set(), None
    for parameter in parts[1:]:
        key, equals, raw = parameter.partition("=")
        key = key.strip().upper()
        if not equals:  # vCard 2.1: a bare type (TEL;WORK;FAX) or encoding (N;QUOTED-PRINTABLE)
            raw, key = key, ("ENCODING" if key in ("QUOTED-PRINTABLE", "BASE64", "B") else "TYPE")
        if key == "TYPE":
            types.update(kind.strip().strip('"').lower() for kind in raw.strip('"').split(","))
        elif key == "ENCODING":
            encoding = raw.strip().upper()
    return name, types, encoding, value


def _tel_field(types):
    for kind, field in TEL_TYPES:
        if kind in types:
            return field
    return "work"  # a number without a type is the main (work) number


def read_vcard(text, label, default_group=None):
    result = PhonebookFile(label)
    card, start = None, 0
    for number, line in _unfold(text):
        name, types, encoding, value = _property(line)
        if encoding and encoding not in ("8BIT", "7BIT") and name in READ_PROPERTIES:
            # Decoding guesses (quoted-printable soft breaks, charsets) could store a wrong name or number.
            raise ValidationError("%s:%d: %s is %s-encoded, which is not read; export the cards as vCard 3.0 or 4.0 "
                                  "(UTF-8 text)" % (label, number, name, encoding), field="file")
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                raise ValidationError("%s:%d: BEGIN:VCARD inside the card of line %d" % (label, number, start),
                                      field="file")
            card, start = {"tel": [], "email": [], "groups": []}, number
        elif card is None:
            raise ValidationError("%s:%d: %r outside BEGIN:VCARD ... END:VCARD" % (label, number, line[:40]),
                                  field="file")
        elif name == "END":
            result.add(_card_entry(card, label, start, default_group, result.warnings), start)
            card = None
        elif name == "N":
            parts = _split(value, ";") + ["", ""]
            card["last_name"], card["given"] = parts[0].strip(), " ".join(p.strip() for p in parts[1:3] if p.strip())
        elif name == "FN":
            card["fn"] = _unescape(value).strip()
        elif name == "TEL":
            card["tel"].append((_tel_field(types), re.sub(r"^tel:", "", value.strip(), flags=re.I), number))
        elif name == "EMAIL":
            card["email"].append(_unescape(value).strip())
        elif name == "CATEGORIES":
            card["groups"] += [part.strip() for part in _split(value, ",") if part.strip()]
    if card is not None:
        raise ValidationError("%s:%d: the card has no END:VCARD" % (label, start), field="file")
    return result


def _card_entry(card, label, line, default_group, warnings):
    given, last = card.get("given", ""), card.get("last_name", "")
    if not given and not last:
        given = card.get("fn", "")  # no structured name: the formatted name is the first name
    elif not given:
        given, last = last, ""  # only a family name: a phonebook entry needs a first name
    item = {"first_name": given, "last_name": last, "group": card["groups"][0] if card["groups"] else default_group}
    shown = " ".join(part for part in (given, last) if part) or "?"
    for field, number, tel_line in card["tel"]:
        if field in item:
            warnings.append("%s:%d: another %s number of %r (%s) was left out: a contact holds one per kind"
                            % (label, tel_line, field, shown, number))
        else:
            item[field] = number
    if card["email"]:
        item["email"] = card["email"][0]
    if len(card["groups"]) > 1:
        warnings.append("%s:%d: %r is in group %r; its other categories %s were left out (a contact has one group)"
                        % (label, line, shown, card["groups"][0], ", ".join(card["groups"][1:])))
    return item


# ---------------------------------------------------------------------------------------------- any file
def detect_format(path, fmt="auto"):
    if fmt not in FORMATS:
        raise ValidationError("format %r is not one of %s" % (fmt, ", ".join(FORMATS)), field="format")
    if fmt != "auto":
        return fmt
    return "vcard" if path.lower().endswith(VCARD_EXTENSIONS) else "csv"


def read_phonebook_file(path, fmt="auto", columns=None, delimiter=",", default_group=None):
    """Read ``path`` into a PhonebookFile; the first bad entry raises ValidationError naming file and line."""
    label = os.path.basename(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as problem:
        raise ValidationError("%s: cannot read it as UTF-8 text: %s" % (label, problem), field="file")
    if default_group is not None:
        default_group = str(default_group).strip()
        if not default_group:
            raise ValidationError("default_group must not be empty; leave it out for the phone's default group",
                                  field="default_group")
    if detect_format(path, fmt) == "vcard":
        result = read_vcard(text, label, default_group)
    else:
        result = read_csv(text, label, columns, delimiter, default_group)
    GroupResource().validate(result.groups, "merged", option=label + " groups")
    return result
