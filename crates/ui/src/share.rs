//! Share links: the editor's text and the cluster seed, DEFLATE-compressed (`miniz_oxide`) and
//! base64url-encoded into the URL fragment `#s=…`. Opening such a link loads the text into the
//! editor without applying it.
//!
//! Decoding never trusts the link: the fragment, the compressed bytes and the inflated payload
//! are each size-capped (no decompression bombs), the format carries a version byte, and every
//! failure is a [`ShareLinkError`] whose message the page shows in the error panel.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The fragment prefix of a share link.
pub const FRAGMENT_PREFIX: &str = "s=";
/// The format of the payload: `[version, seed (8 bytes little-endian), UTF-8 text…]`.
const FORMAT_VERSION: u8 = 1;
/// The longest editor text a link may carry (also the most a link may inflate to, plus header).
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// The longest fragment accepted (browsers cope with far longer URLs; links this long are not
/// meant to be pasted into chat anyway).
pub const MAX_FRAGMENT_CHARS: usize = 128 * 1024;
const HEADER_BYTES: usize = 9;

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedScenario {
    pub seed: u64,
    pub text: String,
}

/// Why a link could not be made or opened; [`ShareLinkError::message`] is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareLinkError {
    TextTooLong { bytes: usize },
    FragmentTooLong { chars: usize },
    NotBase64,
    NotCompressed,
    InflatesTooFar,
    UnknownVersion(u8),
    Truncated,
    NotUtf8,
}

impl ShareLinkError {
    pub fn message(&self) -> String {
        let prefix = "share link: ";
        let detail = match self {
            ShareLinkError::TextTooLong { bytes } => format!(
                "the editor holds {bytes} bytes; a link carries at most {MAX_TEXT_BYTES}"
            ),
            ShareLinkError::FragmentTooLong { chars } => format!(
                "the link is {chars} characters long; at most {MAX_FRAGMENT_CHARS} are accepted"
            ),
            ShareLinkError::NotBase64 => {
                "the link is damaged (not base64url); nothing was loaded".to_string()
            }
            ShareLinkError::NotCompressed => {
                "the link is damaged (its data does not decompress); nothing was loaded".to_string()
            }
            ShareLinkError::InflatesTooFar => format!(
                "the link would decompress to more than {MAX_TEXT_BYTES} bytes; nothing was loaded"
            ),
            ShareLinkError::UnknownVersion(version) => format!(
                "the link was made by a newer or unknown kubeplay (format {version}); nothing was loaded"
            ),
            ShareLinkError::Truncated => {
                "the link is cut short; nothing was loaded".to_string()
            }
            ShareLinkError::NotUtf8 => {
                "the link's text is not valid UTF-8; nothing was loaded".to_string()
            }
        };
        format!("{prefix}{detail}")
    }
}

/// The fragment (without `#`) that carries `text` and `seed`: `s=<base64url(deflate(payload))>`.
pub fn encode_fragment(text: &str, seed: u64) -> Result<String, ShareLinkError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ShareLinkError::TextTooLong { bytes: text.len() });
    }
    let mut payload = Vec::with_capacity(HEADER_BYTES + text.len());
    payload.push(FORMAT_VERSION);
    payload.extend_from_slice(&seed.to_le_bytes());
    payload.extend_from_slice(text.as_bytes());
    let compressed = miniz_oxide::deflate::compress_to_vec(&payload, 9);
    let fragment = format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed));
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareLinkError::FragmentTooLong {
            chars: fragment.len(),
        });
    }
    Ok(fragment)
}

/// Whether a location hash (with or without the leading `#`) is meant as a share link.
pub fn is_share_fragment(hash: &str) -> bool {
    hash.trim_start_matches('#').starts_with(FRAGMENT_PREFIX)
}

/// Opens a share link's fragment (with or without `#`). `Ok(None)`: the hash is not a share
/// link at all (empty, or some other anchor).
pub fn decode_fragment(hash: &str) -> Result<Option<SharedScenario>, ShareLinkError> {
    let hash = hash.trim_start_matches('#');
    let Some(data) = hash.strip_prefix(FRAGMENT_PREFIX) else {
        return Ok(None);
    };
    if hash.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareLinkError::FragmentTooLong { chars: hash.len() });
    }
    // Links pasted through chat programs sometimes gain padding or whitespace.
    let data = data.trim().trim_end_matches('=');
    let compressed = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| ShareLinkError::NotBase64)?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(
        &compressed,
        MAX_TEXT_BYTES + HEADER_BYTES,
    )
    .map_err(|error| match error.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareLinkError::InflatesTooFar,
        _ => ShareLinkError::NotCompressed,
    })?;
    let Some((&version, rest)) = payload.split_first() else {
        return Err(ShareLinkError::Truncated);
    };
    if version != FORMAT_VERSION {
        return Err(ShareLinkError::UnknownVersion(version));
    }
    let Some((seed_bytes, text_bytes)) = rest.split_first_chunk::<8>() else {
        return Err(ShareLinkError::Truncated);
    };
    let text = String::from_utf8(text_bytes.to_vec()).map_err(|_| ShareLinkError::NotUtf8)?;
    Ok(Some(SharedScenario {
        seed: u64::from_le_bytes(*seed_bytes),
        text,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment_of_payload(payload: &[u8]) -> String {
        format!(
            "#s={}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(payload, 6))
        )
    }

    #[test]
    fn a_link_round_trips_text_and_seed() {
        for (text, seed) in [
            ("", 1),
            (crate::engine::STARTER_MANIFEST, 1),
            ("한국어: 네임스페이스\n", u64::MAX),
        ] {
            let fragment = encode_fragment(text, seed).expect("encodes");
            assert!(fragment.starts_with("s="));
            assert!(fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
            let opened = decode_fragment(&format!("#{fragment}")).expect("decodes");
            assert_eq!(
                opened,
                Some(SharedScenario {
                    seed,
                    text: text.to_string()
                })
            );
        }
    }

    #[test]
    fn the_starter_manifest_makes_a_short_link() {
        let fragment = encode_fragment(crate::engine::STARTER_MANIFEST, 1).expect("encodes");
        assert!(fragment.len() < 600, "{} chars", fragment.len());
    }

    #[test]
    fn other_anchors_are_not_share_links() {
        assert_eq!(decode_fragment(""), Ok(None));
        assert_eq!(decode_fragment("#"), Ok(None));
        assert_eq!(decode_fragment("#section-2"), Ok(None));
        assert!(!is_share_fragment("#section-2"));
        assert!(is_share_fragment("#s=abc"));
    }

    #[test]
    fn hostile_and_garbled_links_are_errors_with_messages() {
        let cases: Vec<(String, ShareLinkError)> = vec![
            ("#s=!!!not base64!!!".into(), ShareLinkError::NotBase64),
            ("#s=AAAA".into(), ShareLinkError::NotCompressed),
            ("#s=".into(), ShareLinkError::NotCompressed),
            (fragment_of_payload(&[]), ShareLinkError::Truncated),
            (fragment_of_payload(&[1, 2, 3]), ShareLinkError::Truncated),
            (
                fragment_of_payload(&[7, 0, 0, 0, 0, 0, 0, 0, 0]),
                ShareLinkError::UnknownVersion(7),
            ),
            (
                fragment_of_payload(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe]),
                ShareLinkError::NotUtf8,
            ),
            (
                format!("#s={}", "A".repeat(MAX_FRAGMENT_CHARS)),
                ShareLinkError::FragmentTooLong {
                    chars: MAX_FRAGMENT_CHARS + 2,
                },
            ),
        ];
        for (fragment, expected) in cases {
            let shown: String = fragment.chars().take(40).collect();
            assert_eq!(decode_fragment(&fragment), Err(expected.clone()), "{shown}");
            assert!(expected.message().starts_with("share link: "));
        }
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_cap() {
        // 8 MiB of one byte compresses to a few KB.
        let mut bomb = vec![1u8];
        bomb.extend_from_slice(&[0; 8]);
        bomb.extend(std::iter::repeat_n(b'a', 8 * 1024 * 1024));
        let fragment = fragment_of_payload(&bomb);
        assert!(fragment.len() < MAX_FRAGMENT_CHARS, "{}", fragment.len());
        assert_eq!(
            decode_fragment(&fragment),
            Err(ShareLinkError::InflatesTooFar)
        );
    }

    #[test]
    fn text_too_long_for_a_link_is_refused_when_sharing() {
        let text = "x".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(
            encode_fragment(&text, 1),
            Err(ShareLinkError::TextTooLong {
                bytes: MAX_TEXT_BYTES + 1
            })
        );
    }
}
