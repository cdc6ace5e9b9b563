//! Durations as Kubernetes and scripts write them: `500ms`, `30s`, `2m`, `1h30m`, `1.5h`.

/// Parses a Go-style duration into milliseconds. A bare number is seconds (as `sleep 5` is).
pub fn parse_duration_millis(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let invalid = || format!("invalid duration \"{text}\" (use e.g. 30s, 2m, 1h30m, 500ms)");
    if text.is_empty() {
        return Err(invalid());
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return if seconds >= 0.0 && seconds.is_finite() {
            Ok((seconds * 1000.0).round() as u64)
        } else {
            Err(invalid())
        };
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        if number_end == 0 {
            return Err(invalid());
        }
        let number: f64 = rest[..number_end].parse().map_err(|_| invalid())?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_end] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(invalid()),
        };
        total += number * factor;
        rest = &rest[unit_end..];
    }
    if total > 1e15 {
        return Err(invalid());
    }
    Ok(total.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_duration_millis as p;

    #[test]
    fn parses_go_style_durations() {
        assert_eq!(p("30s"), Ok(30_000));
        assert_eq!(p("2m"), Ok(120_000));
        assert_eq!(p("1h30m"), Ok(5_400_000));
        assert_eq!(p("500ms"), Ok(500));
        assert_eq!(p("5"), Ok(5_000));
        assert_eq!(p("1.5s"), Ok(1_500));
        assert!(p("soon").is_err());
        assert!(p("5x").is_err());
        assert!(p("-1s").is_err());
    }
}
