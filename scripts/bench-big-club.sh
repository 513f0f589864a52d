#!/usr/bin/env bash
# The biggest plausible club (`ishc demo --years 30 --members 500`, ISHC_TODAY=2026-11-22): each read
# the window makes, as a whole release `ishc` command (start-up, opening the ledger, the read, the
# JSON). For each: CPU time (perf's task-clock, mean of RUNS runs, when perf can count here, else
# wall time by `date`), system calls (strace, when installed) and instructions (valgrind's
# cachegrind, when installed: the figure that does not move with the machine's load).
# Usage: bash scripts/bench-big-club.sh [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
cargo build --release -p ishc >/dev/null 2>&1
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/ishc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export ISHC_TODAY=2026-11-22 ISHC_DB="$dir/big.sqlite"
start=$(date +%s%N)
"$bin" demo --years 30 --members 500 >/dev/null
echo "demo --years 30 --members 500: $(( ($(date +%s%N) - start) / 1000000 )) ms, $(stat -c %s "$ISHC_DB") bytes"
"$bin" check >/dev/null
reads=(
  "member list"
  "fund dues-grid --month 2026-11"
  "report --period 2025"
  "loan portfolio"
  "loan list"
  "club show"
)
cpu() {
  if perf stat -x, -e task-clock true >/dev/null 2>&1; then
    perf stat -x, -r "$runs" -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {printf "%.2f ms CPU", $1}'
  else
    local s e total=0
    for _ in $(seq "$runs"); do s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); total=$((total + e - s)); done
    awk -v t="$total" -v n="$runs" 'BEGIN {printf "%.2f ms wall", t / n / 1e6}'
  fi
}
printf '%-34s %-16s %-10s %s\n' "read (ishc --json …)" "mean of $runs" "syscalls" "instructions"
for r in "${reads[@]}"; do
  read -r -a args <<<"$r"
  sys="-"; ins="-"
  if command -v strace >/dev/null 2>&1; then
    sys=$(strace -c -f "$bin" --json "${args[@]}" 2>&1 >/dev/null | awk '$NF == "total" {print $(NF-2)}')
  fi
  if command -v valgrind >/dev/null 2>&1; then
    ins=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" --json "${args[@]}" 2>&1 >/dev/null |
      awk '/I *refs/ {print $NF}')
  fi
  printf '%-34s %-16s %-10s %s\n' "$r" "$(cpu "$bin" --json "${args[@]}")" "$sys" "$ins"
done
