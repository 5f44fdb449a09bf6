#!/bin/sh
# Checks that po/POTFILES.in lists every source file with translatable strings, and only
# files that exist: a file missing from the list ships untranslated, and xgettext fails on
# a listed file that is gone.
#
# Usage: po/check-potfiles.sh [--update] [SOURCE_ROOT]
#   --update  rewrite po/POTFILES.in from the current tree instead of checking it.

set -eu

update=false
if [ "${1:-}" = "--update" ]; then
  update=true
  shift
fi
srcroot=${1:-$(dirname "$0")/..}
cd "$srcroot"

if [ ! -f po/POTFILES.in ]; then
  echo "po/POTFILES.in not found under $srcroot" >&2
  exit 1
fi

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

# A call to a gettext function or macro, also in GNU style with a space before '('; the
# leading class keeps identifiers such as foo_ ( or my_gettext ( from matching.
gettext_calls='_|N_|C_|NC_|Q_|gettext|ngettext|dgettext|dngettext'
gettext_calls="$gettext_calls|g_dgettext|g_dngettext|g_dpgettext|g_dpgettext2|g_dcgettext"
c_re="(^|[^A-Za-z0-9_])($gettext_calls)[[:space:]]*\\("

{
  # These formats always carry user-visible text.
  find data -type f \( -name '*.desktop.in.in' -o -name '*.desktop.in' \
                       -o -name '*.metainfo.xml.in.in' -o -name '*.metainfo.xml.in' \
                       -o -name '*.gschema.xml' \) -print
  # grep exits 1 when a batch has no match; that is not an error here.
  find src data -type f \( -name '*.c' -o -name '*.h' \) -exec grep -lE "$c_re" {} + || :
  find src data -type f -name '*.ui' -exec grep -l 'translatable="yes"' {} + || :
} | LC_ALL=C sort -u > "$tmpdir/needed"

if $update; then
  {
    echo '# Files with translatable strings. Regenerate with: po/check-potfiles.sh --update'
    cat "$tmpdir/needed"
  } > po/POTFILES.in
  echo "po/POTFILES.in: $(wc -l < "$tmpdir/needed") files"
  exit 0
fi

sed -e '/^[[:space:]]*#/d' -e '/^\[/d' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in \
  | LC_ALL=C sort -u > "$tmpdir/listed"

status=0

LC_ALL=C comm -23 "$tmpdir/needed" "$tmpdir/listed" > "$tmpdir/missing"
if [ -s "$tmpdir/missing" ]; then
  echo "These files have translatable strings but are not in po/POTFILES.in:" >&2
  sed 's/^/  /' "$tmpdir/missing" >&2
  status=1
fi

while IFS= read -r f; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist" >&2
    status=1
  fi
done < "$tmpdir/listed"

if [ "$status" -ne 0 ]; then
  echo "Run po/check-potfiles.sh --update to rewrite the list." >&2
else
  echo "po/POTFILES.in lists all $(wc -l < "$tmpdir/needed") files with translatable strings"
fi
exit "$status"
