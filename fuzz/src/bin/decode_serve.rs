//! Fuzz target: request decoding and the demo service's handlers, through the generated server.
//!
//! Input: one selector byte, then the request body as sent on the wire (gRPC length-prefixed frames, or anything).
//! The selector picks the method (all four kinds), whether the request says `grpc-encoding: gzip`, and whether a
//! `grpc-timeout` header (taken from the input) is sent. The call runs through `HelloServer<RouteGuide>` (tonic's
//! decoder, prost, the handler, the encoder, the generated server's deadline and status mapping) and its whole
//! response body is read. Any status is fine; a panic is a crash.

use bytes::Bytes;
use hello::demo::RouteGuide;
use hello::demo::hello_server::HelloServer;
use http_body_util::{BodyExt, Full};
use std::sync::LazyLock;
use tonic::codec::CompressionEncoding;
use tonic::codegen::Service;

const PATHS: [&str; 4] = [
    "/hello.Hello/GetFeature",
    "/hello.Hello/ListFeatures",
    "/hello.Hello/RecordRoute",
    "/hello.Hello/RouteChat",
];

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime")
});

/// One server for every input, as a real one serves every call (RouteChat's notes stay, within their bounds).
static SERVER: LazyLock<HelloServer<RouteGuide>> = LazyLock::new(|| {
    HelloServer::new(RouteGuide::default())
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(64 << 10)
        .max_encoding_message_size(64 << 10)
});

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&selector, mut body)) = data.split_first() else {
            return;
        };
        let mut request = http::Request::builder()
            .method("POST")
            .uri(format!("http://fuzz{}", PATHS[usize::from(selector & 3)]))
            .header("content-type", "application/grpc")
            .header("te", "trailers");
        if selector & 4 != 0 {
            request = request
                .header("grpc-encoding", "gzip")
                .header("grpc-accept-encoding", "gzip");
        }
        if selector & 8 != 0 && !body.is_empty() {
            // The next byte says how many bytes of header value follow (at most 15).
            let n = usize::from(body[0] & 15).min(body.len() - 1);
            if let Ok(value) = http::HeaderValue::from_bytes(&body[1..1 + n]) {
                request = request.header("grpc-timeout", value);
            }
            body = &body[1 + n..];
        }
        let Ok(request) = request.body(Full::new(Bytes::copy_from_slice(body))) else {
            return;
        };
        RUNTIME.block_on(async {
            let mut server = SERVER.clone();
            let Ok(response) = server.call(request).await;
            // Errors of the body are statuses (trailers); only a panic matters.
            let _ = response.into_body().collect().await;
        });
    });
}
