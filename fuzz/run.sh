#!/usr/bin/env bash
# Fuzzes each named target (all of them by default), one after the other, for BUDGET seconds
# of wall time each (default 600). When libFuzzer stops at a crash, timeout or OOM, the target
# is restarted with the time that is left, so the whole budget is used; every run is logged
# under fuzz/logs/. One process at a time, no -jobs/-workers.
set -uo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-600}
SANITIZER=${SANITIZER:-address}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(check_bytes xml_plist jamf_xml jamf_json kandji_json intune_json binary_plist cms)
mkdir -p fuzz/logs
export RUSTC_BOOTSTRAP=1
for target in "${TARGETS[@]}"; do
  dict=fuzz/dict/plist.dict
  [ "$target" = cms ] && dict=fuzz/dict/cms.dict
  start=$(date +%s)
  run=0
  while :; do
    left=$((BUDGET - ($(date +%s) - start)))
    [ $left -gt 5 ] || break
    run=$((run + 1))
    n=1; while [ -e "fuzz/logs/$target-$n.log" ]; do n=$((n + 1)); done
    log=fuzz/logs/$target-$n.log
    echo "== $target run $run: $left s left, log $log"
    cargo fuzz run -s "$SANITIZER" "$target" -- \
      -dict="$PWD/$dict" -max_total_time=$left -rss_limit_mb=2048 -timeout=10 \
      -max_len=65536 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    echo "== $target run $run: exit $rc after $(( $(date +%s) - start )) s"
    grep -E "^#[0-9]+.*(DONE|pulse|NEW)" "$log" | tail -1
    grep -E "^(==[0-9]+==ERROR|SUMMARY|thread '.*' panicked|Test unit written|artifact_prefix)" "$log" | head -5
  done
  echo "== $target done: $(( $(date +%s) - start )) s wall, $run run(s)"
done
