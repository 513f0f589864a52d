#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ishc_fuzz::roster_xlsx(data);
});
