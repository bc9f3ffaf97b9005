# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write schemas/pvalue-catalog.json from plugins/module_utils/catalog.py (``--check``: only compare).

Usage: python tools/gen_catalog_schema.py [--check]
tests/unit/plugins/module_utils/test_catalog.py fails when the file is stale, so run this after editing the catalog.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_PATH = os.path.join(REPO, "schemas", "pvalue-catalog.json")


def import_collection_module(name):
    """Import plugins/module_utils/<name> as ansible_collections.grandstream.phone, wherever the checkout lives."""
    import importlib
    qualified = "ansible_collections.grandstream.phone.plugins.module_utils." + name
    try:
        return importlib.import_module(qualified)
    except ImportError:
        pass
    root = tempfile.mkdtemp(prefix="gs-collection-")
    namespace = os.path.join(root, "ansible_collections", "grandstream")
    os.makedirs(namespace)
    os.symlink(REPO, os.path.join(namespace, "phone"))
    sys.path.insert(0, root)
    return importlib.import_module(qualified)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")
    args = parser.parse_args(argv)
    text = import_collection_module("catalog").schema_text()
    try:
        with open(SCHEMA_PATH, encoding="utf-8") as handle:
            current = handle.read()
    except FileNotFoundError:
        current = None
    if args.check:
        if current != text:
            print("%s is stale: run python tools/gen_catalog_schema.py" % SCHEMA_PATH, file=sys.stderr)
            return 1
        return 0
    if current != text:
        with open(SCHEMA_PATH, "w", encoding="utf-8") as handle:
            handle.write(text)
        print("wrote %s" % SCHEMA_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
