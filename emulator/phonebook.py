"""Contacts and contact groups of one phone, kept in the persisted state dict."""

from __future__ import annotations

from xml.sax.saxutils import escape

from .model import BLACKLIST_GROUP_ID, DEFAULT_GROUP_ID

PROTECTED_GROUPS = frozenset({DEFAULT_GROUP_ID, BLACKLIST_GROUP_ID})
# save_edit_contact parameter -> contact field
PHONE_PARAMETERS = {"newphone1": "work", "newphone2": "home", "newphone3": "mobile", "newphone4": "fax"}
CONTACT_FIELDS = ("work", "home", "mobile", "fax", "email")
# Limits in bytes of UTF-8, as the firmware counts them (a 16-emoji name is already 64 bytes).
MAX_NAME_BYTES = 64
MAX_FIELD_BYTES = 128
# Phone type attribute of the GXP XML phonebook format, per contact field.
XML_PHONE_TYPES = (("work", "Work"), ("home", "Home"), ("mobile", "Cell"), ("fax", "Fax"))


class PhonebookError(Exception):
    """Answered as {"res":"error","msg": str(error)}."""


def parse_id(text: str | None, what: str) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise PhonebookError(f"invalid {what}") from None


def check_text(value: str, what: str, limit: int) -> None:
    if len(value.encode("utf-8", "surrogatepass")) > limit:
        raise PhonebookError(f"{what} is too long")
    # Control characters cannot be written into the XML phonebook.
    if any(ord(character) < 0x20 for character in value):
        raise PhonebookError(f"{what} contains control characters")


def full_name(contact: dict) -> str:
    return " ".join(part for part in (contact["first"], contact["last"]) if part)


class Phonebook:
    def __init__(self, state: dict):
        self.state = state

    # contacts ------------------------------------------------------------------------------
    def list_contacts(self, contact_id: str | None, name_part: str | None, group_id: str | None) -> list[dict]:
        selected = self.state["contacts"]
        if contact_id:
            wanted = parse_id(contact_id, "contactid")
            selected = [c for c in selected if c["id"] == wanted]
        if name_part:
            needle = name_part.lower()
            selected = [c for c in selected if needle in full_name(c).lower()]
        if group_id:
            wanted_group = parse_id(group_id, "groupid")
            selected = [c for c in selected if c["group"] == wanted_group]
        return [self._contact_view(c) for c in selected]

    @staticmethod
    def _contact_view(contact: dict) -> dict:
        view = {"contactID": str(contact["id"]), "contactName": full_name(contact),
                "groupID": str(contact["group"])}
        view.update({field: contact[field] for field in CONTACT_FIELDS})
        return view

    def save_contact(self, params: dict[str, str]) -> None:
        """Insert (blank `id`) or edit (existing `id`); parameters left out keep their value on edit."""
        first = params.get("firstname", "")
        if not first.strip():
            raise PhonebookError("firstname is required")
        contact_id = params.get("id", "")
        is_new = not contact_id.strip()
        if not is_new:
            contact = self._find_contact(parse_id(contact_id, "id"))
        else:
            contact = {"id": self._next_contact_id(), "first": "", "last": "", "group": DEFAULT_GROUP_ID}
            contact.update(dict.fromkeys(CONTACT_FIELDS, ""))
        changes = {"first": first, "last": params.get("lastname", contact["last"])}
        if params.get("group", "") != "":
            changes["group"] = parse_id(params["group"], "group")
            if not self._group_exists(changes["group"]):
                raise PhonebookError("group does not exist")
        for parameter, field in PHONE_PARAMETERS.items():
            if parameter in params:
                changes[field] = params[parameter]
        if "email" in params:
            changes["email"] = params["email"]
        for field, value in changes.items():
            if isinstance(value, str):
                limit = MAX_NAME_BYTES if field in ("first", "last") else MAX_FIELD_BYTES
                check_text(value, field, limit)
        contact.update(changes)
        if is_new:
            self.state["contacts"].append(contact)

    def delete_contact(self, contact_id: str | None) -> None:
        contact = self._find_contact(parse_id(contact_id, "id"))
        self.state["contacts"].remove(contact)

    def delete_all_contacts(self) -> None:
        self.state["contacts"].clear()

    def _find_contact(self, contact_id: int) -> dict:
        for contact in self.state["contacts"]:
            if contact["id"] == contact_id:
                return contact
        raise PhonebookError("contact does not exist")

    def _next_contact_id(self) -> int:
        return max((c["id"] for c in self.state["contacts"]), default=0) + 1

    # groups --------------------------------------------------------------------------------
    def list_groups(self, group_id: str | None) -> list[dict]:
        groups = self.state["groups"]
        if group_id:
            wanted = parse_id(group_id, "id")
            groups = [g for g in groups if g["id"] == wanted]
        return [{"groupID": str(g["id"]), "groupName": g["name"]} for g in groups]

    def add_group(self, name: str | None) -> None:
        name = self._checked_group_name(name)
        used = {g["id"] for g in self.state["groups"]}
        new_id = max((i for i in used if i != BLACKLIST_GROUP_ID), default=0) + 1
        while new_id in used or new_id == BLACKLIST_GROUP_ID:
            new_id += 1
        self.state["groups"].append({"id": new_id, "name": name})

    def edit_or_delete_group(self, group_id: str | None, name: str | None) -> None:
        """A blank name deletes the group (its contacts move to `default`), otherwise renames it."""
        group = self._find_group(parse_id(group_id, "id"))
        if group["id"] in PROTECTED_GROUPS:
            raise PhonebookError("built-in group cannot be changed")
        if not (name or "").strip():
            self.state["groups"].remove(group)
            for contact in self.state["contacts"]:
                if contact["group"] == group["id"]:
                    contact["group"] = DEFAULT_GROUP_ID
            return
        if name != group["name"]:
            group["name"] = self._checked_group_name(name)

    def _checked_group_name(self, name: str | None) -> str:
        if not (name or "").strip():
            raise PhonebookError("group name is required")
        check_text(name, "group name", MAX_NAME_BYTES)
        if any(g["name"] == name for g in self.state["groups"]):
            raise PhonebookError("group name already exists")
        return name

    def _find_group(self, group_id: int) -> dict:
        for group in self.state["groups"]:
            if group["id"] == group_id:
                return group
        raise PhonebookError("group does not exist")

    def _group_exists(self, group_id: int) -> bool:
        return any(g["id"] == group_id for g in self.state["groups"])

    # XML download --------------------------------------------------------------------------
    def to_xml(self) -> bytes:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<AddressBook>", "  <version>1</version>"]
        for group in self.state["groups"]:
            lines.append(f"  <pbgroup><id>{group['id']}</id><name>{escape(group['name'])}</name></pbgroup>")
        for contact in self.state["contacts"]:
            lines.append("  <Contact>")
            lines.append(f"    <FirstName>{escape(contact['first'])}</FirstName>"
                         f"<LastName>{escape(contact['last'])}</LastName>")
            for field, phone_type in XML_PHONE_TYPES:
                if contact[field]:
                    lines.append(f'    <Phone type="{phone_type}"><phonenumber>{escape(contact[field])}'
                                 "</phonenumber><accountindex>1</accountindex></Phone>")
            lines.append(f"    <Group>{contact['group']}</Group>")
            lines.append("  </Contact>")
        lines.append("</AddressBook>")
        return ("\n".join(lines) + "\n").encode()
