#!/usr/bin/env bash
# The commune inbox at scale (issue 15): N clubs (default 1200) registered with their keys, 13 bundles
# each (12 months and the year, a real report.json in each) on a "stick" folder; then, in a process
# of its own under /usr/bin/time -v, the whole stick imported and every club's latest year report
# read back and the year rolled up (send::roll_up_inbox). Prints the figures for BENCHMARKS.md.
# Usage: scripts/bench-commune.sh [N ...]   (several N show whether memory grows with the bundles)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p ishc-core --example commune_bench >/dev/null 2>&1
bin="${CARGO_TARGET_DIR:-target}/release/examples/commune_bench"
for n in "${@:-1200}"; do
  dir=$(mktemp -d)
  s=$(date +%s%N)
  "$bin" generate "$dir" "$n"
  e=$(date +%s%N)
  gen_s=$(( (e - s) / 1000000 ))
  figures=$(/usr/bin/time -v "$bin" import "$dir" 2>"$dir/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt")
  stick=$(du -sk "$dir/stick" | cut -f1)
  echo "N=$n clubs: generate+register ${gen_s} ms; stick ${stick} KiB; import process wall $wall, peak RSS ${rss} KiB; $figures"
  rm -rf "$dir"
done
