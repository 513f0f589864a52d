// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's compositing mode draws the page through OpenGL: on a laptop without a usable GPU
    // (and under Xvfb) that is a software renderer holding about 130 MiB more in the web process
    // (BENCHMARKS.md, "The window"), for a page of forms and tables that needs none of it. Off
    // unless whoever starts the app says otherwise. Set here, first, before any thread exists.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    ishc_app::run();
}
