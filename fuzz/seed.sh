#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds: the repository's fixtures, the shared public corpus
# (if present; it is copied, never modified), binary plists converted from them (python3
# plistlib) and CMS-signed/enveloped versions of some of them (openssl). Targets that read a
# mode byte first get one seed per mode. Safe to rerun: existing corpus files are kept.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=..
SHARED=${SHARED_CORPUS:-/work/shared/corpus}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"/{raw,bin,signed}

for dir in "$ROOT/fixtures" "$SHARED"; do
  [ -d "$dir" ] || continue
  find "$dir" -type f ! -name '*.md' ! -name '*.yaml' ! -name '*.snap' | while read -r f; do
    cp "$f" "$WORK/raw/$(echo "${f#"$dir"/}" | tr / _)"
  done
done

if command -v python3 >/dev/null; then
  python3 - "$WORK" <<'PY'
import glob, os, plistlib, sys
work = sys.argv[1]
for f in glob.glob(os.path.join(work, "raw", "*")):
    try:
        value = plistlib.loads(open(f, "rb").read())
        out = plistlib.dumps(value, fmt=plistlib.FMT_BINARY)
    except Exception:
        continue
    open(os.path.join(work, "bin", os.path.basename(f) + ".bplist"), "wb").write(out)
PY
fi

if command -v openssl >/dev/null; then
  (
    cd "$WORK"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 30 -subj /CN=fuzz 2>/dev/null
    i=0
    for f in raw/*.mobileconfig bin/*; do
      i=$((i + 1)); [ $i -gt 30 ] && break
      b=$(basename "$f")
      openssl cms -sign -nodetach -binary -in "$f" -signer c.pem -inkey k.pem -outform DER -out "signed/$b.der" 2>/dev/null || true
      if [ $((i % 3)) = 0 ]; then
        openssl cms -sign -nodetach -binary -stream -in "$f" -signer c.pem -inkey k.pem -outform DER -out "signed/$b.ber" 2>/dev/null || true
      fi
    done
    first=$(ls raw/*.mobileconfig | head -1)
    openssl cms -encrypt -binary -in "$first" -outform DER -out signed/enveloped.der c.pem 2>/dev/null || true
    inner=$(ls signed/*.der | head -1)
    openssl cms -sign -nodetach -binary -in "$inner" -signer c.pem -inkey k.pem -outform DER -out signed/nested.der 2>/dev/null || true
  )
fi

# put <target> <mode byte or ""> <files...>
put() {
  local target=$1 mode=$2; shift 2
  mkdir -p "corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] || continue
    if [ -z "$mode" ]; then
      cp "$f" "corpus/$target/$(basename "$f")"
    else
      { printf "\\x$(printf %02x "$mode")"; cat "$f"; } > "corpus/$target/m$mode-$(basename "$f")"
    fi
  done
}

all=("$WORK"/raw/* "$WORK"/bin/* "$WORK"/signed/*)
text=("$WORK"/raw/*)
json=("$WORK"/raw/*.json)

put xml_plist "" "${text[@]}"
put check_bytes "" "${all[@]}"
put intune_json "" "${json[@]}"
put cms "" "$WORK"/signed/* "$WORK"/raw/*.mobileconfig
put binary_plist 0 "$WORK"/bin/* "$WORK"/raw/*binary*
for f in "$WORK"/bin/*; do
  mkdir -p corpus/binary_plist
  { printf '\x01'; tail -c +9 "$f"; } > "corpus/binary_plist/m1-$(basename "$f")"
done
for mode in 0 1 2 3 4; do put jamf_xml $mode "${text[@]}"; done
put jamf_json 0 "${json[@]}"
for mode in 1 2; do put jamf_json $mode "${text[@]}"; done
put kandji_json 0 "${json[@]}"
for mode in 1 2; do put kandji_json $mode "${text[@]}"; done
for t in corpus/*; do echo "$t: $(ls "$t" | wc -l) seeds"; done
