//! A server on a runtime of its own, on a thread of its own: sync tests can use it, and its runtime's task count
//! is the server's alone (connections, calls, and what they spawned).

use crate::LOCALHOST_ANY_PORT;
use crate::running::{Shutdown, incoming};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::server::Router;

/// A running server; dropping it stops the server and waits for its thread.
pub struct OnThread {
    addr: SocketAddr,
    handle: tokio::runtime::Handle,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl OnThread {
    /// Runs `serve(listener, shutdown)` on a new two-thread runtime, on 127.0.0.1:0. `serve` panics on failure:
    /// the panic reaches the test when the server is dropped.
    pub fn start<F, Fut>(serve: F) -> OnThread
    where
        F: FnOnce(TcpListener, Shutdown) -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime for the server");
            let handle = runtime.handle().clone();
            runtime.block_on(async move {
                let listener = TcpListener::bind(LOCALHOST_ANY_PORT)
                    .await
                    .unwrap_or_else(|e| panic!("bind {LOCALHOST_ANY_PORT}: {e}"));
                let addr = listener
                    .local_addr()
                    .expect("a bound listener has an address");
                ready_tx.send((addr, handle)).ok();
                let shutdown: Shutdown = Box::pin(async {
                    let _ = stopped.await;
                });
                serve(listener, shutdown).await;
            });
        });
        let (addr, handle) = ready_rx
            .recv()
            .expect("the server thread reports its address or panics");
        OnThread {
            addr,
            handle,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Serves a tonic router (built with `Server::builder()`) on a runtime of its own.
    pub fn router(router: Router) -> OnThread {
        OnThread::start(|listener, shutdown| async move {
            if let Err(e) = router
                .serve_with_incoming_shutdown(incoming(listener), shutdown)
                .await
            {
                panic!("the server failed: {e:?}");
            }
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:port`, for tonic clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Tasks alive on the server's runtime.
    pub fn tasks(&self) -> usize {
        self.handle.metrics().num_alive_tasks()
    }
}

impl Drop for OnThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let panicked = thread.join().is_err();
            // Report a server that failed, unless the test is already failing.
            if panicked && !thread::panicking() {
                panic!("the server thread panicked");
            }
        }
    }
}
