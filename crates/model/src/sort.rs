//! Stable sorting through one compiled sort.
//!
//! The standard library's sort is generic over the element and the comparison, and each of its
//! instantiations is ~5 KB of WebAssembly: the workspace's ~80 call sites made ~440 KB of the
//! page. [`SortSlice`] sorts positions (`usize`) with the comparison behind a `dyn` call — one
//! instantiation of the standard sort for everything — and then moves the elements into that
//! order, so what is left per call site is a small closure.
//!
//! The result is exactly the standard stable sort's: equal elements keep their order (positions
//! are compared only through the elements, and the position sort is stable). Costs one
//! `Vec<usize>` and an indirect call per comparison.

use std::cmp::Ordering;

/// `sort`, `sort_by` and `sort_by_key` for slices, sharing one compiled sort.
pub trait SortSlice<T> {
    /// Like `slice::sort_by`: stable.
    fn sort_stable_by<F: FnMut(&T, &T) -> Ordering>(&mut self, compare: F);

    /// Like `slice::sort_by_key`: stable.
    fn sort_stable_by_key<K: Ord, F: FnMut(&T) -> K>(&mut self, mut key: F) {
        self.sort_stable_by(|a, b| key(a).cmp(&key(b)));
    }

    /// Like `slice::sort`: stable.
    fn sort_stable(&mut self)
    where
        T: Ord,
    {
        self.sort_stable_by(Ord::cmp);
    }
}

impl<T> SortSlice<T> for [T] {
    fn sort_stable_by<F: FnMut(&T, &T) -> Ordering>(&mut self, mut compare: F) {
        if self.len() < 2 {
            return;
        }
        let order = {
            let elements: &[T] = self;
            sorted_positions(elements.len(), &mut |a, b| {
                compare(&elements[a], &elements[b])
            })
        };
        apply_order(self, &order);
    }
}

/// The positions `0..len` in sorted order: the one place the standard sort is instantiated.
#[allow(clippy::disallowed_methods)]
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|a, b| compare(*a, *b));
    positions
}

/// Rearranges `elements` so that `elements[i]` becomes the element that was at `order[i]`,
/// following each cycle of the permutation once (linear, in place).
fn apply_order<T>(elements: &mut [T], order: &[usize]) {
    let mut placed = vec![false; elements.len()];
    for start in 0..elements.len() {
        if placed[start] {
            continue;
        }
        let mut current = start;
        loop {
            placed[current] = true;
            let next = order[current];
            if next == start {
                break;
            }
            elements.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // compared against the standard sort
mod tests {
    use super::*;

    /// A small deterministic generator (no wall clock, no dependency).
    fn numbers(seed: u64, count: usize, range: u64) -> Vec<u64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) % range
            })
            .collect()
    }

    #[test]
    fn equals_the_standard_stable_sort_on_ties_and_all_lengths() {
        for seed in 0..200u64 {
            let len = (seed % 70) as usize;
            let keys = numbers(seed, len, 1 + seed % 9);
            // Pairs (key, original position): ties in the key show whether order is kept.
            let items: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|(key, _)| *key);
            let mut got = items.clone();
            got.sort_stable_by_key(|(key, _)| *key);
            assert_eq!(got, expected, "seed {seed}");
            let mut descending = items.clone();
            descending.sort_stable_by(|a, b| b.0.cmp(&a.0));
            let mut expected_descending = items;
            expected_descending.sort_by_key(|item| std::cmp::Reverse(item.0));
            assert_eq!(descending, expected_descending, "seed {seed}");
        }
    }

    #[test]
    fn sorts_owned_values_by_their_order() {
        let mut words: Vec<String> = ["pod", "node", "deployment", "node", "a"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        words.sort_stable();
        assert_eq!(words, ["a", "deployment", "node", "node", "pod"]);
        let mut empty: Vec<String> = Vec::new();
        empty.sort_stable();
        assert!(empty.is_empty());
    }
}
