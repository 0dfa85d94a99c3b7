//! The content hash every part of locdrift shares (cache entries, walked paths, anchors, stored history), and a hasher for keys that are such hashes already.

use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_128;

/// A content hash: XXH3-128, fast enough to hash every file of a large tree on each run
/// and wide enough that two different texts do not collide by accident.
pub fn hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// A hasher for keys that are hashes already (path keys, path hashes): it passes them
/// through instead of hashing them again, which a hundred thousand lookups notice.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only for keys other than u64 and u128, which this hasher is not used with.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64 ^ (n >> 64) as u64;
    }
}

/// `HashMap`'s hasher for keys that are hashes (`PassThrough`).
pub(crate) type Prehashed = BuildHasherDefault<PassThrough>;
