//! Work on several threads, results in input order, memory bounded by a window.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// Runs `work` on every item with `threads` workers and hands each result to `emit` in the
/// items' order. Workers take the next item as soon as they are free, but never more than
/// `ahead_per_worker × threads` items ahead of the one `emit` waits for, so at most that many
/// results are alive at once. The worker that finishes the next item in order emits it (and
/// any later ones already done): no thread exists only to emit, and a worker sleeps only when
/// the window is full, so items do not cost a wake-up each. The first error from `emit` stops
/// the workers and is returned.
pub fn run<I: Sync, R: Send>(
    items: &[I],
    threads: usize,
    ahead_per_worker: usize,
    work: impl Fn(&I) -> R + Sync,
    emit: impl FnMut(R) -> std::io::Result<()> + Send,
) -> std::io::Result<()> {
    struct InOrder<R, F> {
        /// The index of the next result to emit.
        expected: usize,
        waiting: BTreeMap<usize, R>,
        emit: F,
        failed: Option<std::io::Error>,
        /// Workers waiting for the window to move; nobody is woken when there are none.
        sleepers: usize,
    }
    let threads = threads.max(1);
    let window = threads.saturating_mul(ahead_per_worker.max(1));
    let next = AtomicUsize::new(0);
    let state = Mutex::new(InOrder {
        expected: 0,
        waiting: BTreeMap::new(),
        emit,
        failed: None,
        sleepers: 0,
    });
    let moved_on = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (next, state, moved_on, work) = (&next, &state, &moved_on, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { return };
                let Ok(mut s) = state.lock() else { return };
                while s.failed.is_none() && i >= s.expected.saturating_add(window) {
                    s.sleepers += 1;
                    let Ok(woken) = moved_on.wait(s) else { return };
                    s = woken;
                    s.sleepers -= 1;
                }
                if s.failed.is_some() {
                    return;
                }
                drop(s);
                let result = work(item);
                let Ok(mut guard) = state.lock() else { return };
                let s = &mut *guard;
                if s.failed.is_some() {
                    return;
                }
                s.waiting.insert(i, result);
                let before = s.expected;
                while let Some(result) = s.waiting.remove(&s.expected) {
                    if let Err(e) = (s.emit)(result) {
                        s.failed = Some(e);
                        break;
                    }
                    s.expected += 1;
                }
                let wake = s.sleepers > 0 && (s.expected != before || s.failed.is_some());
                let failed = s.failed.is_some();
                drop(guard);
                if wake {
                    moved_on.notify_all();
                }
                if failed {
                    return;
                }
            });
        }
    });
    let s = state
        .into_inner()
        .map_err(|_| std::io::Error::other("a worker thread stopped early"))?;
    if let Some(e) = s.failed {
        return Err(e);
    }
    if s.expected < items.len() {
        return Err(std::io::Error::other("a worker thread stopped early"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::run;

    /// Item i takes a time that varies with i, so later items often finish first.
    fn slow(i: &usize) -> usize {
        std::thread::sleep(Duration::from_micros(((i * 7919) % 13) as u64 * 50));
        *i
    }

    #[test]
    fn results_come_in_input_order_on_any_number_of_threads() {
        let items: Vec<usize> = (0..300).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            run(&items, threads, 2, slow, |r| {
                seen.push(r);
                Ok(())
            })
            .expect("no error");
            assert_eq!(seen, items, "{threads} threads");
        }
    }

    #[test]
    fn no_more_results_are_alive_than_the_window_allows() {
        let items: Vec<usize> = (0..400).collect();
        let (threads, ahead) = (4, 2);
        let alive = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        run(
            &items,
            threads,
            ahead,
            |i| {
                let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                slow(i)
            },
            |_| {
                alive.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .expect("no error");
        let most = most.load(Ordering::SeqCst);
        assert!(
            most <= threads * ahead,
            "{most} results alive at once, window {}",
            threads * ahead
        );
        assert!(most > 1, "the workers ran side by side ({most})");
    }

    #[test]
    fn the_first_emit_error_stops_the_run_and_is_returned() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let mut emitted = 0;
        let outcome = run(
            &items,
            3,
            4,
            |i| {
                worked.fetch_add(1, Ordering::SeqCst);
                slow(i)
            },
            |r| {
                if r == 20 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::BrokenPipe,
                        "reader went away",
                    ));
                }
                emitted += 1;
                Ok(())
            },
        );
        let e = outcome.expect_err("the emit error");
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
        assert_eq!(emitted, 20, "items 0..20 were emitted, in order, before it");
        let worked = worked.load(Ordering::SeqCst);
        assert!(
            worked <= 20 + 3 * 4 + 3,
            "workers stopped within a window of the error, not after all 10,000 ({worked})"
        );
    }

    #[test]
    fn no_items_is_no_work() {
        let mut calls = 0;
        run(&[] as &[usize], 2, 8, slow, |_| {
            calls += 1;
            Ok(())
        })
        .expect("nothing to do");
        assert_eq!(calls, 0);
    }
}
