//! Just enough X.509 to show which certificate a TLS server presents: the subject, issuer and
//! validity of a PEM certificate (a `kubernetes.io/tls` Secret's `tls.crt`), read from its DER
//! structure, and ingress-nginx's default ("fake") certificate. Nothing here verifies
//! signatures; a client's verdict is decided from whether the certificate is self-issued.

use crate::SimTime;

/// A server certificate as `curl -v` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// `O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate`.
    pub subject: String,
    pub issuer: String,
    /// `Dec  2 06:19:02 2026 GMT`.
    pub start_date: String,
    pub expire_date: String,
}

impl Certificate {
    /// ingress-nginx's self-signed default certificate, made when the controller starts (valid
    /// for a year).
    pub fn ingress_nginx_default(started: SimTime) -> Certificate {
        let name = "O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate".to_string();
        let year = 365 * 24 * 3600 * 1000;
        Certificate {
            subject: name.clone(),
            issuer: name,
            start_date: openssl_time(started),
            expire_date: openssl_time(SimTime(started.0 + year)),
        }
    }

    /// Whether the certificate signed itself (what a client without its CA reports as
    /// "self-signed certificate").
    pub fn self_signed(&self) -> bool {
        self.subject == self.issuer
    }

    /// Reads the first certificate of a PEM text; `None` when it is not one.
    pub fn from_pem(pem: &[u8]) -> Option<Certificate> {
        let text = std::str::from_utf8(pem).ok()?;
        let begin = "-----BEGIN CERTIFICATE-----";
        let start = text.find(begin)? + begin.len();
        let end = start + text[start..].find("-----END CERTIFICATE-----")?;
        let der = base64_bytes(&text[start..end])?;
        from_der(&der)
    }
}

/// `ASN1_TIME_print`'s layout: `Dec  2 06:19:02 2026 GMT`.
fn openssl_time(at: SimTime) -> String {
    crate::runtime::clock_text::strftime("%b %e %H:%M:%S %Y GMT", at)
}

/// Decodes standard base64, ignoring whitespace; `None` on any other character.
pub(crate) fn base64_bytes(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
    {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(bytes)
}

/// One DER element: (tag, contents, the rest after it).
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let octets = usize::from(first & 0x7f);
        if octets == 0 || octets > 4 || rest.len() < octets {
            return None;
        }
        let length = rest[..octets]
            .iter()
            .fold(0usize, |n, b| (n << 8) | usize::from(*b));
        (length, &rest[octets..])
    };
    if rest.len() < length {
        return None;
    }
    Some((tag, &rest[..length], &rest[length..]))
}

const SEQUENCE: u8 = 0x30;

fn from_der(der: &[u8]) -> Option<Certificate> {
    let (tag, certificate, _) = element(der)?;
    if tag != SEQUENCE {
        return None;
    }
    let (tag, tbs, _) = element(certificate)?;
    if tag != SEQUENCE {
        return None;
    }
    let mut rest = tbs;
    // [0] version, optional.
    if rest.first() == Some(&0xa0) {
        rest = element(rest)?.2;
    }
    let (_, _serial, after_serial) = element(rest)?;
    let (_, _algorithm, after_algorithm) = element(after_serial)?;
    let (_, issuer, after_issuer) = element(after_algorithm)?;
    let (_, validity, after_validity) = element(after_issuer)?;
    let (_, subject, _) = element(after_validity)?;
    let (_, not_before, after_not_before) = element(validity)?;
    let (_, not_after, _) = element(after_not_before)?;
    Some(Certificate {
        subject: name(subject)?,
        issuer: name(issuer)?,
        start_date: time(not_before)?,
        expire_date: time(not_after)?,
    })
}

/// A Name as curl prints it: its attributes in order, `; `-separated (`C=KR; O=shop; CN=shop.example`).
fn name(mut input: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    while !input.is_empty() {
        let (_, set, rest) = element(input)?;
        input = rest;
        let mut attributes = set;
        while !attributes.is_empty() {
            let (_, pair, rest) = element(attributes)?;
            attributes = rest;
            let (_, oid, after_oid) = element(pair)?;
            let (_, value, _) = element(after_oid)?;
            let key = match oid {
                [0x55, 0x04, 0x03] => "CN".to_string(),
                [0x55, 0x04, 0x06] => "C".to_string(),
                [0x55, 0x04, 0x07] => "L".to_string(),
                [0x55, 0x04, 0x08] => "ST".to_string(),
                [0x55, 0x04, 0x0a] => "O".to_string(),
                [0x55, 0x04, 0x0b] => "OU".to_string(),
                [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => {
                    "emailAddress".to_string()
                }
                _ => "UNDEF".to_string(),
            };
            parts.push(format!("{key}={}", String::from_utf8_lossy(value)));
        }
    }
    Some(parts.join("; "))
}

/// UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) as OpenSSL prints it.
fn time(input: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(input).ok()?;
    let digits = text.trim_end_matches('Z');
    let (year, rest) = match digits.len() {
        12 => {
            let short: u32 = digits[..2].parse().ok()?;
            (
                if short >= 50 {
                    1900 + short
                } else {
                    2000 + short
                },
                &digits[2..],
            )
        }
        14 => (digits[..4].parse().ok()?, &digits[4..]),
        _ => return None,
    };
    let number = |range: std::ops::Range<usize>| rest.get(range)?.parse::<u32>().ok();
    let (month, day) = (number(0..2)?, number(2..4)?);
    let (hour, minute, second) = (number(4..6)?, number(6..8)?, number(8..10)?);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    Some(format!(
        "{month} {day:>2} {hour:02}:{minute:02}:{second:02} {year} GMT"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=shop.example/O=shop" -days 365`,
    /// made for this test.
    const SHOP_CERT: &str = include_str!("../tests/data/shop-example.crt");

    #[test]
    fn reads_subject_issuer_and_dates_of_a_pem_certificate() {
        let certificate = Certificate::from_pem(SHOP_CERT.as_bytes()).expect("a certificate");
        assert_eq!(certificate.subject, "CN=shop.example; O=shop");
        assert_eq!(certificate.issuer, "CN=shop.example; O=shop");
        assert!(certificate.self_signed());
        assert!(certificate.start_date.ends_with(" GMT"), "{certificate:?}");
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(Certificate::from_pem(b"hello"), None);
        assert_eq!(
            Certificate::from_pem(
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            ),
            None
        );
        assert_eq!(
            Certificate::from_pem(b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----"),
            None
        );
    }

    #[test]
    fn the_default_certificate_is_self_signed_for_a_year() {
        let certificate = Certificate::ingress_nginx_default(SimTime(0));
        assert!(certificate.self_signed());
        assert_eq!(
            certificate.subject,
            "O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate"
        );
    }
}
