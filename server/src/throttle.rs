//! Throttles for what outsiders can try: sign-ins (per account name and per
//! client address), enrolment codes (per client address), and a bound on how many
//! password hashes run at once.
//!
//! An attempt is *taken* before the expensive or secret check runs and is
//! *returned* only when it succeeds, so parallel attempts cannot slip past the
//! count (take and check are one step under one lock). The counts live in the
//! hub's memory: a restart forgets them, and several hub replicas count apart
//! (decision in docs/decisions.md).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use tokio::sync::Semaphore;

/// When the window is full: how long until an attempt is free again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait(pub Duration);

impl Wait {
    /// Whole minutes to tell a person (at least 1).
    pub fn minutes(self) -> u64 {
        self.0.as_secs().div_ceil(60).max(1)
    }

    /// Whole seconds for a `Retry-After` header (at least 1).
    pub fn seconds(self) -> u64 {
        self.0.as_secs().max(1)
    }
}

#[derive(Debug)]
struct Window {
    start: Instant,
    used: u32,
}

/// At most `max` attempts per key within `window` (a fixed window per key that
/// starts with its first attempt).
#[derive(Debug)]
pub struct Throttle {
    max: u32,
    window: Duration,
    keys: Mutex<HashMap<String, Window>>,
}

/// Past this many keys, expired windows are dropped on the next attempt.
const PRUNE_AT: usize = 10_000;

impl Throttle {
    /// A throttle of `max` attempts per `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max: max.max(1),
            window,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one attempt for `key`, or says how long to wait.
    pub fn take(&self, key: &str) -> Result<(), Wait> {
        self.take_at(key, Instant::now())
    }

    fn take_at(&self, key: &str, now: Instant) -> Result<(), Wait> {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if keys.len() >= PRUNE_AT {
            let window = self.window;
            keys.retain(|_, w| now.duration_since(w.start) < window);
        }
        let w = keys.entry(key.to_owned()).or_insert(Window {
            start: now,
            used: 0,
        });
        if now.duration_since(w.start) >= self.window {
            *w = Window {
                start: now,
                used: 0,
            };
        }
        if w.used >= self.max {
            return Err(Wait(
                self.window.saturating_sub(now.duration_since(w.start)),
            ));
        }
        w.used += 1;
        Ok(())
    }

    /// Returns one attempt taken for `key` (it succeeded and does not count).
    pub fn give_back(&self, key: &str) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = keys.get_mut(key) {
            w.used = w.used.saturating_sub(1);
        }
    }

    /// Forgets `key` (e.g. an account after a successful sign-in).
    pub fn clear(&self, key: &str) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.remove(key);
    }

    /// Attempts used by `key` in its current window.
    pub fn used(&self, key: &str) -> u32 {
        let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.get(key)
            .filter(|w| w.start.elapsed() < self.window)
            .map_or(0, |w| w.used)
    }
}

/// Every throttle of the hub, shared by its requests.
#[derive(Debug)]
pub struct Guards {
    /// Failed sign-ins per account name (known or not: the answers are the same).
    pub login_accounts: Throttle,
    /// Failed sign-ins per client address.
    pub login_addresses: Throttle,
    /// Enrolment attempts per client address.
    pub enrol_addresses: Throttle,
    /// Public forms (booking requests and moves, complaints) per client address.
    pub public_forms: Throttle,
    /// Password checks: a few dedicated threads (argon2 takes ~19 MiB each).
    hashing: HashPool,
}

/// A password check waiting for a hashing thread.
type HashJob = (String, String, tokio::sync::oneshot::Sender<bool>);

/// Password checks on a fixed set of threads. On the shared blocking pool every
/// check could land on another thread, each keeping its own 19 MiB in its malloc
/// arena: measured +400–500 MiB for a 120-sign-in flood with only two at a time.
/// With its own threads the memory stays with them.
#[derive(Debug)]
struct HashPool {
    jobs: std::sync::mpsc::Sender<HashJob>,
    slots: Arc<Semaphore>,
}

impl HashPool {
    fn new(threads: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<HashJob>();
        let queue = Arc::new(Mutex::new(queue));
        let mut started = 0;
        for i in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("fieldcase-hash-{i}"))
                .spawn(move || {
                    loop {
                        // Ends when the hub drops its sender.
                        let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok((password, phc, reply)) = job else {
                            return;
                        };
                        let _ = reply.send(crate::auth::verify_password(&password, &phc));
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                Err(err) => tracing::error!(%err, "cannot start a password hashing thread"),
            }
        }
        Self {
            jobs,
            slots: Arc::new(Semaphore::new(started)),
        }
    }
}

/// Public forms (booking requests and moves, complaints) a client address may
/// send an hour.
pub const PUBLIC_FORMS_PER_HOUR: u32 = 20;
/// Enrolment attempts a client address may make per window.
pub const ENROL_ATTEMPTS: u32 = 10;
/// The enrolment throttle's window.
pub const ENROL_WINDOW: Duration = Duration::from_secs(15 * 60);
/// How long a sign-in waits for a free hashing slot before answering "busy".
const HASH_WAIT: Duration = Duration::from_secs(10);

impl Guards {
    /// Guards from the sign-in settings: `max_failed` per account in `window`; an
    /// address may fail ten times as often (an office behind one address).
    pub fn new(max_failed: u32, window: Duration) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            login_accounts: Throttle::new(max_failed, window),
            login_addresses: Throttle::new(max_failed.saturating_mul(10), window),
            enrol_addresses: Throttle::new(ENROL_ATTEMPTS, ENROL_WINDOW),
            public_forms: Throttle::new(PUBLIC_FORMS_PER_HOUR, Duration::from_secs(3600)),
            hashing: HashPool::new(cores.clamp(2, 8)),
        }
    }

    /// Whether `password` matches the stored PHC string, checked on a hashing
    /// thread; `None` when every thread stayed busy for 10 s (the hub is flooded).
    pub async fn verify_password(&self, password: String, phc: String) -> Option<bool> {
        let _slot = tokio::time::timeout(HASH_WAIT, self.hashing.slots.clone().acquire_owned())
            .await
            .ok()?
            .ok()?;
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.hashing.jobs.send((password, phc, reply)).ok()?;
        answer.await.ok()
    }
}

/// The client's address as the socket saw it (`None` in in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    /// A throttle key for the address.
    pub fn key(self) -> String {
        self.0
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_waits_and_a_new_one_starts_afresh() {
        let t = Throttle::new(2, Duration::from_secs(60));
        let start = Instant::now();
        assert!(t.take_at("a", start).is_ok());
        assert!(t.take_at("a", start).is_ok());
        let wait = t.take_at("a", start + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait.0, Duration::from_secs(50));
        assert_eq!(wait.minutes(), 1);
        assert!(t.take_at("b", start).is_ok(), "keys count apart");
        assert!(t.take_at("a", start + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn given_back_attempts_do_not_count() {
        let t = Throttle::new(1, Duration::from_secs(60));
        t.take("a").unwrap();
        t.give_back("a");
        assert!(t.take("a").is_ok());
        t.clear("a");
        assert_eq!(t.used("a"), 0);
    }
}
