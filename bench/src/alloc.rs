//! Heap allocations per call on the server side, ours against tonic-build's, in one process over real sockets.
//!
//! [`Counting`] wraps the system allocator and counts only on threads that asked to be counted: the server runs
//! on a thread of its own (a current-thread runtime, so its connections, codecs and handlers all run there),
//! the client on another thread that is not counted. Both servers are bare `tonic::transport::Server`s with
//! the same RouteGuide, so the difference is the generated code.

use crate::client::{self, Connection};
use crate::tonic_peer::{TonicGuide, TonicHelloServer};
use crate::workload::{self, Kind};
use hello::demo::features::FeatureDb;
use hello::demo::notes::NoteLimits;
use hello::demo::{RouteGuide, hello_server::HelloServer};
use serde::{Deserialize, Serialize};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio_stream::wrappers::TcpListenerStream;

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

/// Allocations by exact size (sizes of 64 KiB and more in the last slot), for `alloc-bench --sizes`.
const SIZE_SLOTS: usize = 1 << 16;
static BY_SIZE: [AtomicU64; SIZE_SLOTS] = [const { AtomicU64::new(0) }; SIZE_SLOTS];

/// The system allocator, counting allocations (and reallocations) made on counted threads.
pub struct Counting;

fn note(size: usize) {
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size as u64, Ordering::Relaxed);
        BY_SIZE[size.min(SIZE_SLOTS - 1)].fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed to `System` unchanged; counting touches only atomics and a const thread-local
// without a destructor, neither of which allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations and bytes counted so far (on counted threads).
pub fn counted() -> (u64, u64) {
    (
        ALLOCS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    )
}

/// Allocations counted so far by size: (size, count) for every size seen.
pub fn counted_by_size() -> Vec<(usize, u64)> {
    BY_SIZE
        .iter()
        .enumerate()
        .map(|(size, n)| (size, n.load(Ordering::Relaxed)))
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// Which generated server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Which {
    Ours,
    TonicBuild,
}

/// One measured case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AllocRow {
    pub which: Which,
    pub kind: Kind,
    /// Messages per call.
    pub n: usize,
    pub calls: u64,
    /// Streamed messages over all calls (see `workload`).
    pub messages: u64,
    pub allocs_per_call: f64,
    pub bytes_per_call: f64,
    pub allocs_per_message: f64,
    pub bytes_per_message: f64,
    /// Allocations per call by size, (size, count per call), sizes that occur at least once per 10 calls.
    #[serde(default)]
    pub sizes_per_call: Vec<(usize, f64)>,
}

/// The cases: (kind, messages per call, calls), sized so that each moves about `calls` messages.
pub fn cases(calls: usize) -> Vec<(Kind, usize, usize)> {
    let calls = calls.max(100);
    vec![
        (Kind::Unary, 1, calls),
        (Kind::List, 10, calls),
        (Kind::List, 1000, calls / 1000 + 1),
        (Kind::Record, 100, calls / 100 + 1),
        (Kind::Chat, 100, calls / 100 + 1),
    ]
}

/// Starts a bare server of `which` on a counted thread; returns its address and a stop switch.
fn start(
    which: Which,
    db: FeatureDb,
) -> Result<(SocketAddr, tokio::sync::oneshot::Sender<()>), String> {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = addr_tx.send(Err(e.to_string()));
                return;
            }
        };
        rt.block_on(async move {
            let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                Ok(l) => l,
                Err(e) => {
                    let _ = addr_tx.send(Err(e.to_string()));
                    return;
                }
            };
            let _ = addr_tx.send(listener.local_addr().map_err(|e| e.to_string()));
            let limits = NoteLimits {
                per_location: 1,
                ..NoteLimits::default()
            };
            let guide = RouteGuide::new(db, limits);
            let incoming = TcpListenerStream::new(listener);
            let stop = async {
                let _ = stop_rx.await;
            };
            let builder = tonic::transport::Server::builder();
            // Counted from here on: everything this thread does is the server's work.
            COUNTED.with(|c| c.set(true));
            let _ = match which {
                Which::Ours => {
                    let mut b = builder;
                    b.add_service(HelloServer::new(guide))
                        .serve_with_incoming_shutdown(incoming, stop)
                        .await
                }
                Which::TonicBuild => {
                    let mut b = builder;
                    b.add_service(TonicHelloServer::new(TonicGuide(guide)))
                        .serve_with_incoming_shutdown(incoming, stop)
                        .await
                }
            };
            COUNTED.with(|c| c.set(false));
        });
    });
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| "server thread did not start".to_owned())??;
    Ok((addr, stop_tx))
}

/// Measures one case against one server.
pub async fn measure(which: Which, kind: Kind, n: usize, calls: usize) -> Result<AllocRow, String> {
    let db = match kind {
        Kind::List => FeatureDb::from_features(workload::features(n))
            .map_err(|e| format!("grid features collide: {e:?}"))?,
        _ => FeatureDb::default_db(),
    };
    let (addr, stop) = start(which, db)?;
    let conn = Connection::open(addr).await?;
    let uri = client::uri(addr, &kind.path())?;
    let body = workload::request_body(kind, n);
    // Warm-up: connection buffers, HPACK tables and the like reach their steady size.
    for _ in 0..(calls / 10).clamp(20, 2000) {
        conn.call(&uri, &body, false)
            .await
            .map_err(|e| e.to_string())?;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (a0, b0) = counted();
    let sizes0 = counted_by_size();
    let mut messages = 0;
    for _ in 0..calls {
        let answer = conn
            .call(&uri, &body, false)
            .await
            .map_err(|e| e.to_string())?;
        messages += workload::messages_per_call(kind, n, answer.messages);
    }
    // Let the server finish what it does after the last answer (stream clean-up) before reading.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (a1, b1) = counted();
    let sizes1 = counted_by_size();
    drop(conn);
    let _ = stop.send(());
    let (allocs, bytes) = ((a1 - a0) as f64, (b1 - b0) as f64);
    let calls = calls as u64;
    Ok(AllocRow {
        which,
        kind,
        n,
        calls,
        messages,
        allocs_per_call: allocs / calls as f64,
        bytes_per_call: bytes / calls as f64,
        allocs_per_message: allocs / messages.max(1) as f64,
        bytes_per_message: bytes / messages.max(1) as f64,
        sizes_per_call: sizes1
            .iter()
            .map(|&(size, n1)| {
                let n0 = sizes0.iter().find(|(s, _)| *s == size).map_or(0, |x| x.1);
                (size, (n1 - n0) as f64 / calls as f64)
            })
            .filter(|&(_, per)| per >= 0.1)
            .collect(),
    })
}
