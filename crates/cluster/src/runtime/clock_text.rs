//! Simulated time as programs print it: `date`'s default form, `date +FORMAT`, the RFC 3339
//! timestamps of `kubectl logs --timestamps`, and the prefixes servers put on their log lines.

use crate::SimTime;

/// Calendar fields of an instant (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millisecond: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Splits an instant into calendar fields (Howard Hinnant's days-to-civil algorithm).
pub fn civil(time: SimTime) -> CivilTime {
    let seconds = time.unix_seconds();
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    CivilTime {
        year,
        month,
        day,
        hour: (of_day / 3600) as u32,
        minute: (of_day / 60 % 60) as u32,
        second: (of_day % 60) as u32,
        millisecond: (time.0 % 1000) as u32,
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// `date` with no arguments: `Thu Jan  1 00:00:05 UTC 2026`.
pub fn date_default(time: SimTime) -> String {
    let c = civil(time);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} UTC {}",
        WEEKDAYS[c.weekday as usize],
        MONTHS[(c.month - 1) as usize],
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// `date +FORMAT` for the common conversions.
pub fn strftime(format: &str, time: SimTime) -> String {
    let c = civil(time);
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&c.year.to_string()),
            Some('m') => out.push_str(&format!("{:02}", c.month)),
            Some('d') => out.push_str(&format!("{:02}", c.day)),
            Some('e') => out.push_str(&format!("{:>2}", c.day)),
            Some('H') => out.push_str(&format!("{:02}", c.hour)),
            Some('M') => out.push_str(&format!("{:02}", c.minute)),
            Some('S') => out.push_str(&format!("{:02}", c.second)),
            Some('N') => out.push_str(&format!("{:03}000000", c.millisecond)),
            Some('s') => out.push_str(&time.unix_seconds().to_string()),
            Some('T') => out.push_str(&format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second)),
            Some('F') => out.push_str(&format!("{}-{:02}-{:02}", c.year, c.month, c.day)),
            Some('a') => out.push_str(WEEKDAYS[c.weekday as usize]),
            Some('b') => out.push_str(MONTHS[(c.month - 1) as usize]),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `2026-01-01T00:00:05.123000000Z`: the container runtime's log timestamp.
pub fn rfc3339_nanos(time: SimTime) -> String {
    let c = civil(time);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}000000Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_like_busybox_date() {
        // The cluster boots for five minutes before 2026-01-01T00:00:00Z.
        let at = |millis: u64| SimTime(crate::system::BOOT_SECONDS * 1000 + millis);
        assert_eq!(date_default(at(5_000)), "Thu Jan  1 00:00:05 UTC 2026");
        assert_eq!(
            date_default(at(((31 + 28) * 86_400 + 3_661) * 1000)),
            "Sun Mar  1 01:01:01 UTC 2026"
        );
        assert_eq!(strftime("%F %T", at(86_399_000)), "2026-01-01 23:59:59");
        assert_eq!(strftime("%s", at(0)), "1767225600");
        assert_eq!(rfc3339_nanos(at(5_123)), "2026-01-01T00:00:05.123000000Z");
    }
}
