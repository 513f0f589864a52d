# Sourced by the Makefile's fuzz targets: libFuzzer's coverage instrumentation on *stable* Rust.
# These are the flags `cargo fuzz build --sanitizer none` passes; every one is a stable `-C` option,
# so neither nightly nor RUSTC_BOOTSTRAP is needed. `--target` (in FUZZ_CARGO) keeps them off build
# scripts and proc macros, which must not be instrumented.
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares"
FUZZ_TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
export FUZZ_TRIPLE
