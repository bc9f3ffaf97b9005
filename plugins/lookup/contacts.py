# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
name: contacts
short_description: Phonebook contacts (or their groups) from CSV and vCard files
version_added: 1.0.0
description:
  - Reads contacts from CSV or vCard files and returns them in the shape of the
    M(grandstream.phone.gs_contacts) O(grandstream.phone.gs_contacts#module:config) option and the role's
    C(phone_contacts) - or, with O(groups=true), the groups they name, in the shape of
    O(grandstream.phone.gs_contacts#module:groups) and C(phone_groups).
  - Every contact is validated exactly as a hand-written one (name, number and email rules, lengths,
    duplicates); the first bad entry fails the lookup with the file, the line and the field
    (C(staff.csv:12.work - '555-CALL' is not a dialable number ...)). A vCard's error names the card's
    C(BEGIN:VCARD) line.
  - The returned list is ready for M(grandstream.phone.gs_render) too, which writes it into the C(phonebook.xml)
    phones download.
  - Data a contact cannot hold is never dropped without a word - a second number of one kind, extra
    categories, CSV columns that are no contact field - each gives a warning.
  - "CSV - a header row, then one contact per row; empty cells are left out, blank rows skipped. Without
    O(columns), each field is found under its own name or a usual export name (compared ignoring case,
    spaces, C(-) and C(_)): C(first_name) (C(First Name), C(Given Name)), C(last_name) (C(Surname),
    C(Family Name)), C(group) (C(Category), C(Department)), C(work) (C(Work Phone), C(Business Phone),
    C(Phone)), C(home)
    (C(Home Phone)), C(mobile) (C(Mobile Phone), C(Cell)), C(fax) (C(Business Fax)), C(email) (C(E-mail),
    C(Email Address))."
  - "vCard 2.1, 3.0 and 4.0 - C(N) gives the last and first name (C(FN) when C(N) has no name); C(TEL) by
    C(TYPE) - C(work), C(home), C(cell) (C(mobile)), C(fax) (a C(work,fax) number is the fax); a C(TEL) with no
    type is the work number; C(tel:) URIs are accepted; C(EMAIL) - the first; C(CATEGORIES) - the first
    category is the group. Other properties are ignored. Quoted-printable values (some vCard 2.1 exports) are
    refused with the line rather than guessed."
author:
  - grandstream.phone maintainers (@grandstream-phone)
options:
  _terms:
    description:
      - Files to read; relative names are searched like the C(file) lookup does (the role's or playbook's
        C(files/) directory, then the playbook directory).
      - The contacts of all files are returned together; a name in two files is a duplicate.
    type: list
    elements: str
    required: true
  groups:
    description: Return the groups the contacts name (built-in C(default) and C(blacklist) left out), in order of
      first use, instead of the contacts.
    type: bool
    default: false
  format:
    description: File format; V(auto) takes V(vcard) for C(.vcf) and C(.vcard) files, V(csv) for any other.
    type: str
    choices: [auto, csv, vcard]
    default: auto
  columns:
    description:
      - "CSV only - the header name of each field, for example C({first_name: Vorname, work: Telefon}). Only the
        fields named are read, every named column must exist, and other columns are ignored without a warning."
      - Fields - C(first_name) (required), C(last_name), C(group), C(work), C(home), C(mobile), C(fax), C(email).
    type: dict
  delimiter:
    description: CSV only - the field delimiter.
    type: str
    default: ","
  default_group:
    description: Group of contacts whose row or card names none; without it they are in the phone's default group.
    type: str
"""

EXAMPLES = r"""
# In group_vars/all.yml the role's phonebook comes from the staff list HR exports:
#   phone_groups: "{{ query('grandstream.phone.contacts', 'staff.csv', groups=true) }}"
#   phone_contacts: "{{ query('grandstream.phone.contacts', 'staff.csv') }}"

- name: Contacts of a German export with its own headers; those without a department go to Staff
  grandstream.phone.gs_contacts:
    groups: "{{ query('grandstream.phone.contacts', 'mitarbeiter.csv', groups=true, delimiter=';',
                      default_group='Staff', columns=columns) }}"
    config: "{{ query('grandstream.phone.contacts', 'mitarbeiter.csv', delimiter=';', default_group='Staff',
                      columns=columns) }}"
  vars:
    columns: {first_name: Vorname, last_name: Nachname, group: Abteilung, work: Telefon, mobile: Handy,
              email: E-Mail}

- name: Render the vCards of the address book into the phonebook.xml phones download
  grandstream.phone.gs_render:
    mac: "{{ phone_mac }}"
    dest_dir: /srv/provisioning
    groups: "{{ query('grandstream.phone.contacts', 'contacts.vcf', groups=true) }}"
    contacts: "{{ query('grandstream.phone.contacts', 'contacts.vcf') }}"
"""

RETURN = r"""
_list:
  description:
    - The contacts, each with C(first_name) and those of C(last_name), C(group), C(work), C(home), C(mobile),
      C(fax), C(email) that are set - or, with O(groups=true), the groups, each with C(name).
    - C(lookup()) with one file returns the same list; prefer C(query()), which always returns a list.
  type: list
  elements: dict
  sample:
    - {first_name: Jack, last_name: Brown, group: Sales, work: "+1 555 0100", email: jack.brown@example.com}
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.grandstream.phone.plugins.module_utils.contacts_file import read_phonebook_file
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import full_name

display = Display()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        contacts, groups, places = [], [], {}
        for term in terms:
            path = self.find_file_in_search_path(variables, "files", term)
            if path is None:
                raise AnsibleLookupError("grandstream.phone.contacts: file %r not found" % term)
            try:
                result = read_phonebook_file(path, self.get_option("format"), self.get_option("columns"),
                                             self.get_option("delimiter"), self.get_option("default_group"))
            except ValidationError as problem:
                raise AnsibleLookupError("grandstream.phone.contacts: %s" % problem)
            for warning in result.warnings:
                display.warning("grandstream.phone.contacts: %s" % warning)
            for contact in result.contacts:
                key = full_name(contact["first_name"], contact.get("last_name"))
                if key in places:
                    raise AnsibleLookupError("grandstream.phone.contacts: contact %r is in both %s and %s"
                                             % (key, places[key], result.label))
                places[key] = result.label
                contacts.append(contact)
            groups += [group for group in result.groups if group not in groups]
        GroupResource().validate(groups, "merged", option="groups")
        return groups if self.get_option("groups") else contacts
