//! CPU time and resident memory of a local process, from `/proc/<pid>`.

use crate::LoadgenError;

/// Clock ticks per second of `utime`/`stime` in `/proc/<pid>/stat`. Linux reports them
/// in USER_HZ, which is 100 on every architecture the kernel exports to user space.
const USER_HZ: f64 = 100.0;

/// One reading of a process's resource use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcSample {
    /// User + system CPU time consumed so far, in seconds.
    pub cpu_seconds: f64,
    /// Resident set size in bytes.
    pub rss_bytes: u64,
    /// Number of threads.
    pub threads: u64,
}

/// Reads `/proc/<pid>/stat` and `/proc/<pid>/status`.
pub fn sample(pid: u32) -> Result<ProcSample, LoadgenError> {
    let err = |message: String| LoadgenError::Proc { pid, message };
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| err(format!("cannot read stat: {e}")))?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| err(format!("cannot read status: {e}")))?;
    let (cpu_seconds, threads) = parse_stat(&stat).map_err(err)?;
    let rss_bytes = parse_status_rss(&status).map_err(err)?;
    Ok(ProcSample {
        cpu_seconds,
        rss_bytes,
        threads,
    })
}

/// Parses the CPU seconds (utime + stime) and thread count from a `stat` line. The
/// command name in parentheses may itself hold spaces or parentheses, so fields are
/// counted from the last `)`.
pub fn parse_stat(stat: &str) -> Result<(f64, u64), String> {
    let after = stat
        .rfind(')')
        .map(|i| &stat[i + 1..])
        .ok_or_else(|| "stat has no command field".to_owned())?;
    // After the command: state is field 3 of the man page, so utime (14) is index 11,
    // stime (15) index 12 and num_threads (20) index 17 here.
    let fields: Vec<&str> = after.split_whitespace().collect();
    let num = |i: usize, what: &str| -> Result<u64, String> {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .ok_or_else(|| format!("stat field {what} missing or not a number"))
    };
    let ticks = num(11, "utime")? + num(12, "stime")?;
    Ok((ticks as f64 / USER_HZ, num(17, "num_threads")?))
}

/// Parses `VmRSS:  1234 kB` from a `status` file into bytes.
pub fn parse_status_rss(status: &str) -> Result<u64, String> {
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or_else(|| "status has no VmRSS line (zombie process?)".to_owned())?;
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("unreadable {line:?}"))?;
    Ok(kib * 1024)
}
