//! What tonic does not show of a call but the interop cases check: whether each message went compressed (its
//! flag byte on the wire), single messages of a stream sent uncompressed, and metadata in headers versus
//! trailers. A wrapper around the HTTP bodies reads the gRPC frames as they pass (`body.rs`); the server's
//! layer (`server.rs`) and the client's channel wrapper (`client.rs`) put it on every call and share what it
//! sees with the handler or the case through a [`CallWire`] in the request's extensions.

mod body;
mod client;
mod server;

pub use client::WireChannel;
pub use server::{EchoMetadata, WireLayer};

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tonic::codegen::http::HeaderMap;

/// Metadata key whose value the server echoes in its response headers.
pub const ECHO_INITIAL: &str = "x-grpc-test-echo-initial";
/// Metadata key whose value the server echoes in its trailers.
pub const ECHO_TRAILING_BIN: &str = "x-grpc-test-echo-trailing-bin";

/// One call's view of the wire, shared by the body wrappers and the code handling the call.
#[derive(Clone, Default, Debug)]
pub struct CallWire(Arc<Mutex<Seen>>);

#[derive(Default, Debug)]
struct Seen {
    /// The compressed flag of each message received, in order.
    received: Vec<bool>,
    /// For each message still to send, in order: whether it should go compressed.
    to_send: VecDeque<bool>,
    /// Headers and trailers received (client side).
    headers: HeaderMap,
    trailers: HeaderMap,
}

impl CallWire {
    fn lock(&self) -> MutexGuard<'_, Seen> {
        // A panic elsewhere cannot leave this data half-written: recover it rather than fail the call.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The compressed flag of each message received so far.
    pub fn received(&self) -> Vec<bool> {
        self.lock().received.clone()
    }

    /// Whether the `index`th message received was compressed (`None`: not received).
    pub fn was_compressed(&self, index: usize) -> Option<bool> {
        self.lock().received.get(index).copied()
    }

    /// Asks for the next message sent on this call to go compressed or not. A message with no wish goes as
    /// tonic encoded it. Only a compressed message can be sent uncompressed, not the reverse: the call's
    /// compression (`send_compressed`, the peer's `grpc-accept-encoding`) must allow gzip for `true` to hold.
    pub fn send_next(&self, compressed: bool) {
        self.lock().to_send.push_back(compressed);
    }

    /// The response headers received (client side).
    pub fn headers(&self) -> HeaderMap {
        self.lock().headers.clone()
    }

    /// The trailers received (client side); empty until the call ends.
    pub fn trailers(&self) -> HeaderMap {
        self.lock().trailers.clone()
    }

    fn record(&self, compressed: bool) {
        self.lock().received.push(compressed);
    }

    fn next_wish(&self) -> Option<bool> {
        self.lock().to_send.pop_front()
    }

    fn set_headers(&self, headers: &HeaderMap) {
        self.lock().headers = headers.clone();
    }

    fn set_trailers(&self, trailers: &HeaderMap) {
        self.lock().trailers = trailers.clone();
    }
}
