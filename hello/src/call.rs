//! What a generated server runs around each call; not a public API (reached as `__private::call`).
//!
//! Two things tonic leaves to the service, both as the gRPC specification (`doc/statuscodes.md`,
//! `doc/PROTOCOL-HTTP2.md`) says:
//! - the client's deadline (`grpc-timeout`) ends the call with DEADLINE_EXCEEDED, whether the handler is still
//!   computing or its response stream is still going. tonic's transport drops a call at that deadline too,
//!   but answers CANCELLED ("Timeout expired"), and only until the response headers: a stream runs on.
//! - a message over the size limit is RESOURCE_EXHAUSTED, a request's (tonic's decoder says OUT_OF_RANGE) and a
//!   response's (tonic's encoder says OUT_OF_RANGE);
//! - a status before any response message goes out trailers-only, as grpc-go and gRPC C-core send it: the response
//!   headers wait for the body's first frame, or until the handler waits for request data that has not arrived
//!   (a bidirectional call, see [`RequestWatch`] and [`SETTLE`]), or not at all if the handler asks for them
//!   ([`EagerHeaders`]).
//!
//! Unary and server-streaming calls have paths of their own ([`unary`], [`server_streaming`]): the request read
//! whole and decoded in place, the answer encoded straight into its frames, without tonic's stream machinery.
//! Client-streaming and bidirectional calls, and any call that negotiates compression, go through tonic's `Grpc`.

mod answer;
mod server_stream;
mod unary;
mod watch;

pub use answer::EagerHeaders;
pub use server_stream::server_streaming;
pub use unary::{CallConfig, unary};
pub use watch::RequestWatch;

use answer::Answer;
use http_body::Body as _;
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};
use tokio_stream::Stream;
use tonic::body::Body;
use tonic::{Code, Status};

/// The start of the message of tonic's decoder when a request message is over the limit
/// (`tonic/src/codec/decode.rs`); the tests of every RPC kind notice if it ever changes.
const DECODE_LIMIT: &str = "Error, decoded message length too large";

/// How much earlier than tonic's transport a generated server ends a call at its deadline.
///
/// tonic starts its own timer for `grpc-timeout` when the request arrives; the generated server sees the request
/// only when hyper's task for it first runs, a few microseconds later (more on a loaded machine). tonic's timer
/// checks the call before itself, so as long as ours is not later the client gets DEADLINE_EXCEEDED rather than
/// tonic's CANCELLED. Timers have millisecond ticks; 2 ms covers the delay with room to spare.
pub const MARGIN: Duration = Duration::from_millis(2);

/// Header names made once: looking a header up by `&str` parses the name on every call.
const GRPC_TIMEOUT: http::HeaderName = http::HeaderName::from_static("grpc-timeout");
const GRPC_STATUS: http::HeaderName = http::HeaderName::from_static("grpc-status");

/// The end of a call, from its `grpc-timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    timeout: Duration,
}

impl Deadline {
    /// The call's deadline, if its headers carry a valid `grpc-timeout`: [`MARGIN`] early, counted from now.
    pub fn from_headers(headers: &http::HeaderMap) -> Option<Deadline> {
        Deadline::from_value(headers.get(GRPC_TIMEOUT)?)
    }

    /// The deadline of a `grpc-timeout` header's value, if valid.
    fn from_value(value: &http::HeaderValue) -> Option<Deadline> {
        let timeout = parse_timeout(value.as_bytes())?;
        Some(Deadline {
            at: Instant::now().checked_add(timeout.saturating_sub(MARGIN))?,
            timeout,
        })
    }

    fn exceeded(&self) -> Status {
        Status::deadline_exceeded(format!(
            "deadline exceeded: the call's grpc-timeout of {:?} is over",
            self.timeout
        ))
    }
}

/// A `grpc-timeout` value: 1 to 8 ASCII digits and a unit (`H`, `M`, `S`, `m`, `u`, `n`); `None` if malformed.
pub fn parse_timeout(value: &[u8]) -> Option<Duration> {
    let (&unit, digits) = value.split_last()?;
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // At most 99,999,999: no overflow in u64, even in hours as seconds.
    let n = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Some(match unit {
        b'H' => Duration::from_secs(n * 3600),
        b'M' => Duration::from_secs(n * 60),
        b'S' => Duration::from_secs(n),
        b'm' => Duration::from_millis(n),
        b'u' => Duration::from_micros(n),
        b'n' => Duration::from_nanos(n),
        _ => return None,
    })
}

/// The answer to a request that is not gRPC (its content-type does not begin with `application/grpc`): HTTP 415
/// with an INTERNAL status saying why, as PROTOCOL-HTTP2.md says (tonic itself would decode it as gRPC).
pub fn not_grpc(headers: &http::HeaderMap) -> Option<http::Response<Body>> {
    let content_type = headers.get(http::header::CONTENT_TYPE);
    if content_type.is_some_and(|v| v.as_bytes().starts_with(b"application/grpc")) {
        return None;
    }
    let shown = match content_type {
        Some(v) => format!("content-type {:?}", String::from_utf8_lossy(v.as_bytes())),
        None => "no content-type".to_owned(),
    };
    let mut response = Status::internal(format!(
        "{shown}: a gRPC request's content-type begins with application/grpc"
    ))
    .into_http();
    *response.status_mut() = http::StatusCode::UNSUPPORTED_MEDIA_TYPE;
    Some(response)
}

/// How long a bidirectional handler must have been waiting for request data before its response headers go out
/// without a message (see [`RequestWatch`]); then the call yields once more to the tasks already woken.
///
/// Not zero: a client that sends its first request at once (tonic's `full_duplex_call(stream::iter(..))`) writes
/// the request's HEADERS and DATA separately, and a handler that polls in between finds nothing yet. Answering
/// headers at that moment made 14% of such calls whose handler fails on the first request headers-then-trailers
/// instead of trailers-only (tonic's interop client checks it); with 2 ms and the yield, none of 1,000, on two
/// cores with three busy loops beside. A client that waits for the headers before it sends pays these 2-3 ms once
/// per call.
pub const SETTLE: Duration = Duration::from_millis(2);

/// Runs tonic's handling of a call (`Grpc::unary` and the like) until its response headers and the first frame
/// of its body, or answers DEADLINE_EXCEEDED at the deadline, dropping the call (and so the handler) unfinished.
///
/// The headers wait for the first frame so that a status that comes before any message (a stream's first item is
/// an error) goes out trailers-only, as grpc-go and gRPC C-core send it, unless the handler put [`EagerHeaders`] on
/// its response, or the call is `watching` its request body and the handler has waited `SETTLE` for request data
/// that has not arrived (its client may be waiting for the headers before it sends). The body is wrapped so that
/// its trailers say what the specification says (see `answer::spec_trailers`): one allocation per call with a
/// body.
///
/// A future of its own rather than an `async fn`: an `async fn` would hold the call twice (as its argument
/// and pinned), doubling the size of the one box a generated route allocates per call.
pub fn within<F>(deadline: Option<Deadline>, call: F) -> Within<F>
where
    F: Future<Output = http::Response<Body>>,
{
    Within {
        call,
        sleep: deadline.map(|deadline| tokio::time::sleep_until(deadline.at)),
        deadline,
        answered: None,
        watch: None,
        settling: false,
        yielded: false,
    }
}

pin_project! {
    /// The future of [`within`].
    pub struct Within<F> {
        #[pin]
        call: F,
        #[pin]
        sleep: Option<Sleep>,
        deadline: Option<Deadline>,
        // The response, once tonic has it, while its body's first frame is awaited.
        answered: Option<http::Response<Body>>,
        // The request body's watch (bidirectional calls): the headers go out when the handler waits for requests.
        watch: Option<RequestWatch>,
        // The handler waits for requests; `sleep` is set to the end of SETTLE (before the deadline) meanwhile.
        settling: bool,
        yielded: bool,
    }
}

impl<F> Within<F> {
    /// Sends the response headers once the handler has waited [`SETTLE`] for request data that has not arrived
    /// (`watch` is on the request body), rather than only with the first message.
    pub fn watching(mut self, watch: RequestWatch) -> Self {
        self.watch = Some(watch);
        self
    }
}

impl<F> Future for Within<F>
where
    F: Future<Output = http::Response<Body>>,
{
    type Output = http::Response<Body>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if this.answered.is_none()
            && let Poll::Ready(response) = this.call.poll(cx)
        {
            let response = spec_status(response);
            // Trailers-only already (tonic's answer to a handler's error), or headers wanted at once.
            if response.headers().contains_key(GRPC_STATUS)
                || response.body().is_end_stream()
                || response.extensions().get::<EagerHeaders>().is_some()
            {
                if let Some(watch) = this.watch.as_ref() {
                    watch.done();
                }
                return Poll::Ready(response.map(|body| Body::new(Answer::new(None, body))));
            }
            *this.answered = Some(response);
        }
        if let Some(response) = this.answered.as_mut() {
            if let Poll::Ready(first) = Pin::new(response.body_mut()).poll_frame(cx)
                && let Some(response) = this.answered.take()
            {
                if let Some(watch) = this.watch.as_ref() {
                    watch.done();
                }
                return Poll::Ready(first_frame(response, first));
            }
            // No first frame yet. If the handler waits for requests that its client may send only once it has
            // the headers, and still does after SETTLE (they were not merely on their way), send the headers.
            if let Some(watch) = this.watch.as_ref() {
                let waiting = watch.waiting(cx.waker());
                if waiting && !*this.settling {
                    let at = Instant::now() + SETTLE;
                    if this.deadline.is_none_or(|deadline| at < deadline.at) {
                        *this.settling = true;
                        match this.sleep.as_mut().as_pin_mut() {
                            Some(sleep) => sleep.reset(at),
                            None => this.sleep.set(Some(tokio::time::sleep_until(at))),
                        }
                    }
                } else if !waiting && *this.settling {
                    // The requests came: back to waiting for the first frame, and the timer to the deadline.
                    *this.settling = false;
                    *this.yielded = false;
                    match (this.sleep.as_mut().as_pin_mut(), *this.deadline) {
                        (Some(sleep), Some(deadline)) => sleep.reset(deadline.at),
                        _ => this.sleep.set(None),
                    }
                }
                if *this.settling {
                    if let Some(sleep) = this.sleep.as_mut().as_pin_mut()
                        && sleep.poll(cx).is_ready()
                    {
                        // Once more behind the tasks already woken (the connection's, the handler's reader):
                        // data that came while this machine was busy elsewhere is read first.
                        if !*this.yielded {
                            *this.yielded = true;
                            cx.waker().wake_by_ref();
                            return Poll::Pending;
                        }
                        if let Some(response) = this.answered.take() {
                            watch.done();
                            return Poll::Ready(
                                response.map(|body| Body::new(Answer::new(None, body))),
                            );
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
        match (this.sleep.as_pin_mut(), this.deadline) {
            (Some(sleep), Some(deadline)) => {
                sleep.poll(cx).map(|()| deadline.exceeded().into_http())
            }
            _ => Poll::Pending,
        }
    }
}

/// The response to send once its body's first frame is known: trailers-only if that frame is the trailers.
fn first_frame(
    response: http::Response<Body>,
    first: Option<Result<http_body::Frame<tonic::codegen::Bytes>, Status>>,
) -> http::Response<Body> {
    match first {
        Some(Ok(frame)) => match frame.into_trailers() {
            Ok(trailers) => answer::trailers_only(response, trailers),
            Err(data) => response.map(|rest| Body::new(Answer::new(Some(Ok(data)), rest))),
        },
        // The body failed at once: tonic's status for it, trailers-only.
        Some(Err(status)) => spec_status_of(status).into_http(),
        None => response.map(|_| Body::empty()),
    }
}

/// A trailers-only answer as the specification wants it: RESOURCE_EXHAUSTED for a request over the size limit.
///
/// tonic answers an error before any message with the status in the headers and the `Status` itself in the
/// response's extensions, so the common case (no `Status` there) costs one look into empty extensions.
pub fn spec_status(response: http::Response<Body>) -> http::Response<Body> {
    match response.extensions().get::<Status>() {
        Some(status) if is_decode_limit(status) => resource_exhausted(status).into_http(),
        _ => response,
    }
}

/// A status as the specification wants it (see [`spec_status`]).
pub fn spec_status_of(status: Status) -> Status {
    if is_decode_limit(&status) {
        resource_exhausted(&status)
    } else {
        status
    }
}

fn is_decode_limit(status: &Status) -> bool {
    status.code() == Code::OutOfRange && status.message().starts_with(DECODE_LIMIT)
}

fn resource_exhausted(status: &Status) -> Status {
    Status::with_details_and_metadata(
        Code::ResourceExhausted,
        status.message(),
        status.details().to_vec().into(),
        status.metadata().clone(),
    )
}

/// Wraps the response stream a handler returns into a [`ResponseStream`] with the call's deadline.
pub fn streamed<F, S>(deadline: Option<Deadline>, handler: F) -> Streamed<F>
where
    F: Future<Output = Result<tonic::Response<S>, Status>>,
{
    Streamed { handler, deadline }
}

pin_project! {
    /// The future of [`streamed`]: a struct rather than an `async fn`, which would hold the handler's future
    /// twice (as its argument and as awaited) in the route's one box, as [`Within`] explains.
    pub struct Streamed<F> {
        #[pin]
        handler: F,
        deadline: Option<Deadline>,
    }
}

impl<F, S> Future for Streamed<F>
where
    F: Future<Output = Result<tonic::Response<S>, Status>>,
{
    type Output = Result<tonic::Response<ResponseStream<S>>, Status>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let deadline = *this.deadline;
        this.handler.poll(cx).map(|response| {
            Ok(response?.map(|inner| ResponseStream {
                inner,
                sleep: deadline.map(|d| tokio::time::sleep_until(d.at)),
                deadline,
                done: false,
            }))
        })
    }
}

pin_project! {
    /// A handler's response stream, ended by DEADLINE_EXCEEDED at the call's deadline, with the statuses it
    /// yields as the specification wants them (a request over the size limit, met while reading a request
    /// stream, is RESOURCE_EXHAUSTED).
    pub struct ResponseStream<S> {
        #[pin]
        inner: S,
        #[pin]
        sleep: Option<Sleep>,
        deadline: Option<Deadline>,
        done: bool,
    }
}

impl<S, M> Stream for ResponseStream<S>
where
    S: Stream<Item = Result<M, Status>>,
{
    type Item = Result<M, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        if *this.done {
            return Poll::Ready(None);
        }
        // Checked before the stream, so that a stream that is always ready still stops at its deadline.
        if let (Some(sleep), Some(deadline)) = (this.sleep.as_mut().as_pin_mut(), this.deadline)
            && sleep.poll(cx).is_ready()
        {
            *this.done = true;
            return Poll::Ready(Some(Err(deadline.exceeded())));
        }
        match this.inner.poll_next(cx) {
            Poll::Ready(Some(Err(status))) => Poll::Ready(Some(Err(spec_status_of(status)))),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_grpc_timeouts() {
        assert_eq!(parse_timeout(b"1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_timeout(b"2M"), Some(Duration::from_secs(120)));
        assert_eq!(parse_timeout(b"3S"), Some(Duration::from_secs(3)));
        assert_eq!(parse_timeout(b"250m"), Some(Duration::from_millis(250)));
        assert_eq!(parse_timeout(b"7u"), Some(Duration::from_micros(7)));
        assert_eq!(
            parse_timeout(b"99999999n"),
            Some(Duration::from_nanos(99_999_999))
        );
        assert_eq!(
            parse_timeout(b"99999999H"),
            Some(Duration::from_secs(99_999_999 * 3600))
        );
        for bad in [
            &b""[..],
            b"S",
            b"1",
            b"1s",
            b"-1S",
            b"1.5S",
            b"123456789S",
            b" 1S",
            b"1 S",
        ] {
            assert_eq!(
                parse_timeout(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn maps_only_the_decoders_size_limit() {
        let over = Status::out_of_range(
            "Error, decoded message length too large: found 5000 bytes, the limit is: 1024 bytes",
        );
        let mapped = spec_status_of(over);
        assert_eq!(mapped.code(), Code::ResourceExhausted);
        assert!(mapped.message().contains("found 5000 bytes"), "{mapped:?}");
        // A handler's own OUT_OF_RANGE is its business.
        let own = spec_status_of(Status::out_of_range("page 7 of 3"));
        assert_eq!(own.code(), Code::OutOfRange);

        let response = spec_status(
            Status::out_of_range("Error, decoded message length too large: found 9 bytes")
                .into_http(),
        );
        assert_eq!(response.headers()["grpc-status"], "8");
        let ok = spec_status(http::Response::new(Body::default()));
        assert!(ok.headers().get("grpc-status").is_none());
    }

    #[test]
    fn refuses_what_is_not_grpc() {
        let mut headers = http::HeaderMap::new();
        let refused = not_grpc(&headers).expect("no content-type");
        assert_eq!(refused.status(), http::StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(refused.headers()["grpc-status"], "13");
        headers.insert("content-type", "application/json".parse().unwrap());
        assert!(not_grpc(&headers).is_some());
        for ok in [
            "application/grpc",
            "application/grpc+proto",
            "application/grpc;charset=utf-8",
        ] {
            headers.insert("content-type", ok.parse().unwrap());
            assert!(not_grpc(&headers).is_none(), "{ok}");
        }
    }
}
