//! Table layout as kubectl's tabwriter does it (min width 6, padding 3, last column unpadded)
//! and ages as `HumanDuration` words them.

/// Lays out rows under a header. Every column but the last is padded to its widest cell plus 3
/// spaces (at least 6 wide); the last column is not padded (an empty last cell leaves the previous
/// column's padding behind, as tabwriter does).
pub fn render(header: &[String], rows: &[Vec<String>], no_headers: bool) -> String {
    let mut all: Vec<&Vec<String>> = Vec::new();
    let header_row = header.to_vec();
    if !no_headers {
        all.push(&header_row);
    }
    all.extend(rows.iter());
    let columns = header.len();
    let mut widths = vec![0usize; columns];
    for row in &all {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &all {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate().take(columns) {
            line.push_str(cell);
            if i + 1 < columns {
                let width = (widths[i] + 3).max(6);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `45s`, `3m2s`, `12m`, `5h3m`, `10h`, `2d5h`, `30d`, `2y45d`, as kubectl prints ages.
pub fn human_duration(millis: u64) -> String {
    let seconds = millis / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365;
        return if days == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{days}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectl() {
        let s = |n: u64| human_duration(n * 1000);
        assert_eq!(s(0), "0s");
        assert_eq!(s(45), "45s");
        assert_eq!(s(119), "119s");
        assert_eq!(s(182), "3m2s");
        assert_eq!(s(240), "4m");
        assert_eq!(s(12 * 60 + 5), "12m");
        assert_eq!(s(5 * 3600 + 3 * 60), "5h3m");
        assert_eq!(s(10 * 3600), "10h");
        assert_eq!(s(53 * 3600), "2d5h");
        assert_eq!(s(30 * 86400), "30d");
        assert_eq!(s(800 * 86400), "2y70d");
    }

    #[test]
    fn columns_are_padded_like_tabwriter() {
        let header = vec![
            "NAME".to_string(),
            "READY".to_string(),
            "STATUS".to_string(),
            "RESTARTS".to_string(),
            "AGE".to_string(),
        ];
        let rows = vec![vec![
            "nginx".to_string(),
            "1/1".to_string(),
            "Running".to_string(),
            "0".to_string(),
            "10s".to_string(),
        ]];
        assert_eq!(
            render(&header, &rows, false),
            "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          10s\n"
        );
        let narrow = render(
            &["ID".to_string(), "X".to_string()],
            &[vec!["a".to_string(), "b".to_string()]],
            true,
        );
        assert_eq!(narrow, "a     b\n");
    }
}
