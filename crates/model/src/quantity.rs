//! Resource quantities (`100m`, `0.5`, `128Mi`, `1Gi`, `1G`, `1e3`) as the API server reads,
//! adds, compares and prints them (k8s.io/apimachinery `resource.Quantity`).
//!
//! A [`Quantity`] holds its exact value as an `i128` count of nano-units (upstream keeps at most
//! nano precision and rounds finer values up, away from zero), the format its suffix chose
//! (`DecimalSI`, `BinarySI` or `DecimalExponent`), and — like upstream — the text it was parsed
//! from when that text already looks canonical. [`Quantity`]'s `Display` prints what upstream's
//! `String()` prints: that text, or the canonical form (`1.5Gi` → `1536Mi`, `0.5` → `500m`,
//! `1000m` → `1`, `2048Ki` → `2Mi`, `12000` → `12k`).

use std::cmp::Ordering;
use std::fmt;

/// The three ways a quantity is written; arithmetic keeps the format of the left operand unless
/// it is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `12e6`
    DecimalExponent,
    /// `12Mi` (12 × 2²⁰)
    BinarySI,
    /// `12M` (12 × 10⁶), also plain numbers and `m`, `k`, …
    DecimalSI,
}

/// Why a string is not a quantity; `Display` gives upstream's error text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    FormatWrong,
    Numeric,
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Numeric => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

impl std::error::Error for QuantityError {}

const NANOS_PER_UNIT: i128 = 1_000_000_000;
/// Upstream caps parsed binary quantities at 2⁶³−1 units; kubeplay caps every quantity there
/// (decimal ones beyond it are not resources anyone asks for).
const MAX_NANOS: i128 = (i64::MAX as i128) * NANOS_PER_UNIT;
/// Sums are kept far enough from `i128`'s ends that printing and rounding cannot overflow.
const MAX_SUM_NANOS: i128 = i128::MAX / 1000;

fn clamp_sum(nanos: i128) -> i128 {
    nanos.clamp(-MAX_SUM_NANOS, MAX_SUM_NANOS)
}

/// An exact resource quantity.
#[derive(Debug, Clone)]
pub struct Quantity {
    nanos: i128,
    format: Format,
    /// The parsed text, kept when upstream keeps it (it already reads canonically).
    text: Option<Box<str>>,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity::zero()
    }
}

fn decimal_suffix_exponent(suffix: &str) -> Option<i32> {
    Some(match suffix {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

fn binary_suffix_exponent(suffix: &str) -> Option<i32> {
    Some(match suffix {
        "Ki" => 10,
        "Mi" => 20,
        "Gi" => 30,
        "Ti" => 40,
        "Pi" => 50,
        "Ei" => 60,
        _ => return None,
    })
}

fn decimal_suffix(exponent: i32) -> &'static str {
    match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        // Upstream finds no suffix for other exponents and prints none.
        _ => "",
    }
}

fn binary_suffix(power_of_1024: u32) -> &'static str {
    match power_of_1024 {
        1 => "Ki",
        2 => "Mi",
        3 => "Gi",
        4 => "Ti",
        5 => "Pi",
        6 => "Ei",
        _ => "",
    }
}

/// The pieces upstream's scanner finds: sign, digits before and after the point (leading zeros
/// of the integer part stripped, `"0"` when none are left), and the suffix.
struct Scanned<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn scan(text: &str) -> Result<Scanned<'_>, QuantityError> {
    let bytes = text.as_bytes();
    let end = bytes.len();
    let mut pos = 0;
    let mut positive = true;
    match bytes.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && bytes[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Scanned {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let num_start = pos;
    while pos < end && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = match &text[num_start..pos] {
        "" => "0",
        digits => digits,
    };
    let mut denom = "";
    if pos < end && bytes[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < end && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &text[denom_start..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&bytes[pos]) {
        pos += 1;
    }
    if pos < end && (bytes[pos] == b'-' || bytes[pos] == b'+') {
        pos += 1;
    }
    while pos < end && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    Ok(Scanned {
        positive,
        num,
        denom,
        suffix: &text[suffix_start..end],
    })
}

/// `(base, exponent, format)` of a suffix, as upstream interprets it.
fn interpret(suffix: &str) -> Option<(u32, i64, Format)> {
    if let Some(exponent) = decimal_suffix_exponent(suffix) {
        return Some((10, i64::from(exponent), Format::DecimalSI));
    }
    if let Some(exponent) = binary_suffix_exponent(suffix) {
        return Some((2, i64::from(exponent), Format::BinarySI));
    }
    let rest = suffix
        .strip_prefix('e')
        .or_else(|| suffix.strip_prefix('E'))?;
    if rest.is_empty() {
        return None;
    }
    // Upstream parses an int64 exponent; anything that does not fit is a suffix error.
    rest.parse::<i64>()
        .ok()
        .map(|e| (10, e, Format::DecimalExponent))
}

fn pow10(exponent: u32) -> Option<i128> {
    10i128.checked_pow(exponent)
}

/// `ceil(value / 10^exponent)` for a non-negative value.
fn div_pow10_ceil(value: i128, exponent: u64) -> i128 {
    if value == 0 {
        return 0;
    }
    match u32::try_from(exponent).ok().and_then(pow10) {
        Some(divisor) => value / divisor + i128::from(value % divisor != 0),
        // The divisor exceeds any i128 value: a non-zero value rounds up to one nano.
        None => 1,
    }
}

/// The magnitude in nano-units of `digits × 10^(-fraction_digits) × base^exponent`, rounded up,
/// saturating at `MAX_NANOS`.
fn magnitude_nanos(digits: &str, fraction_digits: usize, base: u32, exponent: i64) -> i128 {
    // Digits beyond what fits are only reachable with absurd inputs; they saturate.
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        return 0;
    }
    if trimmed.len() > 38 {
        return MAX_NANOS;
    }
    let Ok(mantissa) = trimmed.parse::<i128>() else {
        return MAX_NANOS;
    };
    let fraction_digits = fraction_digits as i64;
    if base == 2 {
        // mantissa × 2^exponent × 10^9 / 10^fraction_digits (binary exponents are 10..=60).
        let shifted = u32::try_from(exponent)
            .ok()
            .and_then(|e| 2i128.checked_pow(e))
            .and_then(|p| mantissa.checked_mul(p))
            .and_then(|v| v.checked_mul(NANOS_PER_UNIT));
        return match shifted {
            Some(v) => div_pow10_ceil(v, fraction_digits as u64).min(MAX_NANOS),
            None => MAX_NANOS,
        };
    }
    let ten_power = exponent.saturating_add(9).saturating_sub(fraction_digits);
    if ten_power >= 0 {
        let scaled = u32::try_from(ten_power)
            .ok()
            .and_then(pow10)
            .and_then(|p| mantissa.checked_mul(p));
        match scaled {
            Some(v) => v.min(MAX_NANOS),
            None => MAX_NANOS,
        }
    } else {
        div_pow10_ceil(mantissa, ten_power.unsigned_abs()).min(MAX_NANOS)
    }
}

/// Whether upstream's fast path keeps the parsed text as the quantity's string.
fn keeps_text(num: &str, denom: &str, format: Format, exponent: i64, nanos: i128) -> bool {
    match format {
        Format::BinarySI => {
            if exponent < 0 || !denom.is_empty() {
                return false;
            }
            let precision = 15 - num.len() as i64 - ((exponent as f32) * 3.0 / 10.0) as i64 - 1;
            if precision < 0 {
                return false;
            }
            let Ok(value) = num.parse::<i64>() else {
                return false;
            };
            // The fast path needs the value times 2^exponent to fit in an int64.
            let fits = nanos / NANOS_PER_UNIT <= i128::from(i64::MAX);
            fits && value & 0x07 != 0
        }
        Format::DecimalSI | Format::DecimalExponent => {
            let precision = 18 - (num.len() + denom.len()) as i64;
            if precision < 0 {
                return false;
            }
            let scale = exponent - denom.len() as i64;
            if scale < -9 {
                return false;
            }
            let shifted = format!("{num}{denom}");
            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
        }
    }
}

impl Quantity {
    /// Zero, formatted `DecimalSI` (what upstream's zero value prints as `0`).
    pub fn zero() -> Quantity {
        Quantity {
            nanos: 0,
            format: Format::DecimalSI,
            text: None,
        }
    }

    /// `value` whole units (`resource.NewQuantity`).
    pub fn from_units(value: i64, format: Format) -> Quantity {
        Quantity {
            nanos: i128::from(value) * NANOS_PER_UNIT,
            format,
            text: None,
        }
    }

    /// `value` thousandths (`resource.NewMilliQuantity`).
    pub fn from_millis(value: i64, format: Format) -> Quantity {
        Quantity {
            nanos: i128::from(value) * 1_000_000,
            format,
            text: None,
        }
    }

    /// Parses a quantity as `resource.ParseQuantity` does.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        if text.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if text == "0" {
            return Ok(Quantity {
                nanos: 0,
                format: Format::DecimalSI,
                text: Some(text.into()),
            });
        }
        let scanned = scan(text)?;
        let (base, exponent, mut format) =
            interpret(scanned.suffix).ok_or(QuantityError::Suffix)?;
        let digits = format!("{}{}", scanned.num, scanned.denom);
        let magnitude = magnitude_nanos(&digits, scanned.denom.len(), base, exponent);
        let keep = keeps_text(scanned.num, scanned.denom, format, exponent, magnitude);
        // A fractional binary amount below one unit reads as decimal (upstream's slow path).
        if format == Format::BinarySI && magnitude > 0 && magnitude < NANOS_PER_UNIT {
            format = Format::DecimalSI;
        }
        let nanos = if scanned.positive {
            magnitude
        } else {
            -magnitude
        };
        Ok(Quantity {
            nanos,
            format,
            text: keep.then(|| text.into()),
        })
    }

    /// Parses a k8s-openapi quantity.
    pub fn from_k8s(
        quantity: &k8s_openapi::apimachinery::pkg::api::resource::Quantity,
    ) -> Result<Quantity, QuantityError> {
        // Upstream trims surrounding whitespace when decoding JSON.
        Quantity::parse(quantity.0.trim())
    }

    /// The quantity as k8s-openapi's type, written as upstream serializes it.
    pub fn to_k8s(&self) -> k8s_openapi::apimachinery::pkg::api::resource::Quantity {
        k8s_openapi::apimachinery::pkg::api::resource::Quantity(self.to_string())
    }

    /// The exact value in nano-units.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        self.nanos.signum() as i32
    }

    fn scaled_up(&self, nanos_per_step: i128) -> i128 {
        let magnitude = self.nanos.abs();
        let steps = (magnitude + nanos_per_step - 1) / nanos_per_step;
        if self.nanos < 0 {
            -steps
        } else {
            steps
        }
    }

    /// Whole units, rounded up away from zero (`Value()`).
    pub fn value(&self) -> i128 {
        self.scaled_up(NANOS_PER_UNIT)
    }

    /// Thousandths, rounded up away from zero (`MilliValue()`).
    pub fn milli_value(&self) -> i128 {
        self.scaled_up(1_000_000)
    }

    /// `self + other`; the result keeps this quantity's format unless this one is zero
    /// (`Quantity.Add`).
    pub fn add(&self, other: &Quantity) -> Quantity {
        Quantity {
            nanos: clamp_sum(self.nanos.saturating_add(other.nanos)),
            format: if self.nanos == 0 {
                other.format
            } else {
                self.format
            },
            text: None,
        }
    }

    /// `self - other`, with `add`'s format rule (`Quantity.Sub`).
    pub fn sub(&self, other: &Quantity) -> Quantity {
        Quantity {
            nanos: clamp_sum(self.nanos.saturating_sub(other.nanos)),
            format: if self.nanos == 0 {
                other.format
            } else {
                self.format
            },
            text: None,
        }
    }

    /// This quantity rounded up (away from zero) to whole units, keeping its format
    /// (`RoundUp(0)`); unchanged, text included, when it already is whole.
    pub fn round_up_to_units(&self) -> Quantity {
        if self.nanos % NANOS_PER_UNIT == 0 {
            return self.clone();
        }
        Quantity {
            nanos: self.value() * NANOS_PER_UNIT,
            format: self.format,
            text: None,
        }
    }

    /// The canonical form (`CanonicalizeBytes`), ignoring any kept text.
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == Format::BinarySI
            && (self.nanos.abs() < 1024 * NANOS_PER_UNIT || self.nanos % NANOS_PER_UNIT != 0)
        {
            // Small or fractional binary amounts print as decimal rather than round.
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let mut amount = self.nanos / NANOS_PER_UNIT;
            let mut power = 0;
            while amount % 1024 == 0 {
                amount /= 1024;
                power += 1;
            }
            return format!("{amount}{}", binary_suffix(power));
        }
        let mut amount = self.nanos;
        let mut exponent: i32 = -9;
        while amount % 10 == 0 {
            amount /= 10;
            exponent += 1;
        }
        match exponent % 3 {
            1 | -2 => {
                amount *= 10;
                exponent -= 1;
            }
            2 | -1 => {
                amount *= 100;
                exponent -= 2;
            }
            _ => {}
        }
        let suffix = match format {
            Format::DecimalExponent if exponent == 0 => String::new(),
            Format::DecimalExponent => format!("e{exponent}"),
            _ => decimal_suffix(exponent).to_string(),
        };
        format!("{amount}{suffix}")
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(text) => f.write_str(text),
            None => f.write_str(&self.canonical()),
        }
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

/// How the API server writes a quantity it was sent (`1.5Gi` → `1536Mi`, `0.5` → `500m`), or
/// `None` when the text is not a quantity.
pub fn canonicalize(text: &str) -> Option<String> {
    Quantity::parse(text.trim()).ok().map(|q| q.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn parses_to_exact_nano_units() {
        for (text, nanos) in [
            ("100m", 100_000_000),
            ("0.5", 500_000_000),
            ("1", 1_000_000_000),
            ("128Mi", 128 * 1024 * 1024 * 1_000_000_000),
            ("1Gi", 1024 * 1024 * 1024 * 1_000_000_000),
            ("1G", 1_000_000_000 * 1_000_000_000),
            ("1e3", 1000 * 1_000_000_000),
            ("1.5Gi", 1536 * 1024 * 1024 * 1_000_000_000),
            ("-2", -2_000_000_000),
            ("1n", 1),
            ("0.1n", 1),
            ("1e-12", 1),
            ("1.G", 1_000_000_000 * 1_000_000_000),
            (".5", 500_000_000),
            ("+5", 5_000_000_000),
            ("00", 0),
        ] {
            assert_eq!(q(text).nanos(), nanos, "{text}");
        }
    }

    #[test]
    fn rejects_what_upstream_rejects_with_its_messages() {
        for (text, error) in [
            ("", QuantityError::FormatWrong),
            ("abc", QuantityError::FormatWrong),
            ("12Gix", QuantityError::FormatWrong),
            ("1Ki3", QuantityError::Suffix),
            ("5i", QuantityError::Suffix),
            ("1e", QuantityError::Suffix),
            ("1 Gi", QuantityError::FormatWrong),
        ] {
            assert_eq!(Quantity::parse(text).err(), Some(error), "{text}");
        }
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
    }

    #[test]
    fn prints_as_upstream_string_does() {
        for (text, printed) in [
            ("1.5Gi", "1536Mi"),
            ("1536Mi", "1536Mi"),
            ("700Mi", "700Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("2048Ki", "2Mi"),
            ("400m", "400m"),
            ("1000m", "1"),
            ("0.5", "500m"),
            ("1", "1"),
            ("12000", "12k"),
            ("1200", "1200"),
            ("1e3", "1e3"),
            ("12e2", "1200"),
            ("1G", "1G"),
            ("0.5Ki", "512"),
            ("1.5Ki", "1536"),
            ("100Mi", "100Mi"),
            ("0", "0"),
            ("0Mi", "0"),
            ("010", "010"),
            ("128974848", "128974848"),
            ("129e6", "129e6"),
            ("129M", "129M"),
            ("0.1", "100m"),
            ("1.5", "1500m"),
            ("1u", "1u"),
            ("-0.5", "-500m"),
        ] {
            assert_eq!(q(text).to_string(), printed, "{text}");
        }
    }

    #[test]
    fn arithmetic_keeps_the_left_format_unless_it_is_zero() {
        let used = Quantity::zero().add(&q("600Mi"));
        assert_eq!(used.to_string(), "600Mi");
        assert_eq!(used.add(&q("700Mi")).to_string(), "1300Mi");
        assert_eq!(q("400m").add(&q("400m")).to_string(), "800m");
        assert_eq!(q("500m").add(&q("1")).to_string(), "1500m");
        assert_eq!(q("1Gi").sub(&q("512Mi")).to_string(), "512Mi");
        assert_eq!(q("1").add(&q("1Ki")).to_string(), "1025");
        assert!(q("1Gi") > q("1000Mi"));
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("0.5").milli_value(), 500);
        assert_eq!(q("1.5").value(), 2);
        assert_eq!(q("1n").milli_value(), 1);
    }

    #[test]
    fn hostile_input_is_an_error_or_a_capped_value_never_a_panic() {
        let long = "9".repeat(200);
        let inputs = [
            long.clone(),
            format!("{long}Ei"),
            format!("0.{long}"),
            format!("{long}e{long}"),
            "1e-99999".to_string(),
            "1e99999".to_string(),
            "9223372036854775807Ei".to_string(),
            "-9223372036854775808Ei".to_string(),
            "1.5e-3Gi".to_string(),
            "ÄMi".to_string(),
            "1µ".to_string(),
            "--1".to_string(),
            "+".to_string(),
            ".".to_string(),
        ];
        for input in &inputs {
            if let Ok(q) = Quantity::parse(input) {
                let _ = (
                    q.to_string(),
                    q.value(),
                    q.milli_value(),
                    q.add(&q),
                    q.sub(&q),
                );
                assert!(q.nanos().abs() <= MAX_NANOS, "{input}");
            }
        }
        assert_eq!(q("1e99999").value(), i128::from(i64::MAX));
        assert_eq!(q("1e-99999").nanos(), 1);
        assert_eq!(q(".").nanos(), 0);
    }

    #[test]
    fn canonicalize_helper() {
        assert_eq!(canonicalize("1.5Gi").as_deref(), Some("1536Mi"));
        assert_eq!(canonicalize("nope"), None);
    }
}
