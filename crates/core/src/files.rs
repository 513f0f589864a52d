//! Writing a file so that a power cut or a pulled USB stick never leaves a half-file under the real
//! name: write beside it under a hidden name that does not end like the real one, flush it to the
//! device, rename, then flush the folder so the rename itself survives.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

/// The temporary name used while `path` is being written: `.name.partial` in the same folder.
pub fn partial_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Write `bytes` to `path` atomically (see the module comment). On error the partial file is removed
/// when the device still allows it; the real name is never left holding anything but a whole file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// As `write_atomic`, with the writing done by `fill` (tests use it to fail half-way).
pub fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let tmp = partial_name(path);
    let result = (|| {
        let mut f = File::create(&tmp)?;
        fill(&mut f)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Some file systems (FAT on a stick) cannot sync a folder; the file itself is synced.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Read a file that comes from outside (a key, a bundle, a sheet, a minutes file) with its size
/// capped *before* reading: it must be a regular file (a FIFO would wait forever, `/dev/zero` never
/// ends), no larger than `max_bytes`. The check is made on the path and again on the opened handle,
/// and the read itself stops one byte past the cap, so a file that grows meanwhile is refused too.
pub fn read_capped(path: &Path, max_bytes: u64) -> crate::error::Result<Vec<u8>> {
    use crate::error::CoreError;
    use std::io::Read;
    let shown = path.display().to_string();
    let unreadable = |e: io::Error| CoreError::FileUnreadable { path: shown.clone(), detail: e.to_string() };
    let too_large = || CoreError::FileTooLarge { path: shown.clone(), max_kib: max_bytes.div_ceil(1024) };
    // Checked before opening: opening a FIFO for reading blocks until someone writes to it.
    let meta = fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(CoreError::FileNotRegular { path: shown.clone() });
    }
    let file = File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(CoreError::FileNotRegular { path: shown.clone() });
    }
    if meta.len() > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

/// As `read_capped`, for text: UTF-8 (a leading BOM is dropped), refused by name otherwise.
pub fn read_text_capped(path: &Path, max_bytes: u64) -> crate::error::Result<String> {
    let bytes = read_capped(path, max_bytes)?;
    let text = String::from_utf8(bytes).map_err(|e| crate::error::CoreError::FileUnreadable {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// A folder a report can be written to: USB sticks and other removable drives first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Destination {
    pub path: String,
    /// The drive's name (its label, as the desktop mounted it) or the folder's name.
    pub label: String,
    pub removable: bool,
}

/// Undo the octal escapes `/proc/mounts` uses for spaces and the like (`\040`).
fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removable drives in a `/proc/mounts` text: what the desktop mounted under `/media`, `/run/media`
/// (USB sticks, SD cards) or an admin under `/mnt`.
pub fn removable_in(mounts: &str) -> Vec<Destination> {
    let mut out: Vec<Destination> = mounts
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let (dev, mount) = (parts.next()?, unescape_mount(parts.next()?));
            let under = ["/media/", "/run/media/", "/mnt/"].iter().any(|root| mount.starts_with(root));
            (under && dev.starts_with("/dev/")).then(|| Destination {
                label: Path::new(&mount).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| mount.clone()),
                path: mount,
                removable: true,
            })
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

/// Where a report can go: removable drives first, then the user's Documents and home folders.
pub fn destinations() -> Vec<Destination> {
    let mut out = removable_in(&fs::read_to_string("/proc/mounts").unwrap_or_default());
    if let Some(dirs) = directories::UserDirs::new() {
        let mut local = Vec::new();
        if let Some(docs) = dirs.document_dir() {
            local.push(docs.to_path_buf());
        }
        local.push(dirs.home_dir().to_path_buf());
        for p in local.into_iter().filter(|p| p.is_dir()) {
            let label = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let path = p.display().to_string();
            if !out.iter().any(|d| d.path == path) {
                out.push(Destination { path, label, removable: false });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sticks_are_found_in_the_mount_table_and_nothing_else_is() {
        let mounts = "\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
/dev/sdb1 /media/hoa/USB\\040CLB vfat rw,nosuid,nodev 0 0
/dev/sdc1 /run/media/an/KINGSTON exfat rw 0 0
tmpfs /run/user/1000 tmpfs rw 0 0
/dev/sdb1 /media/hoa/USB\\040CLB vfat rw,nosuid,nodev 0 0
";
        let found = removable_in(mounts);
        assert_eq!(
            found,
            vec![
                Destination { path: "/run/media/an/KINGSTON".into(), label: "KINGSTON".into(), removable: true },
                Destination { path: "/media/hoa/USB CLB".into(), label: "USB CLB".into(), removable: true },
            ]
        );
        let all = destinations();
        let first_local = all.iter().position(|d| !d.removable).unwrap_or(all.len());
        assert!(all[first_local..].iter().all(|d| !d.removable), "removable drives come first");
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_no_file_under_the_real_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        let err = write_atomic_with(&path, |f| {
            f.write_all(b"half of it")?;
            Err(io::Error::other("the stick was pulled out"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "the stick was pulled out");
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "the partial file is gone too");

        // An older whole file under the name survives a failed rewrite untouched.
        write_atomic(&path, b"old and whole").unwrap();
        let _ = write_atomic_with(&path, |f| {
            f.write_all(b"new")?;
            Err(io::Error::other("power cut"))
        });
        assert_eq!(fs::read(&path).unwrap(), b"old and whole");
        write_atomic(&path, b"new and whole").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new and whole");
    }

    #[test]
    fn outside_files_are_capped_before_they_are_read() {
        use crate::error::CoreError;
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("club.pub");
        fs::write(&small, "\u{feff}untrusted comment: x\nRWQ").unwrap();
        assert_eq!(read_text_capped(&small, 100).unwrap(), "untrusted comment: x\nRWQ");
        let big = dir.path().join("big.pub");
        fs::write(&big, vec![b'a'; 4097]).unwrap();
        assert!(matches!(read_capped(&big, 4096), Err(CoreError::FileTooLarge { max_kib: 4, .. })));
        assert_eq!(read_capped(&big, 4097).unwrap().len(), 4097);
        // A folder, a device and a FIFO are refused without being opened for reading.
        assert!(matches!(read_capped(dir.path(), 10), Err(CoreError::FileNotRegular { .. })));
        assert!(matches!(read_capped(Path::new("/dev/zero"), 10), Err(CoreError::FileNotRegular { .. })));
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(matches!(read_capped(&fifo, 10), Err(CoreError::FileNotRegular { .. })));
        assert!(matches!(read_capped(&dir.path().join("none"), 10), Err(CoreError::FileUnreadable { .. })));
        let bad = dir.path().join("latin1.txt");
        fs::write(&bad, [0x4e, 0xe9, 0x0a]).unwrap();
        assert!(matches!(read_text_capped(&bad, 10), Err(CoreError::FileUnreadable { .. })));
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(&dir.path().join("no/such/folder/x.json"), b"{}").is_err());
    }
}
