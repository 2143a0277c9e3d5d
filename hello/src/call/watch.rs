//! Whether a handler is waiting for request data that has not arrived: the moment a bidirectional call's response
//! headers must go out even though its first message is not ready.
//!
//! A client may wait for the response headers before it sends (a tonic client feeding its request stream only
//! after `call().await` returned, grpc-go's clients do the same when told to). A handler waiting for that client's
//! requests would then wait forever for requests that wait for its headers. So the generated route wraps a
//! bidirectional call's request body in [`Watched`], which notes each `poll_frame` that returns `Pending`, and
//! [`Within`](super::Within) sends the headers alone once that has lasted [`SETTLE`](super::SETTLE) (a client that
//! sends at once may have its request data on the way), not before: until then they wait for the first message,
//! however long, so that a status before any message goes out trailers-only.
//!
//! Unary, server-streaming and client-streaming calls need no watch: tonic reads a unary or server-streaming
//! request whole before the handler runs, and answers a client-streaming call only when its handler returns its one
//! message. The cost for a bidirectional call: one allocation (the shared state), and one atomic load per request
//! frame polled, two more when the poll finds no frame.

use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// The request body's last poll found a frame or the end, or was never polled.
const IDLE: u8 = 0;
/// The request body's last poll returned `Pending`: the handler waits for the client.
const WAITING: u8 = 1;
/// The response headers are out: nothing more to watch.
const DONE: u8 = 2;

#[derive(Debug, Default)]
struct State {
    state: AtomicU8,
    // The task holding the response headers, woken when the request body turns WAITING (the handler may read the
    // requests on a task of its own).
    waker: Mutex<Option<Waker>>,
}

/// The watch on one call's request body, shared by the body ([`RequestWatch::body`]) and `Within`.
#[derive(Debug, Clone, Default)]
pub struct RequestWatch(Arc<State>);

impl RequestWatch {
    /// A new watch (one allocation).
    pub fn new() -> RequestWatch {
        RequestWatch::default()
    }

    /// `body`, noting when a poll of it returns `Pending`.
    pub fn body<B>(&self, body: B) -> Watched<B> {
        Watched {
            inner: body,
            watch: self.0.clone(),
        }
    }

    /// Whether the handler is waiting for request data now; if not, `waker` is woken when it is.
    pub(super) fn waiting(&self, waker: &Waker) -> bool {
        if self.0.state.load(Ordering::Acquire) == WAITING {
            return true;
        }
        if let Ok(mut slot) = self.0.waker.lock() {
            match &mut *slot {
                Some(old) if old.will_wake(waker) => {}
                other => *other = Some(waker.clone()),
            }
        }
        // Again: the body may have turned WAITING before the waker was in place.
        self.0.state.load(Ordering::Acquire) == WAITING
    }

    /// The headers are out: the body stops noting anything, and no waker is kept.
    pub(super) fn done(&self) {
        self.0.state.store(DONE, Ordering::Release);
        if let Ok(mut slot) = self.0.waker.lock() {
            slot.take();
        }
    }
}

pin_project_lite::pin_project! {
    /// A request body that tells its [`RequestWatch`] when a poll finds nothing yet.
    pub struct Watched<B> {
        #[pin]
        inner: B,
        watch: Arc<State>,
    }
}

impl<B: http_body::Body> http_body::Body for Watched<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<B::Data>, B::Error>>> {
        let this = self.project();
        let polled = this.inner.poll_frame(cx);
        let state = &this.watch.state;
        match (&polled, state.load(Ordering::Relaxed)) {
            (Poll::Pending, IDLE)
                if state
                    .compare_exchange(IDLE, WAITING, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok() =>
            {
                let waker = this.watch.waker.lock().ok().and_then(|mut w| w.take());
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
            (Poll::Ready(_), WAITING) => {
                let _ = state.compare_exchange(WAITING, IDLE, Ordering::AcqRel, Ordering::Relaxed);
            }
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A body that is pending until `ready` is set, then gives one frame.
    struct Gate(Arc<std::sync::atomic::AtomicBool>);
    impl http_body::Body for Gate {
        type Data = tonic::codegen::Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<tonic::codegen::Bytes>, Self::Error>>> {
            if self.0.load(Ordering::SeqCst) {
                Poll::Ready(Some(Ok(http_body::Frame::data(
                    tonic::codegen::Bytes::new(),
                ))))
            } else {
                Poll::Pending
            }
        }
    }

    #[test]
    fn notes_pending_polls_and_wakes_the_holder_once() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let holder = Waker::from(count.clone());
        let noop = Waker::noop();
        let open = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let watch = RequestWatch::new();
        let mut body = Box::pin(watch.body(Gate(open.clone())));
        let mut cx = Context::from_waker(noop);
        use http_body::Body as _;

        assert!(!watch.waiting(&holder), "never polled");
        assert!(body.as_mut().poll_frame(&mut cx).is_ready());
        assert!(!watch.waiting(&holder), "a frame was there");
        open.store(false, Ordering::SeqCst);
        assert!(body.as_mut().poll_frame(&mut cx).is_pending());
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "the holder is woken");
        assert!(body.as_mut().poll_frame(&mut cx).is_pending());
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "once");
        assert!(watch.waiting(&holder));
        open.store(true, Ordering::SeqCst);
        assert!(body.as_mut().poll_frame(&mut cx).is_ready());
        assert!(!watch.waiting(&holder), "data came");
        watch.done();
        open.store(false, Ordering::SeqCst);
        assert!(body.as_mut().poll_frame(&mut cx).is_pending());
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "nothing after done");
    }
}
