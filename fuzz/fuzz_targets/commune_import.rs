#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ishc_fuzz::commune_import(data);
});
