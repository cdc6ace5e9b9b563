//! Share links: the editor's text and the cluster's input journal (seed, every Apply, terminal
//! line and menu action with its simulated instant, and the clock — [`crate::journal`]),
//! DEFLATE-compressed (`miniz_oxide`) and base64url-encoded into the URL fragment `#s=…`.
//! Opening such a link loads the text into the editor (nothing is applied from the editor) and
//! replays the journal on a fresh cluster: the same cluster, in the same state, as the author's.
//! Links of the first format (text and seed only) still open, on a fresh cluster.
//!
//! Decoding never trusts the link: the fragment, the compressed bytes and the inflated payload
//! are each size-capped (no decompression bombs), the format carries a version byte, and every
//! failure is a [`ShareLinkError`] whose message the page shows in the error panel.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::journal::Journal;

/// The fragment prefix of a share link.
pub const FRAGMENT_PREFIX: &str = "s=";
/// The first format: `[1, seed (8 bytes little-endian), UTF-8 text…]`.
const FORMAT_TEXT_AND_SEED: u8 = 1;
/// The format links are made in: `[2, text length (4 bytes little-endian), UTF-8 text, the
/// encoded journal (UTF-8)]`.
const FORMAT_TEXT_AND_JOURNAL: u8 = 2;
/// The most a link's payload may inflate to (text and journal).
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// The longest editor text a link may carry (also the most a link may inflate to, plus header).
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// The longest fragment accepted (browsers cope with far longer URLs; links this long are not
/// meant to be pasted into chat anyway).
pub const MAX_FRAGMENT_CHARS: usize = 128 * 1024;

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedScenario {
    pub seed: u64,
    pub text: String,
    /// The cluster's inputs (`None` for a link of the first format: a fresh cluster of `seed`).
    pub journal: Option<Journal>,
}

/// Why a link could not be made or opened; [`ShareLinkError::message`] is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareLinkError {
    TextTooLong {
        bytes: usize,
    },
    FragmentTooLong {
        chars: usize,
    },
    NotBase64,
    NotCompressed,
    InflatesTooFar,
    UnknownVersion(u8),
    Truncated,
    NotUtf8,
    /// The journal (the cluster's inputs) is damaged; the reason.
    Journal(String),
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
                "the link would decompress to more than {MAX_PAYLOAD_BYTES} bytes; nothing was loaded"
            ),
            ShareLinkError::Journal(reason) => format!(
                "the link's cluster inputs are damaged: {reason}; nothing was loaded"
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

/// The fragment (without `#`) that carries `text` and `journal`:
/// `s=<base64url(deflate(payload))>`.
pub fn encode_fragment(text: &str, journal: &Journal) -> Result<String, ShareLinkError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ShareLinkError::TextTooLong { bytes: text.len() });
    }
    let encoded_journal = journal.encode();
    let mut payload = Vec::with_capacity(5 + text.len() + encoded_journal.len());
    payload.push(FORMAT_TEXT_AND_JOURNAL);
    payload.extend_from_slice(&(text.len() as u32).to_le_bytes());
    payload.extend_from_slice(text.as_bytes());
    payload.extend_from_slice(encoded_journal.as_bytes());
    let compressed = miniz_oxide::deflate::compress_to_vec(&payload, 9);
    let fragment = format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed));
    if fragment.len() > MAX_FRAGMENT_CHARS || payload.len() > MAX_PAYLOAD_BYTES {
        return Err(ShareLinkError::FragmentTooLong {
            chars: fragment.len(),
        });
    }
    Ok(fragment)
}

/// The Share button's fragment: the text and the whole journal when they fit in a link; when
/// the journal makes the link too long, the text alone on a fresh cluster of the same seed (a
/// link that opens beats no link). Returns the fragment and how many inputs it carries.
pub fn share_fragment(text: &str, journal: &Journal) -> Result<(String, usize), ShareLinkError> {
    match encode_fragment(text, journal) {
        Ok(fragment) => Ok((fragment, journal.entries.len())),
        Err(ShareLinkError::FragmentTooLong { .. }) if !journal.entries.is_empty() => {
            encode_fragment(text, &Journal::new(journal.seed)).map(|fragment| (fragment, 0))
        }
        Err(error) => Err(error),
    }
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
    let payload =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_PAYLOAD_BYTES)
            .map_err(|error| match error.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareLinkError::InflatesTooFar,
                _ => ShareLinkError::NotCompressed,
            })?;
    let Some((&version, rest)) = payload.split_first() else {
        return Err(ShareLinkError::Truncated);
    };
    match version {
        FORMAT_TEXT_AND_SEED => {
            let Some((seed_bytes, text_bytes)) = rest.split_first_chunk::<8>() else {
                return Err(ShareLinkError::Truncated);
            };
            if text_bytes.len() > MAX_TEXT_BYTES {
                return Err(ShareLinkError::InflatesTooFar);
            }
            let text =
                String::from_utf8(text_bytes.to_vec()).map_err(|_| ShareLinkError::NotUtf8)?;
            Ok(Some(SharedScenario {
                seed: u64::from_le_bytes(*seed_bytes),
                text,
                journal: None,
            }))
        }
        FORMAT_TEXT_AND_JOURNAL => {
            let Some((length_bytes, rest)) = rest.split_first_chunk::<4>() else {
                return Err(ShareLinkError::Truncated);
            };
            let length = u32::from_le_bytes(*length_bytes) as usize;
            if length > MAX_TEXT_BYTES {
                return Err(ShareLinkError::InflatesTooFar);
            }
            if rest.len() < length {
                return Err(ShareLinkError::Truncated);
            }
            let (text_bytes, journal_bytes) = rest.split_at(length);
            let text =
                String::from_utf8(text_bytes.to_vec()).map_err(|_| ShareLinkError::NotUtf8)?;
            let journal_text =
                std::str::from_utf8(journal_bytes).map_err(|_| ShareLinkError::NotUtf8)?;
            let journal =
                Journal::decode(journal_text).map_err(|error| ShareLinkError::Journal(error.0))?;
            Ok(Some(SharedScenario {
                seed: journal.seed,
                text,
                journal: Some(journal),
            }))
        }
        other => Err(ShareLinkError::UnknownVersion(other)),
    }
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
            let mut journal = Journal::new(seed);
            let session = scenario::Session::new(seed);
            journal.record(&session, crate::journal::Input::Apply(text.to_string()));
            journal.record(
                &session,
                crate::journal::Input::Line("kubectl get pods".into()),
            );
            journal.until_millis += 61_000;
            let fragment = encode_fragment(text, &journal).expect("encodes");
            assert!(fragment.starts_with("s="));
            assert!(fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
            let opened = decode_fragment(&format!("#{fragment}")).expect("decodes");
            assert_eq!(
                opened,
                Some(SharedScenario {
                    seed,
                    text: text.to_string(),
                    journal: Some(journal),
                })
            );
        }
    }

    #[test]
    fn the_starter_manifest_makes_a_short_link() {
        let fragment =
            encode_fragment(crate::engine::STARTER_MANIFEST, &Journal::new(1)).expect("encodes");
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
    fn a_link_of_the_first_format_still_opens_on_a_fresh_cluster() {
        let mut payload = vec![1u8];
        payload.extend_from_slice(&7u64.to_le_bytes());
        payload.extend_from_slice(b"kind: Namespace\n");
        assert_eq!(
            decode_fragment(&fragment_of_payload(&payload)),
            Ok(Some(SharedScenario {
                seed: 7,
                text: "kind: Namespace\n".into(),
                journal: None,
            }))
        );
    }

    #[test]
    fn a_damaged_journal_is_refused_with_its_reason() {
        let mut payload = vec![2u8];
        payload.extend_from_slice(&3u32.to_le_bytes());
        payload.extend_from_slice(b"abckubeplay-journal 1\nseed 1\nuntil 0\nline 5 play 999\nx\n");
        let error = decode_fragment(&fragment_of_payload(&payload)).unwrap_err();
        assert!(
            matches!(&error, ShareLinkError::Journal(r) if r.contains("cut short")),
            "{error:?}"
        );
        assert!(error.message().contains("cluster inputs are damaged"));
        let mut short = vec![2u8];
        short.extend_from_slice(&100u32.to_le_bytes());
        short.extend_from_slice(b"abc");
        assert_eq!(
            decode_fragment(&fragment_of_payload(&short)),
            Err(ShareLinkError::Truncated)
        );
        let mut long = vec![2u8];
        long.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            decode_fragment(&fragment_of_payload(&long)),
            Err(ShareLinkError::InflatesTooFar)
        );
    }

    #[test]
    fn a_journal_too_long_for_a_link_leaves_the_text_on_a_fresh_cluster() {
        let session = scenario::Session::new(5);
        let mut journal = Journal::new(5);
        journal.record(
            &session,
            crate::journal::Input::Line("kubectl get pods".into()),
        );
        let (fragment, inputs) = share_fragment("kind: Namespace\n", &journal).expect("fits");
        assert_eq!(inputs, 1);
        assert!(
            decode_fragment(&fragment)
                .unwrap()
                .unwrap()
                .journal
                .unwrap()
                .entries
                .len()
                == 1
        );
        // Incompressible inputs past the link's length: the text still goes, without them.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..400 {
            let noise: String = (0..400)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    char::from(b'!' + (state % 90) as u8)
                })
                .collect();
            journal.record(&session, crate::journal::Input::Line(noise));
        }
        assert!(matches!(
            encode_fragment("kind: Namespace\n", &journal),
            Err(ShareLinkError::FragmentTooLong { .. })
        ));
        let (fragment, inputs) = share_fragment("kind: Namespace\n", &journal).expect("fits");
        assert_eq!(inputs, 0);
        let opened = decode_fragment(&fragment).unwrap().unwrap();
        assert_eq!(opened.text, "kind: Namespace\n");
        assert_eq!(opened.journal, Some(Journal::new(5)));
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
            encode_fragment(&text, &Journal::new(1)),
            Err(ShareLinkError::TextTooLong {
                bytes: MAX_TEXT_BYTES + 1
            })
        );
    }
}
