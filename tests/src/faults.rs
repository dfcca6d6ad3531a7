//! The failures a fake outside service is told to answer with: the next few
//! (a status and its `Retry-After`), and every n-th request a 503.

/// A fake's planned failures.
#[derive(Debug, Default)]
pub struct Faults {
    /// Statuses to answer next (and their Retry-After seconds), first first.
    queue: Vec<(u16, Option<u64>)>,
    /// Every n-th request is answered 503 (0: none).
    every: usize,
    /// How many requests came.
    requests: usize,
}

impl Faults {
    /// Every `n`-th request from now is answered 503.
    pub fn every(&mut self, n: usize) {
        self.every = n;
    }

    /// The next answer is `status` (with `Retry-After: seconds`).
    pub fn push(&mut self, status: u16, retry_after: Option<u64>) {
        self.queue.push((status, retry_after));
    }

    /// Counts a request; the failure to answer it with, if any.
    pub fn answer(&mut self) -> Option<(u16, Option<u64>)> {
        self.requests += 1;
        if self.every > 0 && self.requests.is_multiple_of(self.every) {
            return Some((503, None));
        }
        (!self.queue.is_empty()).then(|| self.queue.remove(0))
    }
}
