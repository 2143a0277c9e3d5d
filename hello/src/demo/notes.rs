//! The notes of RouteChat: kept per place, bounded so that no client can grow the server without limit.
//!
//! Bounds (see [`NoteLimits`]):
//! - at most `per_location` notes at one place (default 32): posting one more forgets the oldest note there;
//! - at most `total` notes in all (default 10,000) and `total_bytes` of note text in all (8 MiB): past either, the oldest
//!   notes of the whole store are forgotten first;
//! - a note whose text alone is larger than `total_bytes` is answered but not kept.
//!
//! "The same place" is the same cell of the [`GridKey`] grid (coordinates rounded to 1e-4 degrees).

use crate::demo::geo::GridKey;
use crate::demo::messages::{Point, RouteNote};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

/// Memory bounds of a [`NoteStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoteLimits {
    /// Notes kept at one place; one more forgets the oldest there.
    pub per_location: usize,
    /// Notes kept in all; one more forgets the oldest of the store.
    pub total: usize,
    /// Bytes of note text (and a fixed overhead per note) kept in all.
    pub total_bytes: usize,
}

impl Default for NoteLimits {
    fn default() -> Self {
        NoteLimits {
            per_location: 32,
            total: 10_000,
            total_bytes: 8 << 20,
        }
    }
}

/// Notes posted so far, shared by every RouteChat call of a server.
#[derive(Debug, Default)]
pub struct NoteStore {
    limits: NoteLimits,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Notes at each place, oldest first, each with its sequence number.
    by_place: HashMap<GridKey, VecDeque<(u64, RouteNote)>>,
    /// Every kept note's sequence number -> its place: the oldest note of the store is the first entry.
    order: BTreeMap<u64, GridKey>,
    next_seq: u64,
    bytes: usize,
}

/// What a kept note costs against `total_bytes`: its text and a fixed overhead for the rest.
fn cost(note: &RouteNote) -> usize {
    note.message.len() + std::mem::size_of::<(u64, RouteNote)>()
}

impl Inner {
    /// Forgets the oldest note at `key`; returns false when there is none.
    fn drop_oldest_at(&mut self, key: GridKey) -> bool {
        let Some(queue) = self.by_place.get_mut(&key) else {
            return false;
        };
        let Some((seq, note)) = queue.pop_front() else {
            return false;
        };
        if queue.is_empty() {
            self.by_place.remove(&key);
        }
        self.order.remove(&seq);
        self.bytes -= cost(&note);
        true
    }

    /// Forgets the oldest note of the whole store; returns false when it is empty.
    fn drop_oldest(&mut self) -> bool {
        match self.order.first_key_value() {
            Some((_, &key)) => self.drop_oldest_at(key),
            None => false,
        }
    }
}

impl NoteStore {
    /// An empty store within `limits`.
    pub fn new(limits: NoteLimits) -> NoteStore {
        NoteStore {
            limits,
            inner: Mutex::default(),
        }
    }

    /// The bounds it keeps to.
    pub fn limits(&self) -> NoteLimits {
        self.limits
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave `Inner` half-updated in a way that matters more than
        // losing the notes: carry on rather than fail every later call.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Returns the notes kept at the note's place (oldest first), then keeps the note.
    pub fn post(&self, note: RouteNote) -> Vec<RouteNote> {
        let at = note.location.unwrap_or_default();
        let key = GridKey::of(&at);
        let mut inner = self.lock();
        let earlier = inner
            .by_place
            .get(&key)
            .map(|q| q.iter().map(|(_, n)| n.clone()).collect())
            .unwrap_or_default();

        let size = cost(&note);
        if self.limits.per_location == 0 || self.limits.total == 0 || size > self.limits.total_bytes
        {
            return earlier;
        }
        while inner
            .by_place
            .get(&key)
            .is_some_and(|q| q.len() >= self.limits.per_location)
        {
            inner.drop_oldest_at(key);
        }
        while inner.order.len() >= self.limits.total || inner.bytes + size > self.limits.total_bytes
        {
            if !inner.drop_oldest() {
                break;
            }
        }
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.order.insert(seq, key);
        inner.bytes += size;
        inner
            .by_place
            .entry(key)
            .or_default()
            .push_back((seq, note));
        earlier
    }

    /// The notes kept at a place, oldest first.
    pub fn at(&self, p: &Point) -> Vec<RouteNote> {
        let inner = self.lock();
        inner
            .by_place
            .get(&GridKey::of(p))
            .map(|q| q.iter().map(|(_, n)| n.clone()).collect())
            .unwrap_or_default()
    }

    /// How many notes are kept in all, and their cost in bytes.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.order.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(lat: f32, lon: f32, text: &str) -> RouteNote {
        RouteNote {
            location: Some(Point {
                latitude: lat,
                longitude: lon,
            }),
            message: text.to_owned(),
        }
    }

    fn texts(notes: &[RouteNote]) -> Vec<&str> {
        notes.iter().map(|n| n.message.as_str()).collect()
    }

    #[test]
    fn answers_earlier_notes_at_the_same_place_only() {
        let s = NoteStore::default();
        assert!(s.post(note(1.0, 2.0, "a")).is_empty());
        assert!(s.post(note(3.0, 4.0, "x")).is_empty());
        assert_eq!(texts(&s.post(note(1.0, 2.0, "b"))), ["a"]);
        assert_eq!(
            texts(&s.post(note(1.00001, 2.0, "c"))),
            ["a", "b"],
            "same grid cell"
        );
        assert_eq!(s.usage().0, 4);
    }

    #[test]
    fn per_location_cap_forgets_the_oldest_there() {
        let s = NoteStore::new(NoteLimits {
            per_location: 3,
            total: 100,
            total_bytes: 1 << 20,
        });
        for t in ["1", "2", "3", "4", "5"] {
            s.post(note(1.0, 2.0, t));
        }
        s.post(note(5.0, 5.0, "other"));
        assert_eq!(
            texts(&s.at(&Point {
                latitude: 1.0,
                longitude: 2.0
            })),
            ["3", "4", "5"]
        );
        assert_eq!(s.usage().0, 4);
    }

    #[test]
    fn total_cap_forgets_the_oldest_anywhere() {
        let s = NoteStore::new(NoteLimits {
            per_location: 10,
            total: 3,
            total_bytes: 1 << 20,
        });
        s.post(note(1.0, 1.0, "a"));
        s.post(note(2.0, 2.0, "b"));
        s.post(note(1.0, 1.0, "c"));
        s.post(note(3.0, 3.0, "d"));
        assert_eq!(
            texts(&s.at(&Point {
                latitude: 1.0,
                longitude: 1.0
            })),
            ["c"]
        );
        assert_eq!(
            texts(&s.at(&Point {
                latitude: 2.0,
                longitude: 2.0
            })),
            ["b"]
        );
        assert_eq!(s.usage().0, 3);
        // Many notes at one place never grow the order index beyond the caps.
        for i in 0..1000 {
            s.post(note(7.0, 7.0, &i.to_string()));
        }
        assert_eq!(s.usage().0, 3);
        assert_eq!(s.lock().order.len(), 3);
    }

    #[test]
    fn byte_cap_bounds_memory_and_oversized_notes_are_not_kept() {
        let overhead = cost(&note(0.0, 0.0, ""));
        let s = NoteStore::new(NoteLimits {
            per_location: 100,
            total: 100,
            total_bytes: 3 * (overhead + 10),
        });
        for i in 0..10 {
            s.post(note(i as f32, 0.0, "0123456789"));
        }
        let (n, bytes) = s.usage();
        assert_eq!(n, 3);
        assert!(bytes <= 3 * (overhead + 10));
        let big = "x".repeat(4 * (overhead + 10));
        s.post(note(50.0, 0.0, &big));
        assert!(
            s.at(&Point {
                latitude: 50.0,
                longitude: 0.0
            })
            .is_empty()
        );
        assert_eq!(s.usage().0, 3);
    }
}
