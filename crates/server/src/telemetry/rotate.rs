//! A log file rotated by size: `server.log` becomes `server.log.1`, `.1` becomes `.2`,
//! and so on up to `max_files`; the oldest is deleted.
//!
//! tracing-appender rotates by time only, and the seed asks for LOG_MAX_SIZE and
//! LOG_MAX_FILES, so this small writer does it. Each log event is one `write` call, so a
//! rotation never splits a line.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file that rotates itself when a write would take it past `max_size` bytes.
#[derive(Debug)]
pub struct RotatingFile {
    path: PathBuf,
    max_size: u64,
    max_files: u32,
    file: File,
    written: u64,
}

impl RotatingFile {
    /// Opens (appending to) `path`, creating its directory if needed.
    pub fn open(path: &Path, max_size: u64, max_files: u32) -> io::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let written = file.metadata()?.len();
        Ok(Self {
            path: path.to_owned(),
            max_size: max_size.max(1),
            max_files: max_files.max(1),
            file,
            written,
        })
    }

    fn numbered(&self, n: u32) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let oldest = self.numbered(self.max_files);
        if oldest.exists() {
            std::fs::remove_file(&oldest)?;
        }
        for n in (1..self.max_files).rev() {
            let from = self.numbered(n);
            if from.exists() {
                std::fs::rename(&from, self.numbered(n + 1))?;
            }
        }
        std::fs::rename(&self.path, self.numbered(1))?;
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.max_size {
            self.rotate()?;
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_at_the_size_and_keeps_max_files() {
        let dir = std::env::temp_dir().join(format!("kindling-rotate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("logs/server.log");
        let mut f = RotatingFile::open(&path, 100, 2).unwrap();
        for i in 0..10 {
            f.write_all(format!("line {i:02} {}\n", "x".repeat(40)).as_bytes())
                .unwrap();
        }
        let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();
        // 50-byte lines, 100-byte files: two lines per file, newest last.
        assert_eq!(read(path.clone()).lines().count(), 2);
        assert!(read(path.clone()).contains("line 09"));
        assert!(read(f.numbered(1)).contains("line 07"));
        assert!(read(f.numbered(2)).contains("line 05"));
        assert!(
            !f.numbered(3).exists(),
            "only max_files rotated files are kept"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
