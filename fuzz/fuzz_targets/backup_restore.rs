#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ishc_fuzz::backup_restore(data);
});
