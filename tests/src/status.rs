//! Where a streamed call's error arrives: a status sent before any response message comes trailers-only, so
//! tonic's client returns it from the call itself; sent later, from the stream. A test that asserts only the status
//! takes it from either place.

use tonic::{Response, Status, Streaming};

/// The error that ends a streamed response before its first message, from the call or from the stream.
pub async fn first_error<T>(call: Result<Response<Streaming<T>>, Status>) -> Status {
    match call {
        Err(status) => status,
        Ok(response) => match response.into_inner().message().await {
            Err(status) => status,
            Ok(message) => panic!(
                "expected an error before any message, got {}",
                describe(&message)
            ),
        },
    }
}

fn describe<T>(message: &Option<T>) -> &'static str {
    if message.is_some() {
        "a message"
    } else {
        "the end of the stream"
    }
}
