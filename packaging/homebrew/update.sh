#!/bin/sh
# Fills in packaging/homebrew/sceplint.rb (or FORMULA) for a release: sets `version` and every
# `sha256` line marked "# release: TARGET" to the checksum of sceplint-VERSION-TARGET.tar.gz
# in SHA256SUMS (the file the release workflow publishes, in `sha256sum` format).
#
#   usage: update.sh VERSION SHA256SUMS [FORMULA]
#
# Fails, leaving the formula as it was, if a target's archive is not in SHA256SUMS.
set -eu

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 VERSION SHA256SUMS [FORMULA]" >&2
    exit 2
fi
version=${1#v}
sums=$2
formula=${3:-$(dirname "$0")/sceplint.rb}

case "$version" in
    '' | *[!0-9A-Za-z.+-]*) echo "update.sh: '$version' is not a version" >&2; exit 2 ;;
esac
[ -s "$sums" ] || { echo "update.sh: $sums is missing or empty" >&2; exit 2; }
[ -w "$formula" ] || { echo "update.sh: cannot write $formula" >&2; exit 2; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# awk does the rewrite: it reads SHA256SUMS first, then the formula.
if ! awk -v version="$version" '
    FNR == NR {
        file = $2
        sub(/^\*/, "", file)            # sha256sum -b marks binary files with a star
        sum[file] = $1
        next
    }
    /^  version "[^"]*"$/ {
        print "  version \"" version "\""
        next
    }
    /# release: / {
        target = $0
        sub(/.*# release: /, "", target)
        sub(/[ \t]+$/, "", target)
        archive = "sceplint-" version "-" target ".tar.gz"
        if (!(archive in sum) || sum[archive] !~ /^[0-9a-f]+$/ || length(sum[archive]) != 64) {
            print "update.sh: no checksum for " archive " in SHA256SUMS" > "/dev/stderr"
            missing = 1
            next
        }
        line = $0
        sub(/sha256 "[^"]*"/, "sha256 \"" sum[archive] "\"", line)
        print line
        found++
        next
    }
    { print }
    END {
        if (missing || found == 0) exit 1
    }
' "$sums" "$formula" > "$tmp"; then
    echo "update.sh: $formula left unchanged" >&2
    exit 1
fi

cat "$tmp" > "$formula"
echo "update.sh: $formula is now sceplint $version"
