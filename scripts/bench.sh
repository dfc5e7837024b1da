#!/usr/bin/env bash
# The benchmark behind docs/performance.md. Generates the corpora, then measures with hyperfine
# (wall time) and GNU time (peak memory), side by side with the Python baseline, and writes a
# Markdown table to $OUT/results.md.
#
#     scripts/bench.sh [OUT]        # default: target/bench
#
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time) and python3; installs
# the first two with apt-get when they are missing and it can.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo/target/bench}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

need() {
    command -v "$1" >/dev/null 2>&1 && return
    echo "bench: installing $2 with apt-get" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y "$2" >/dev/null; else sudo apt-get install -y "$2" >/dev/null; fi
}
need hyperfine hyperfine
need /usr/bin/time time

cd "$repo"
cargo build --release --locked --bin sceplint --example gen_corpus
sceplint="$repo/target/release/sceplint"
gen="$repo/target/release/examples/gen_corpus"

"$gen" "$out/profiles" --profiles 10000
"$gen" "$out/unrelated" --profiles 0 --unrelated 100000
"$gen" "$out/backup" --profiles 10000 --unrelated 100000
single="$repo/fixtures/clean/jamf-export.xml"
# One profile with 40,000 unknown keys: 40,000 findings of one rule in one file.
python3 - "$out/many-findings.mobileconfig" <<'PY'
import sys
keys = "".join(f"<key>Unknown{i}</key><string>v</string>\n" for i in range(40000))
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?><plist version="1.0"><dict><key>PayloadType</key><string>Configuration</string>'
    '<key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.security.scep</string>'
    '<key>PayloadContent</key><dict><key>URL</key><string>https://acme.okta.com/pki/x/scep/ca</string>\n'
    + keys + '</dict></dict></array></dict></plist>\n')
PY
# The interpreter itself, not a version manager's shim (pyenv's adds ~80 ms to every start).
python=$(python3 -c 'import sys; print(sys.executable)')

cd "$out"
# `--isolated`: the generated trees have no configuration; findings exit 1, which `-i` allows.
hyperfine -N -i --warmup 3 --runs 20 --export-json "$out/runs.json" \
    -n "10,000 profiles, human report" "$sceplint check --isolated profiles" \
    -n "10,000 profiles, JSON report" "$sceplint check --isolated --format json profiles" \
    -n "10,000 profiles, read and parsed only" "$sceplint check --isolated --select SCEP000 --format json profiles" \
    -n "40,000 findings in one file" "$sceplint check --isolated --format json many-findings.mobileconfig" \
    -n "one small file (pre-commit)" "$sceplint check --isolated $single" \
    -n "100,000 unrelated files" "$sceplint check --isolated unrelated" \
    -n "10,000 profiles in 100,000 other files" "$sceplint check --isolated backup" \
    -n "Python plistlib (check-plists), 10,000 profiles" "$python $repo/scripts/bench/plistlib_check.py profiles" \
    -n "Python interpreter start (python3 -c pass)" "$python -c pass" \
    >&2

peak() { # peak resident memory of a command, in MiB (findings make sceplint exit 1)
    /usr/bin/time -f "%M" -o "$out/peak.txt" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$out/peak.txt" | awk '{printf "%.1f", $1 / 1024}'
}
peak_human=$(peak "$sceplint" check --isolated profiles)
peak_json=$(peak "$sceplint" check --isolated --format json profiles)
peak_backup=$(peak "$sceplint" check --isolated backup)
peak_python=$(peak "$python" "$repo/scripts/bench/plistlib_check.py" profiles)

profiles_mb=$(du -sb profiles | awk '{printf "%.1f", $1 / 1e6}')
python_files=$(find profiles -type f \( -name '*.plist' -o -name '*.mobileconfig' \) | wc -l)
python_mb=$(find profiles -type f \( -name '*.plist' -o -name '*.mobileconfig' \) -print0 | du -cb --files0-from=- | tail -n 1 | awk '{printf "%.1f", $1 / 1e6}')

python3 - "$out/runs.json" "$profiles_mb" "$python_files" "$peak_human" "$peak_json" "$peak_backup" "$peak_python" "$python_mb" <<'PY' | tee "$out/results.md"
import json, os, platform, subprocess, sys

runs = json.load(open(sys.argv[1]))["results"]
mb, python_files, python_mb = float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[8])
peaks = dict(zip(["human", "json", "backup", "python"], sys.argv[4:8]))
ms = lambda r: r["mean"] * 1000
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}")
print()
print("| case | mean ± σ | median | min | files/s | MB/s | peak memory |")
print("|---|---|---|---|---|---|---|")
for r in runs:
    name = r["command"]
    files = 10_000 if "10,000 profiles" in name else (100_000 if "unrelated" in name else 1)
    if "plistlib" in name:
        files = python_files
    rate = f"{files / r['mean']:,.0f}" if files > 1 else ""
    size = f"{mb / r['mean']:.0f}" if "10,000 profiles" in name and "other" not in name else ""
    if "plistlib" in name:
        size = f"{python_mb / r['mean']:.0f}"
    peak = {"human report": peaks["human"], "JSON report": peaks["json"], "other files": peaks["backup"], "plistlib": peaks["python"]}
    mem = next((f"{v} MiB" for k, v in peak.items() if k in name), "")
    print(f"| {name} | {ms(r):.1f} ms ± {r['stddev'] * 1000:.1f} | {r['median'] * 1000:.1f} ms | {r['min'] * 1000:.1f} ms | {rate} | {size} | {mem} |")
python = next(r for r in runs if "plistlib" in r["command"])
human = next(r for r in runs if "human" in r["command"])
read_only = next(r for r in runs if "parsed only" in r["command"])
print()
print(f"Read floor (Python plistlib reading the corpus): {ms(python):.0f} ms. sceplint, human report: "
      f"{human['mean'] / python['mean']:.2f}x it (target: at most 2x); JSON report: "
      f"{next(r for r in runs if 'JSON report' in r['command'])['mean'] / python['mean']:.2f}x. "
      f"sceplint reading and parsing only: {ms(read_only):.0f} ms; the whole check with the human report "
      f"is {human['mean'] / read_only['mean']:.2f}x that.")
print()
print(f"Python plistlib parses {python_files:,} of the 10,000 files ({python_mb} of {mb} MB: the .plist and .mobileconfig ones) "
      f"in {ms(python):.0f} ms; sceplint reads and checks all 10,000 against every rule in {ms(human):.0f} ms: "
      f"{python['mean'] / human['mean']:.1f}x the wall time, "
      f"{(10_000 / human['mean']) / (python_files / python['mean']):.1f}x the files per second.")
PY
