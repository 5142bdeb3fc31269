//! A state file is merged only if it is exactly what a run wrote: every
//! single-bit flip, every truncation and any byte added is refused.

use hashwatt::report::{StateError, decode_state, state_bytes, write_state};
use hashwatt::{RunConfig, Scenario, simulate};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");

/// The state of a tiny run: reference-core over 2 days, 3 paths.
fn small_state() -> Vec<u8> {
    let text = std::fs::read_to_string(REFERENCE).expect("scenario file");
    assert!(text.contains("horizon_days = 1095"));
    let text = text.replace("horizon_days = 1095", "horizon_days = 2");
    let scenario = Scenario::from_toml_str(&text).expect("valid");
    let summary = simulate(&scenario, &RunConfig::new(5, 3)).expect("run");
    let bytes = state_bytes(&summary);
    assert_eq!(decode_state(&bytes).expect("reads back"), summary);
    bytes
}

#[test]
fn every_single_bit_flip_is_refused() {
    let bytes = small_state();
    assert!(bytes.len() < 64 * 1024, "{} bytes: not small", bytes.len());
    let mut damaged = bytes.clone();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            damaged[i] ^= 1 << bit;
            match decode_state(&damaged) {
                Err(StateError::Damaged { .. } | StateError::NotState { .. }) => {}
                other => panic!("bit {bit} of byte {i} flipped: {other:?}"),
            }
            damaged[i] ^= 1 << bit;
        }
    }
    assert_eq!(damaged, bytes);
}

#[test]
fn every_truncation_and_any_added_byte_is_refused() {
    let bytes = small_state();
    for len in 0..bytes.len() {
        assert!(decode_state(&bytes[..len]).is_err(), "truncated to {len}");
    }
    for extra in [&[0u8][..], b"\n", &[0xff; 100]] {
        let mut longer = bytes.clone();
        longer.extend_from_slice(extra);
        let err = decode_state(&longer).unwrap_err();
        assert!(err.to_string().contains("bytes added"), "{err}");
    }
}

#[test]
fn an_earlier_format_is_named() {
    let mut bytes = small_state();
    bytes[15] = b'1';
    let err = decode_state(&bytes).unwrap_err().to_string();
    assert!(err.contains("earlier version"), "{err}");
    let err = decode_state(b"PK\x03\x04 a zip file")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a hashwatt state file"), "{err}");
}

/// A writer that takes `room` bytes, then fails, and takes at most `most`
/// bytes a call (a short write, as a pipe or a full disk may give).
struct Full {
    room: usize,
    most: usize,
    taken: Vec<u8>,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room == 0 {
            return Err(std::io::Error::other("disk full"));
        }
        let n = buf.len().min(self.room).min(self.most);
        self.room -= n;
        self.taken.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_streamed_state_is_the_state_and_a_failing_writer_is_an_error() {
    let bytes = small_state();
    // A writer with room for everything takes exactly the state's bytes,
    // though it takes 7 bytes a call: what it did not take is written
    // again, and what it took is hashed once.
    let mut roomy = Full {
        room: usize::MAX,
        most: 7,
        taken: Vec::new(),
    };
    let summary = decode_state(&bytes).expect("reads back");
    write_state(&summary, &mut roomy).expect("written");
    assert_eq!(roomy.taken, bytes);
    // One that fills up anywhere (header, body, checksum) reports it.
    for room in [0, 10, 24, bytes.len() / 2, bytes.len() - 1] {
        let mut full = Full {
            room,
            most: usize::MAX,
            taken: Vec::new(),
        };
        let err = write_state(&summary, &mut full).expect_err("no room");
        assert!(err.to_string().contains("disk full"), "{err}");
        assert!(full.taken.len() <= room);
        assert!(decode_state(&full.taken).is_err());
    }
}
