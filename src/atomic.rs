//! Atomic file replacement for `--fix`, `--write-baseline` and the cache: a reader (an editor, a concurrent build, a crash halfway) sees either the old file or the new one, never half.
//!
//! The new content goes to a temporary file in the same directory (a rename is only
//! atomic within one file system), takes the old file's permissions, and is renamed
//! over the original. A durable write also flushes the file and then the directory
//! itself to disk, so the rename survives a power cut.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether a replaced file must survive a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk with its directory: the user's pages and baselines.
    Durable,
    /// Left to the system to flush: a file that is checked when read and rebuilt if
    /// torn (the cache), where syncing tens of megabytes would slow every run.
    Replaceable,
}

/// Replaces (or creates) `path` with `bytes`, durably.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_parts(path, &[bytes], Durability::Durable)
}

/// Replaces (or creates) `path` with these parts one after the other, which spares
/// copying a large file's parts into one buffer first.
pub fn write_parts(path: &Path, parts: &[&[u8]], durability: Durability) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
    let previous = fs::metadata(path).ok();
    let (tmp_path, mut tmp) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let candidate = dir.join(format!(".{name}.locdrift-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&candidate) {
            Ok(f) => break (candidate, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        // Written in large pieces: a `BufWriter` would copy them.
        for part in parts {
            tmp.write_all(part)?;
        }
        if let Some(meta) = &previous {
            tmp.set_permissions(meta.permissions())?;
        }
        let durable = durability == Durability::Durable;
        if durable {
            tmp.sync_all()?;
        }
        drop(tmp);
        fs::rename(&tmp_path, path)?;
        // Flushing a directory is how POSIX makes a rename durable; elsewhere opening a
        // directory fails, and the rename is as durable as the platform makes it.
        if let Some(d) = durable.then(|| File::open(&dir).ok()).flatten() {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = std::env::temp_dir().join(format!("locdrift-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.md");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind: {leftovers:?}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
