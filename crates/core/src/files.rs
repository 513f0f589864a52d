//! Files in and out. Out: `write_atomic`, so that a power cut or a pulled USB stick never leaves a
//! half-file under the real name — write beside it under a hidden name that does not end like the
//! real one, flush it to the device, rename, then flush the folder so the rename itself survives —,
//! with an explicit `Overwrite` policy. In: `read_capped`, every file that comes from outside read
//! through a cap.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Result as CoreResult};

/// The temporary name used while `path` is being written: `.name.partial` in the same folder.
pub fn partial_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// What `write_atomic` does when a file of the name is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Leave it untouched and fail with `WriteError::Exists` (a bundle: its name is its sequence
    /// number, and the one on the stick may be the only copy the commune gets).
    Refuse,
    /// Replace it whole, in one rename (a report or an export saved again).
    Replace,
}

/// Why `write_atomic` failed. Whatever the cause, the real name holds what it held before (or
/// nothing), and no hidden temporary file is left behind when the device still allows removing it.
#[derive(Debug)]
pub enum WriteError {
    /// `Overwrite::Refuse`, and the name is taken.
    Exists,
    /// The hidden temporary file could not be made: the folder is missing, read-only, full…
    Create(io::Error),
    /// Writing, syncing or renaming failed partway (a stick pulled out).
    Write(io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The operating system's own words, like the other two.
            WriteError::Exists => io::Error::from(io::ErrorKind::AlreadyExists).fmt(f),
            WriteError::Create(e) | WriteError::Write(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for WriteError {}

/// Where the bytes go: a file opened for writing that can be made durable.
pub trait Sink: Write {
    fn sync(&mut self) -> io::Result<()>;
}

impl Sink for File {
    fn sync(&mut self) -> io::Result<()> {
        self.sync_all()
    }
}

/// Opens the hidden temporary file. Tests pass one that fails partway, like a pulled stick.
pub type Opener<'a> = dyn FnMut(&Path) -> io::Result<Box<dyn Sink>> + 'a;

/// The ordinary opener: a new file, never one that is already there.
pub fn create_new(path: &Path) -> io::Result<Box<dyn Sink>> {
    Ok(Box::new(OpenOptions::new().write(true).create_new(true).open(path)?))
}

/// Make the rename durable: sync the folder (`platform::sync_dir`).
fn sync_dir(path: &Path) -> io::Result<()> {
    crate::platform::sync_dir(path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")))
}

/// Write `bytes` to `path` atomically (see the module comment), replacing a file of the name or
/// refusing to, as `overwrite` says.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<(), WriteError> {
    write_atomic_via(path, bytes, overwrite, &mut create_new)
}

/// As `write_atomic`, with the temporary file opened by `open` (tests simulate a failing stick).
///
/// A temporary file left by an earlier attempt is ours by its name and is removed first. On any
/// failure the temporary file is removed; a failure after the rename (the folder would not sync)
/// removes the new file too when the name was free before — when it replaced an older file, the
/// new whole file stays, the older one being gone already.
pub fn write_atomic_via(path: &Path, bytes: &[u8], overwrite: Overwrite, open: &mut Opener<'_>) -> Result<(), WriteError> {
    // A link or a folder takes the name as much as a file does.
    let taken = || fs::symlink_metadata(path).is_ok();
    let existed = taken();
    if existed && overwrite == Overwrite::Refuse {
        return Err(WriteError::Exists);
    }
    let tmp = partial_name(path);
    // A temporary file left by an earlier attempt is ours: removed first. Its absence is the usual
    // case; any other failure to remove it is this write's failure, said as such.
    match fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(WriteError::Create(e)),
    }
    let mut sink = match open(&tmp) {
        Ok(s) => s,
        Err(e) => return Err(WriteError::Create(also_removing(e, &tmp))),
    };
    let mut renamed = false;
    let result = (|| {
        sink.write_all(bytes).map_err(WriteError::Write)?;
        sink.flush().map_err(WriteError::Write)?;
        sink.sync().map_err(WriteError::Write)?;
        drop(sink);
        // Looked at again just before the rename: a file that appeared meanwhile is not replaced.
        if overwrite == Overwrite::Refuse && taken() {
            return Err(WriteError::Exists);
        }
        fs::rename(&tmp, path).map_err(WriteError::Write)?;
        renamed = true;
        sync_dir(path).map_err(WriteError::Write)
    })();
    match result {
        Err(WriteError::Write(e)) => {
            let e = also_removing(e, &tmp);
            Err(WriteError::Write(if renamed && !existed { also_removing(e, path) } else { e }))
        }
        Err(WriteError::Create(e)) => Err(WriteError::Create(also_removing(e, &tmp))),
        Err(WriteError::Exists) => match remove_leftover(&tmp) {
            None => Err(WriteError::Exists),
            Some(note) => Err(WriteError::Write(io::Error::new(io::ErrorKind::AlreadyExists, note))),
        },
        Ok(()) => Ok(()),
    }
}

/// The first of `name(1)`, `name(2)`, … `name(MAX_NUMBERED)` that `free` accepts: a new file's name
/// numbered past those taken. `None` when all are taken (never looped for ever on a folder that
/// says every name exists).
pub(crate) fn numbered_name(name: impl Fn(u32) -> PathBuf, free: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    (1..=MAX_NUMBERED).map(name).find(|p| free(p))
}

/// How many numbered names `numbered_name` tries.
pub(crate) const MAX_NUMBERED: u32 = 1000;

/// Remove what a failed write left at `path`. Its absence is the usual case; a removal that fails
/// too is said in words (the first failure stays the answer, this is added to it, never dropped).
pub(crate) fn remove_leftover(path: &Path) -> Option<String> {
    match fs::remove_file(path) {
        Ok(()) => None,
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => Some(format!("{} could not be removed either: {e}", path.display())),
    }
}

/// `first`, with the failure to remove `path` after it added to its words when there is one.
fn also_removing(first: io::Error, path: &Path) -> io::Error {
    match remove_leftover(path) {
        None => first,
        Some(note) => io::Error::new(first.kind(), format!("{first}; {note}")),
    }
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

/// A file found in a folder by its name (a backup, a report bundle), for a person to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FoundFile {
    pub path: String,
    pub file_name: String,
    pub bytes: u64,
}

/// The regular files directly in `dir` whose name `keep` accepts (hidden names skipped, nothing
/// opened), most recently written first, at most `max`: what a stick offers to choose from. A
/// missing folder is `missing(path)`, so each caller names its own error.
pub fn files_named(
    dir: &Path,
    keep: impl Fn(&str) -> bool,
    max: usize,
    missing: impl Fn(String) -> CoreError,
) -> CoreResult<Vec<FoundFile>> {
    let shown = dir.display().to_string();
    let unreadable = |e: io::Error| CoreError::FileUnreadable { path: shown.clone(), detail: e.to_string() };
    let entries = fs::read_dir(dir).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => missing(shown.clone()),
        _ => unreadable(e),
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !keep(&name) {
            continue;
        }
        // A file that vanished or cannot be read between the listing and here is not offered.
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_file() {
            out.push((meta.modified().ok(), FoundFile { path: entry.path().display().to_string(), file_name: name, bytes: meta.len() }));
        }
    }
    // Newest first: the one just written to this stick is at the top.
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.file_name.cmp(&a.1.file_name)));
    Ok(out.into_iter().take(max).map(|(_, f)| f).collect())
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

/// Where a report can go: removable drives first, then the user's Documents and home folders. A
/// system whose drives cannot be listed (`platform::removable_drives` failed, or lists none there)
/// offers the folders; the person can still type a path.
pub fn destinations() -> Vec<Destination> {
    let mut out = crate::platform::removable_drives().unwrap_or_else(|_| Vec::new());
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
    fn a_leftover_that_cannot_be_removed_is_said_never_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("never-made.tmp");
        assert_eq!(remove_leftover(&gone), None, "absent: the usual case");
        let file = dir.path().join("left.tmp");
        fs::write(&file, b"half").unwrap();
        assert_eq!(remove_leftover(&file), None);
        assert!(!file.exists());
        // A folder by that name cannot be removed as a file: said, with its name.
        let stuck = dir.path().join("stuck.tmp");
        fs::create_dir(&stuck).unwrap();
        let note = remove_leftover(&stuck).expect("the failure is said");
        assert!(note.contains("stuck.tmp"), "{note}");
        let first = io::Error::other("the stick was pulled out");
        let both = also_removing(first, &stuck);
        assert!(both.to_string().starts_with("the stick was pulled out; ") && both.to_string().contains("stuck.tmp"), "{both}");
    }

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

    /// A file that takes `left` bytes and then fails, as a USB stick pulled out mid-write does; or
    /// takes everything and fails to sync.
    struct Pulled {
        file: File,
        left: usize,
        fail_sync: bool,
        why: &'static str,
    }

    impl Write for Pulled {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other(self.why));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            self.file.write(&buf[..n])
        }
        fn flush(&mut self) -> io::Result<()> {
            self.file.flush()
        }
    }

    impl Sink for Pulled {
        fn sync(&mut self) -> io::Result<()> {
            if self.fail_sync {
                return Err(io::Error::other(self.why));
            }
            self.file.sync_all()
        }
    }

    fn pulled(left: usize, fail_sync: bool, why: &'static str) -> impl FnMut(&Path) -> io::Result<Box<dyn Sink>> {
        move |p: &Path| -> io::Result<Box<dyn Sink>> {
            Ok(Box::new(Pulled { file: File::create_new(p)?, left, fail_sync, why }))
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_no_file_under_the_real_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        for overwrite in [Overwrite::Replace, Overwrite::Refuse] {
            let err = write_atomic_via(&path, b"half of it and the rest", overwrite, &mut pulled(10, false, "the stick was pulled out"))
                .unwrap_err();
            assert!(matches!(err, WriteError::Write(_)), "{err:?}");
            assert_eq!(err.to_string(), "the stick was pulled out");
            assert!(!path.exists());
            assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "the partial file is gone too");
            // All written, then the sync fails: nothing either.
            let err = write_atomic_via(&path, b"all of it", overwrite, &mut pulled(usize::MAX, true, "Input/output error")).unwrap_err();
            assert_eq!(err.to_string(), "Input/output error");
            assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
        }

        // An older whole file under the name survives a failed rewrite untouched.
        write_atomic(&path, b"old and whole", Overwrite::Replace).unwrap();
        let _ = write_atomic_via(&path, b"new", Overwrite::Replace, &mut pulled(1, false, "power cut"));
        assert_eq!(fs::read(&path).unwrap(), b"old and whole");
        assert_eq!(listing(dir.path()), ["report.xlsx"], "no hidden file behind");
        write_atomic(&path, b"new and whole", Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new and whole");
        assert_eq!(listing(dir.path()), ["report.xlsx"]);
    }

    #[test]
    fn the_overwrite_policy_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ishc-clb-2026-0001.zip");
        // A free name: both policies write.
        write_atomic(&path, b"first", Overwrite::Refuse).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first");
        // Refuse: the file there is untouched, nothing else is left, and the error says so.
        let err = write_atomic(&path, b"second", Overwrite::Refuse).unwrap_err();
        assert!(matches!(err, WriteError::Exists), "{err:?}");
        assert_eq!(err.to_string(), io::Error::from(io::ErrorKind::AlreadyExists).to_string());
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(listing(dir.path()), ["ishc-clb-2026-0001.zip"]);
        // Refused without even opening the temporary file.
        let mut never = |_: &Path| -> io::Result<Box<dyn Sink>> { panic!("opened although the name is taken") };
        assert!(matches!(write_atomic_via(&path, b"x", Overwrite::Refuse, &mut never), Err(WriteError::Exists)));
        // A dangling link takes the name too.
        #[cfg(unix)]
        {
            let link = dir.path().join("link.zip");
            std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
            assert!(matches!(write_atomic(&link, b"x", Overwrite::Refuse), Err(WriteError::Exists)));
            assert!(!dir.path().join("nowhere").exists());
            fs::remove_file(&link).unwrap();
        }
        // Replace: the new bytes, whole.
        write_atomic(&path, b"second", Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(listing(dir.path()), ["ishc-clb-2026-0001.zip"]);
        let fresh = dir.path().join("report.html");
        write_atomic(&fresh, b"<p>", Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&fresh).unwrap(), b"<p>");
    }

    #[test]
    fn a_partial_file_left_by_an_earlier_attempt_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(partial_name(&path), b"left when the stick was pulled").unwrap();
        write_atomic(&path, b"{}", Overwrite::Refuse).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        assert_eq!(listing(dir.path()), ["report.json"]);
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
        for overwrite in [Overwrite::Refuse, Overwrite::Replace] {
            let err = write_atomic(&dir.path().join("no/such/folder/x.json"), b"{}", overwrite).unwrap_err();
            assert!(matches!(&err, WriteError::Create(e) if e.kind() == io::ErrorKind::NotFound), "{err:?}");
        }
    }
}
