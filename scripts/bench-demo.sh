#!/usr/bin/env bash
# Whole-command timings (release build, 5 runs each, median): `ishc demo --years 10`, the ledger size,
# `ishc check` on it, and on the same journal `ishc fund balance` against the reference `hledger balance`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p ishc >/dev/null 2>&1
dir=$(mktemp -d)
export ISHC_TODAY=2026-11-22 ISHC_DB="$dir/l.sqlite"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
demo=()
for i in 1 2 3 4 5; do
  rm -f "$dir"/l.sqlite*
  demo+=($(ms target/release/ishc demo --years 10 --members 60))
done
size=$(stat -c %s "$dir/l.sqlite")
summary=$(target/release/ishc check --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["members"])')
entries=$(target/release/ishc fund journal --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
target/release/ishc fund export-journal --format hledger --out "$dir/j.hledger"
checks=()
for i in 1 2 3 4 5; do
  checks+=($(ms target/release/ishc check --json))
done
ours=(); theirs=()
for i in 1 2 3 4 5; do
  ours+=($(ms target/release/ishc fund balance --json))
  theirs+=($(ms hledger -f "$dir/j.hledger" balance --flat --no-total))
done
echo "ishc demo --years 10 --members 60: median $(median "${demo[@]}") ms (runs: ${demo[*]}); ledger $size bytes; $summary members ever; $entries vouchers"
echo "ishc check (integrity, every rule, hash chain, seal chain, signed heads), whole command: median $(median "${checks[@]}") ms (runs: ${checks[*]})"
echo "same journal, whole command incl. start-up: ishc fund balance median $(median "${ours[@]}") ms; hledger balance median $(median "${theirs[@]}") ms"
rm -rf "$dir"
