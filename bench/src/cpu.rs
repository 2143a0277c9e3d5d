//! CPU time of a process (all its threads), from `/proc/<pid>/stat`: how busy the server was while measured.
//! A server well below 100% of its core means the load, not the server, set the pace of that run.

use std::time::Duration;

/// Linux reports these times in USER_HZ ticks, which the kernel ABI fixes at 100 per second.
const TICKS_PER_SEC: u64 = 100;

/// User + system CPU time used so far by process `pid`, if it can be read.
pub fn process_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // After ')' come field 3 (state) onwards; utime and stime are fields 14 and 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis(
        (utime + stime) * 1000 / TICKS_PER_SEC,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_own_cpu_time() {
        let before = super::process_time(std::process::id()).unwrap();
        let mut x = 0u64;
        for i in 0..50_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(super::process_time(std::process::id()).unwrap() >= before);
    }
}
