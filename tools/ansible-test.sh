#!/usr/bin/env bash
# ansible-test needs the collection at .../ansible_collections/<namespace>/<name>; run it on a copy of
# the tracked (and new, not ignored) files so the checkout itself can live anywhere.
#   tools/ansible-test.sh sanity --python 3.11
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Outside the checkout: inside it, ansible-test would see the outer git repo ignoring the copy.
# A fresh directory per run, so two runs (a developer's and CI's) never share one.
work=$(mktemp -d "${TMPDIR:-/tmp}/grandstream-phone-ansible-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/grandstream/phone"
mkdir -p "$dest"
cd "$root"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  [ -e "$file" ] || continue
  mkdir -p "$dest/$(dirname "$file")"
  cp -p "$file" "$dest/$file"
done
cd "$dest"
# ansible-test pins the pip it bootstraps into each sanity venv (pip='24.2' in python_requirements.py).
pip_version=$(grep -o "pip='[0-9.]*'" "$("$root/.venv/bin/python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -1 | tr -dc '0-9.')
mkdir -p "$HOME/.ansible/test/cache"
cp "$root/tools/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
"$root/.venv/bin/ansible-test" "$@"
