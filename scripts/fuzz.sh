#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of outside data (docs/fuzzing.md), on stable Rust:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Builds fuzz/ with libFuzzer's instrumentation, then runs each target for the time given (default
# 300 s) on its committed corpus (fuzz/corpus/T, read only) plus what earlier runs found
# (fuzz/work/T, git-ignored). A crash, a timeout (10 s for one input) or memory over 512 MiB stops
# the target and leaves the input in fuzz/work/artifacts/T/; the script then fails.
# FUZZ_NICE (default 10) is the niceness, FUZZ_JOBS (default 1) the targets run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(bundle_verify bundle_signed roster_csv roster_xlsx backup_restore commune_import)
. scripts/fuzz-env.sh
echo "fuzz: building the instrumented targets (release, $FUZZ_TRIPLE)"
(cd fuzz && nice -n "${FUZZ_NICE:-10}" cargo build --locked --release --target "$FUZZ_TRIPLE" --bins)
bin_dir="${CARGO_TARGET_DIR:-fuzz/target}/$FUZZ_TRIPLE/release"
case "$bin_dir" in /*) ;; *) bin_dir="$PWD/$bin_dir" ;; esac

# The largest input tried, per target: a little over the largest real file of its kind in the seeds
# (the readers' own caps, 4 MiB for a sheet and 65 MiB for a bundle, are held by unit tests: an
# input that large would only slow the search).
max_len() {
  case "$1" in
    bundle_verify|bundle_signed|commune_import) echo 262144 ;;
    roster_xlsx) echo 65536 ;;
    backup_restore) echo 1100000 ;;
    *) echo 16384 ;;
  esac
}

run() {
  local t="$1"
  mkdir -p "fuzz/work/$t" "fuzz/work/artifacts/$t"
  nice -n "${FUZZ_NICE:-10}" "$bin_dir/$t" "fuzz/work/$t" "fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -max_len="$(max_len "$t")" \
    -print_final_stats=1 -artifact_prefix="fuzz/work/artifacts/$t/" >"fuzz/work/$t.log" 2>&1
}

status=0
pids=(); names=()
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds}s"
  run "$t" & pids+=($!); names+=("$t")
  if [ ${#pids[@]} -ge "${FUZZ_JOBS:-1}" ]; then
    wait "${pids[0]}" || { echo "fuzz: ${names[0]} FOUND A PROBLEM: see fuzz/work/${names[0]}.log and fuzz/work/artifacts/${names[0]}/"; status=1; }
    pids=("${pids[@]:1}"); names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { echo "fuzz: ${names[$i]} FOUND A PROBLEM: see fuzz/work/${names[$i]}.log"; status=1; }
done
for t in "${targets[@]}"; do
  echo "--- $t: $(grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "fuzz/work/$t.log" | tr '\n' ' ')"
  echo "    corpus: $(ls "fuzz/corpus/$t" | wc -l) committed + $(ls "fuzz/work/$t" | wc -l) found"
done
exit $status
