#!/usr/bin/env bash
# `ishc demo --years 10`: wall time over 5 runs (release build) and the size of the ledger it leaves.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p ishc >/dev/null 2>&1
dir=$(mktemp -d)
times=()
for i in 1 2 3 4 5; do
  rm -f "$dir"/l.sqlite*
  start=$(date +%s%N)
  ISHC_TODAY=2026-11-22 target/release/ishc --db "$dir/l.sqlite" demo --years 10 --members 60 >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
size=$(stat -c %s "$dir/l.sqlite")
members=$(ISHC_TODAY=2026-11-22 target/release/ishc --db "$dir/l.sqlite" check --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["members"])')
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "ishc demo --years 10 --members 60 (release): runs ms = $sorted; median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms; ledger $size bytes; $members members ever"
rm -rf "$dir"
