#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The outcomes are checked inside the harness (accepted or refused with a code).
    let _outcomes = ishc_fuzz::backup_restore(data);
});
