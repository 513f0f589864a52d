//! What differs between the systems the app runs on, in one place: the rest of the core and the
//! CLI use only the standard library's portable calls and these. Linux is where it is built and
//! tested; docs/windows.md says what Windows would need here.
//!
//! - `sync_dir`: making a rename durable. Unix syncs the folder; Windows has no such call (a
//!   rename there is all there is), so it does nothing.
//! - `removable_drives`: the USB sticks and SD cards to offer as destinations. Linux reads
//!   `/proc/mounts`; elsewhere none are listed yet (a typed path still works).

use std::io;
use std::path::Path;

use crate::files::Destination;

/// Make a rename in `dir` durable (Unix: sync the folder). A file system that cannot sync a folder
/// (it says `InvalidInput` or `Unsupported`) is not an error: the file itself was synced.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        match std::fs::File::open(dir).and_then(|d| d.sync_all()) {
            Err(e) if matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported) => Ok(()),
            other => other,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The removable drives mounted now.
pub(crate) fn removable_drives() -> io::Result<Vec<Destination>> {
    #[cfg(target_os = "linux")]
    {
        Ok(crate::files::removable_in(&std::fs::read_to_string("/proc/mounts")?))
    }
    #[cfg(not(target_os = "linux"))]
    {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_syncs_and_a_missing_one_is_said() {
        let dir = tempfile::tempdir().unwrap();
        sync_dir(dir.path()).unwrap();
        #[cfg(unix)]
        assert_eq!(sync_dir(&dir.path().join("gone")).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_drives_are_read_from_the_mount_table_here() {
        // The build machines mount no sticks; what matters is that the table is read, not
        // silently missing (`removable_in` has its own tests on sample tables).
        let drives = removable_drives().unwrap();
        assert!(drives.iter().all(|d| d.removable && ["/media/", "/run/media/", "/mnt/"].iter().any(|r| d.path.starts_with(r))));
    }
}
