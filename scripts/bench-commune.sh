#!/usr/bin/env bash
# The commune inbox at scale (issue 15): N clubs (default 1200) registered with their keys, 13 bundles
# each (12 months and the year, a real report.json in each) on a "stick" folder. Then, each in a
# process of its own under /usr/bin/time -v (so each peak memory is its own):
#   - the whole stick imported through the core (import::import_each, rows counted, none kept);
#   - every club's latest year report read back and the year rolled up (send::roll_up_inbox);
#   - with BENCH_CLI=1, the same stick imported again into a copy of the fresh ledger by the real
#     `ishc commune import` (text output, to /dev/null): what the officer runs.
# Prints the figures for BENCHMARKS.md.
# Usage: scripts/bench-commune.sh [N ...]   (several N show whether memory grows with the bundles)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p ishc-core --example commune_bench >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/examples/commune_bench"
if [ "${BENCH_CLI:-0}" = 1 ]; then
  cargo build --release -p ishc >/dev/null 2>&1
  ishc="${CARGO_TARGET_DIR:-target}/release/ishc"
fi
# "<wall> <peak KiB>" of the /usr/bin/time -v output in $1.
measured() {
  local rss wall
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$1")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1")
  echo "wall $wall, peak RSS ${rss} KiB"
}
for n in "${@:-1200}"; do
  dir=$(mktemp -d)
  s=$(date +%s%N)
  "$bin" generate "$dir" "$n"
  e=$(date +%s%N)
  gen_s=$(( (e - s) / 1000000 ))
  stick=$(du -sk "$dir/stick" | cut -f1)
  if [ "${BENCH_CLI:-0}" = 1 ]; then cp "$dir/commune.sqlite" "$dir/cli.sqlite"; fi
  imported=$(/usr/bin/time -v "$bin" import "$dir" 2>"$dir/import.txt")
  rolled=$(/usr/bin/time -v "$bin" rollup "$dir" 2>"$dir/rollup.txt")
  echo "N=$n clubs: generate+register ${gen_s} ms; stick ${stick} KiB"
  echo "  import: $(measured "$dir/import.txt"); $imported"
  echo "  roll-up: $(measured "$dir/rollup.txt"); $rolled"
  if [ "${BENCH_CLI:-0}" = 1 ]; then
    ISHC_ACTOR=Bench /usr/bin/time -v "$ishc" --db "$dir/cli.sqlite" commune import "$dir/stick" >/dev/null 2>"$dir/cli.txt" || { tail -5 "$dir/cli.txt"; exit 1; }
    echo "  ishc commune import: $(measured "$dir/cli.txt")"
  fi
  rm -rf "$dir"
done
