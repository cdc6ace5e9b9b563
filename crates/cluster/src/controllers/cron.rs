//! Cron schedules as the CronJob controller reads them: five fields (minute, hour, day of
//! month, month, day of week) with `*`, `?`, lists, ranges, steps (`*/15`, `1-30/5`) and month
//! and weekday names, or a macro (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`,
//! `@midnight`, `@hourly`). When both day fields are restricted a day matching either counts,
//! as in cron. Times are Unix seconds in UTC plus a fixed zone offset (see [`zone_offset`]).

/// A parsed schedule: the allowed values of each field as bit sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: u64,
    hours: u64,
    days_of_month: u64,
    months: u64,
    days_of_week: u64,
    /// Whether each day field was `*`/`?` (for cron's either-day rule).
    any_day_of_month: bool,
    any_day_of_week: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn value_of(text: &str, min: u32, names: &[&str]) -> Result<u32, String> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Ok(i as u32 + min);
    }
    text.parse::<u32>().map_err(|_| {
        format!("failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax")
    })
}

fn parse_field(field: &str, min: u32, max: u32, names: &[&str]) -> Result<u64, String> {
    let mut bits = 0u64;
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                Some(
                    s.parse::<u32>()
                        .map_err(|_| format!("failed to parse int from {s}"))?,
                ),
            ),
            None => (part, None),
        };
        let (low, high) = if range == "*" || range == "?" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value_of(a, min, names)?, value_of(b, min, names)?)
        } else {
            let v = value_of(range, min, names)?;
            (v, if step.is_some() { max } else { v })
        };
        if low < min {
            return Err(format!(
                "beginning of range ({low}) below minimum ({min}): {part}"
            ));
        }
        if high > max {
            return Err(format!(
                "end of range ({high}) above maximum ({max}): {part}"
            ));
        }
        if low > high {
            return Err(format!(
                "beginning of range ({low}) beyond end of range ({high}): {part}"
            ));
        }
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let mut v = low;
        while v <= high {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok(bits)
}

impl Schedule {
    /// Parses a schedule; the error reads like the API server's validation detail.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.trim();
        let expanded = match text {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other if other.starts_with('@') => {
                return Err(format!("unrecognized descriptor: {other}"))
            }
            other => other,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: {text}",
                fields.len()
            ));
        }
        let mut days_of_week = parse_field(fields[4], 0, 7, &WEEKDAYS)?;
        if days_of_week & (1 << 7) != 0 {
            days_of_week |= 1; // 7 is Sunday too
        }
        Ok(Schedule {
            minutes: parse_field(fields[0], 0, 59, &[])?,
            hours: parse_field(fields[1], 0, 23, &[])?,
            days_of_month: parse_field(fields[2], 1, 31, &[])?,
            months: parse_field(fields[3], 1, 12, &MONTHS)?,
            days_of_week,
            any_day_of_month: fields[2].starts_with('*') || fields[2] == "?",
            any_day_of_week: fields[4].starts_with('*') || fields[4] == "?",
        })
    }

    fn day_matches(&self, day: u32, weekday: u32) -> bool {
        let dom = self.days_of_month & (1 << day) != 0;
        let dow = self.days_of_week & (1 << weekday) != 0;
        if self.any_day_of_month || self.any_day_of_week {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first scheduled minute strictly after `after` (Unix seconds, local to the zone that
    /// `offset_seconds` describes), or None if there is none within five years.
    pub fn next_after(&self, after: i64, offset_seconds: i64) -> Option<i64> {
        let mut t = (after + offset_seconds).div_euclid(60) * 60 + 60;
        let limit = t + 5 * 366 * 86_400;
        while t < limit {
            let days = t.div_euclid(86_400);
            let (_, month, day) = civil_from_days(days);
            let weekday = (days + 4).rem_euclid(7) as u32;
            let seconds_of_day = t.rem_euclid(86_400);
            let hour = (seconds_of_day / 3600) as u32;
            let minute = ((seconds_of_day % 3600) / 60) as u32;
            if self.months & (1 << month) == 0 || !self.day_matches(day, weekday) {
                t = (days + 1) * 86_400;
                continue;
            }
            if self.hours & (1 << hour) == 0 {
                t = t - (t.rem_euclid(3600)) + 3600;
                continue;
            }
            if self.minutes & (1 << minute) == 0 {
                t += 60;
                continue;
            }
            return Some(t - offset_seconds);
        }
        None
    }
}

/// Year, month (1–12), day (1–31) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The offset from UTC of the time zones this playground knows (zones without daylight saving
/// time, which is all a fixed offset can describe), in seconds.
pub fn zone_offset(zone: &str) -> Option<i64> {
    let hours_minutes = |h: i64, m: i64| h * 3600 + m * 60;
    Some(match zone {
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Etc/Universal" | "Universal" | "Zulu" => 0,
        "Asia/Seoul" | "Asia/Tokyo" | "Asia/Pyongyang" | "Asia/Jayapura" => hours_minutes(9, 0),
        "Asia/Shanghai" | "Asia/Hong_Kong" | "Asia/Singapore" | "Asia/Taipei" | "Asia/Manila"
        | "Australia/Perth" => hours_minutes(8, 0),
        "Asia/Bangkok" | "Asia/Jakarta" | "Asia/Ho_Chi_Minh" => hours_minutes(7, 0),
        "Asia/Kolkata" | "Asia/Calcutta" => hours_minutes(5, 30),
        "Asia/Dubai" => hours_minutes(4, 0),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-01T00:00:00Z, a Thursday.
    const NEW_YEAR_2026: i64 = 1_767_225_600;

    #[test]
    fn calendar_days_convert() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(NEW_YEAR_2026 / 86_400), (2026, 1, 1));
        assert_eq!(civil_from_days(NEW_YEAR_2026 / 86_400 + 59), (2026, 3, 1));
    }

    #[test]
    fn schedules_fire_when_cron_would() {
        // (schedule, after, zone offset, next) with times as minutes after 2026-01-01T00:00Z.
        let cases = [
            ("*/1 * * * *", 0, 0, 1),
            ("* * * * *", 5, 0, 6),
            ("*/15 * * * *", 1, 0, 15),
            ("30 2 * * *", 0, 0, 150),
            ("@hourly", 0, 0, 60),
            ("@daily", 1, 0, 1440),
            ("0 0 * * mon", 0, 0, 4 * 1440), // Thursday → Monday the 5th
            ("0 0 1 feb *", 0, 0, 31 * 1440),
            ("0 9 * * *", 0, 9 * 3600, 24 * 60), // 09:00 in Seoul is 00:00Z: next is a day later
            ("0 0 13 * 5", 0, 0, 1440),          // either day rule: Friday the 2nd
            ("0-10/5 3 * * *", 0, 0, 180),
        ];
        for (text, after, offset, next) in cases {
            let schedule = Schedule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let got = schedule.next_after(NEW_YEAR_2026 + after * 60, offset);
            assert_eq!(
                got,
                Some(NEW_YEAR_2026 + next * 60),
                "{text} after +{after}m"
            );
        }
    }

    #[test]
    fn bad_schedules_say_why() {
        for text in [
            "* * * *",
            "61 * * * *",
            "* * * * * *",
            "@sometimes",
            "*/0 * * * *",
            "x * * * *",
        ] {
            assert!(Schedule::parse(text).is_err(), "{text}");
        }
    }
}
