//! Connections that can be cut: when the grace period after a shutdown request is over, every connection still
//! open fails its reads and writes, so its task ends and `serve` leaves nothing running behind it.
//!
//! Cost per read or write: one atomic load and an `AtomicWaker` registration (no lock, no allocation);
//! the lock of the switch is taken once per connection and once at the cut.

use futures_util::task::AtomicWaker;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tonic::transport::server::Connected;

/// The state one connection shares with the switch.
#[derive(Default)]
struct Cut {
    done: AtomicBool,
    waker: AtomicWaker,
}

/// Cuts every connection made through it, at once, when [`KillSwitch::cut`] is called or it is dropped.
#[derive(Default)]
pub struct KillSwitch {
    conns: Mutex<Vec<Weak<Cut>>>,
    cut: AtomicBool,
}

impl KillSwitch {
    /// Wraps a new connection.
    pub fn wrap<IO>(&self, io: IO) -> Killable<IO> {
        let cut = Arc::new(Cut::default());
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        // Forget closed connections now and then, so the list stays as long as the open ones.
        if conns.len() >= 64 && conns.len().is_power_of_two() {
            conns.retain(|c| c.strong_count() > 0);
        }
        if self.cut.load(Ordering::Acquire) {
            cut.done.store(true, Ordering::Release);
        }
        conns.push(Arc::downgrade(&cut));
        Killable { io, cut }
    }

    /// Makes every connection fail its next (or pending) read and write.
    pub fn cut(&self) {
        let conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        self.cut.store(true, Ordering::Release);
        for c in conns.iter().filter_map(Weak::upgrade) {
            c.done.store(true, Ordering::Release);
            c.waker.wake();
        }
    }
}

impl Drop for KillSwitch {
    fn drop(&mut self) {
        self.cut();
    }
}

/// An I/O stream that fails once its [`KillSwitch`] cuts it.
pub struct Killable<IO> {
    io: IO,
    cut: Arc<Cut>,
}

impl<IO> Killable<IO> {
    fn check(&self) -> io::Result<()> {
        if self.cut.done.load(Ordering::Acquire) {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "server shut down: grace period over",
            ));
        }
        Ok(())
    }

    /// The waker is registered only when the stream would wait (registering on every read and write cost
    /// about 116 instructions per call); then a second look catches a cut made in between.
    fn unless_cut<T>(
        &self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            return poll;
        }
        self.cut.waker.register(cx.waker());
        match self.check() {
            Err(cut) => Poll::Ready(Err(cut)),
            Ok(()) => Poll::Pending,
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Killable<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        let poll = Pin::new(&mut this.io).poll_read(cx, buf);
        this.unless_cut(cx, poll)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Killable<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        let poll = Pin::new(&mut this.io).poll_write(cx, buf);
        this.unless_cut(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        let poll = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.unless_cut(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        let poll = Pin::new(&mut this.io).poll_flush(cx);
        this.unless_cut(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

impl<IO: Connected> Connected for Killable<IO> {
    type ConnectInfo = IO::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.io.connect_info()
    }
}
