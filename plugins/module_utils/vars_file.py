# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Edit an Ansible variables file (``host_vars/<host>.yml``) in place, the way a careful person would.

ruamel.yaml round-trip mode keeps comments, key order and the text of every value nobody touched;
the file's own indentation is detected and reused, and a file nobody changed is given back byte for
byte. New strings are quoted wherever YAML 1.1 (what Ansible reads) would take them for something
else (``yes``, ``12:30``, ``0123``), and text that looks like a Jinja2 template is tagged ``!unsafe``
so Ansible stores it instead of rendering it. Vault-encrypted values, templates and secrets are never
shown: every view of the file for output (diff, return values) masks them.
"""

from __future__ import annotations

__metaclass__ = type

import copy
import io
import re

try:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.scalarstring import SingleQuotedScalarString
    HAS_RUAMEL = True
    RUAMEL_IMPORT_ERROR = None
except ImportError as import_error:  # pragma: no cover - reported when a file is loaded
    HAS_RUAMEL = False
    RUAMEL_IMPORT_ERROR = import_error

from ansible_collections.grandstream.phone.plugins.module_utils.desired_state import PVALUE_MAPPINGS as PVALUE_LAYERS
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.files import read_existing
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK, is_secret

NEW_FILE_HEADER = ("---\n# Exported from the phone by grandstream.phone.gs_export. Edit freely: a new export keeps\n"
                   "# comments and other keys, and only updates the values the phone changed.\n")
_TEMPLATE_MARKERS = ("{{", "{%", "{#")
_STR_TAG = "tag:yaml.org,2002:str"
_VAULT_HEADER = "$ANSIBLE_VAULT;"
_DOCUMENT_START = re.compile(r"^---\s*(#.*)?$")
_HOUSE_STYLE = (2, 2)  # mapping indent, sequence dash offset (ansible-lint's style: "  - name: x")


def guess_indentation(text):
    """(mapping indent, sequence dash offset) the file uses; the house style for what it does not show."""
    mapping = offset = None
    opener = None  # column of the key on the previous line when that line opened a block ("key:")
    for line in text.splitlines():
        code = re.sub(r"\s+#.*$", "", line.rstrip())
        stripped = code.strip()
        if not stripped or stripped.startswith(("#", "---", "...", "%")):
            continue
        indent = len(code) - len(code.lstrip(" "))
        if opener is not None:
            if stripped.startswith("- ") and indent >= opener and offset is None:
                offset = indent - opener
            elif indent > opener and not stripped.startswith("- ") and mapping is None:
                mapping = indent - opener
        body = stripped
        while body.startswith("- "):
            body = body[2:].lstrip()
        opener = len(code) - len(body) if body.endswith(":") else None
        if mapping is not None and offset is not None:
            break
    return (mapping or _HOUSE_STYLE[0], _HOUSE_STYLE[1] if offset is None else offset)


def _split_preamble(text):
    """Leading comments and the ``---`` line, which ruamel would drop, apart from the document."""
    lines = text.splitlines(True)
    for index, line in enumerate(lines):
        if _DOCUMENT_START.match(line.strip()):
            return "".join(lines[:index + 1]), "".join(lines[index + 1:])
        if line.strip() and not line.lstrip().startswith(("#", "%")):
            break
    return "", text


class VarsFile:
    """One variables file: its original text, the tree being edited, and whether anything changed."""

    def __init__(self, dest, original, extra_pvalue_layers=()):
        if not HAS_RUAMEL:
            raise PhoneError("the Python library 'ruamel.yaml' is required on the controller to edit %s: %s"
                             % (dest, RUAMEL_IMPORT_ERROR), kind="dependency")
        self.dest = dest
        self.original = original
        self.modified = False
        self.pvalue_layer_names = list(dict.fromkeys(list(PVALUE_LAYERS) + list(extra_pvalue_layers)))
        try:
            text = original.decode("utf-8") if original is not None else ""
        except UnicodeDecodeError:
            raise ValidationError("dest %s is not UTF-8 text" % dest, field="dest")
        if text.lstrip().startswith(_VAULT_HEADER):
            raise ValidationError("dest %s is encrypted with ansible-vault as a whole; export into a plain file "
                                  "next to it (host_vars/<phone>/exported.yml) and keep secrets in the vault file"
                                  % dest, field="dest")
        self.preamble, self._body = _split_preamble(text)
        self.yaml = YAML(typ="rt")
        self.yaml.width = 4096  # never fold long values across lines
        self.yaml.preserve_quotes = True
        mapping, offset = guess_indentation(text)
        self.yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        self.data = self._parse(self._body)
        if original is None:
            self.preamble = NEW_FILE_HEADER
        elif self.data is None:  # empty or comments only: keep that text, the keys go after it
            self.preamble = text if text.endswith("\n") or not text else text + "\n"
        if self.data is None:
            self.data = CommentedMap()

    @classmethod
    def load(cls, dest, extra_pvalue_layers=()):
        return cls(dest, read_existing(dest)[0], extra_pvalue_layers)

    def _parse(self, body):
        try:
            data = self.yaml.load(body)
        except YAMLError as error:
            raise ValidationError("dest %s is not valid YAML (%s); fix or move it, then export again"
                                  % (self.dest, str(error).splitlines()[0]), field="dest")
        if data is not None and not isinstance(data, CommentedMap):
            raise ValidationError("dest %s does not hold a mapping of variables" % self.dest, field="dest")
        return data

    # ------------------------------------------------------------------ values
    @staticmethod
    def is_opaque(value):
        """Vault-encrypted (any tag but !unsafe) or a template: what it stands for is not known here."""
        if isinstance(value, TaggedScalar):
            return _tag_of(value) != "!unsafe"
        return isinstance(value, str) and any(marker in value for marker in _TEMPLATE_MARKERS)

    @classmethod
    def plain(cls, value):
        """Plain Python data (dict, list, str, int, bool) from ruamel's round-trip types."""
        if isinstance(value, TaggedScalar):
            return str(value.value)
        if isinstance(value, dict):
            return {str(key): cls.plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [cls.plain(item) for item in value]
        if isinstance(value, bool) or value is None:
            return value
        for kind in (str, int, float):
            if isinstance(value, kind):
                return kind(value)
        return value

    @classmethod
    def to_yaml(cls, value):
        """ruamel nodes for a new value, quoted or tagged so Ansible reads back exactly ``value``."""
        if isinstance(value, dict):
            mapping = CommentedMap()
            for key, item in value.items():
                mapping[key] = cls.to_yaml(item)
            return mapping
        if isinstance(value, list):
            return CommentedSeq(cls.to_yaml(item) for item in value)
        if isinstance(value, str):
            if any(marker in value for marker in _TEMPLATE_MARKERS):
                return TaggedScalar(value=value, style="'", tag="!unsafe")
            if _YAML11.resolve(ScalarNode, value, (True, False)) != _STR_TAG:
                return SingleQuotedScalarString(value)
        return value

    # ------------------------------------------------------------------ edits
    def pvalue_layers(self):
        """The P-value mappings this file declares (site, group, host layers and the export's target)."""
        return [self.data[name] for name in self.pvalue_layer_names if isinstance(self.data.get(name), dict)]

    def set_item(self, mapping, key, value):
        mapping[key] = self.to_yaml(value)
        self.modified = True

    def add_items(self, name, items):
        """Add ``items`` to the mapping ``name`` (created when missing); False when it is not a mapping."""
        if name not in self.data:
            self.data[name] = CommentedMap()
        if not isinstance(self.data[name], dict):
            return False
        for key, value in items.items():
            self.set_item(self.data[name], key, value)
        return True

    def set_list(self, name, entries, warnings):
        """Make ``name`` hold ``entries``; an absent key stays absent while there is nothing to declare."""
        current = self.data.get(name)
        if self.is_opaque(current):
            warnings.append("%s in dest is a template or encrypted; left as it is" % name)
            return
        if self.plain(current) == entries or (current is None and not entries):
            return
        self.data[name] = self.to_yaml(entries)
        self.modified = True

    # ------------------------------------------------------------------ output
    def content(self):
        """The file's bytes: the original ones when nothing changed."""
        if not self.modified and self.original is not None:
            return self.original
        stream = io.StringIO()
        if self.data:
            self.yaml.dump(self.data, stream)
        return (self.preamble + stream.getvalue()).encode("utf-8")

    def _masked(self, data):
        masked = copy.deepcopy(data)
        _mask(masked, self.pvalue_layer_names, in_pvalues=False)
        return masked

    def masked_text(self, original=False):
        """The whole file as text for --diff, secrets masked; both sides go through the same printer."""
        if original and self.original is None:
            return ""
        data = self._parse(self._body) if original else self.data
        stream = io.StringIO()
        if data:
            self.yaml.dump(self._masked(data), stream)
        return self.preamble + stream.getvalue()

    def masked_values(self, names):
        """{name: plain value} of the variables ``names`` as the file holds them now, secrets masked."""
        masked = self._masked(CommentedMap((name, self.data[name]) for name in names if name in self.data))
        return self.plain(masked)


def _tag_of(value):
    tag = value.tag  # a Tag object on recent ruamel.yaml, its text on older releases
    return str(getattr(tag, "value", tag))


def _mask(node, pvalue_layer_names, in_pvalues):
    """Replace secrets and vault-encrypted values in a ruamel tree, in place."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, TaggedScalar) and _tag_of(value) != "!unsafe":
            node[key] = MASK
        elif isinstance(value, (dict, list)):
            _mask(value, pvalue_layer_names, in_pvalues=isinstance(node, dict) and key in pvalue_layer_names)
        elif isinstance(node, dict) and value not in (None, "") and is_secret(key, pvalue=in_pvalues):
            node[key] = MASK


_YAML11 = VersionedResolver(version=(1, 1)) if HAS_RUAMEL else None
