//! Cases that end calls early: cancellation by the client, and a deadline the server cannot meet.

use super::*;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;

/// A request stream that reports when the call first asks it for a message (the call has begun: its headers
/// are out), and never gives one.
struct Begun(Option<oneshot::Sender<()>>);

impl Stream for Begun {
    type Item = StreamingInputCallRequest;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(begun) = self.0.take() {
            let _ = begun.send(());
        }
        // Never woken: the call is cancelled, not continued.
        Poll::Pending
    }
}

pub(super) async fn cancel_after_begin<C: TestClient>(mut c: C) -> Outcome {
    let (begun_tx, begun_rx) = oneshot::channel();
    let call = c.streaming_input_call(Request::new(Box::pin(Begun(Some(begun_tx)))));
    tokio::select! {
        result = call => Err(format!("StreamingInputCall: ended before the client cancelled it: {result:?}")),
        // Dropping the call future cancels it (RST_STREAM CANCEL): the call's status is CANCELLED.
        begun = begun_rx => begun.map_err(|_| "StreamingInputCall: the call never began".to_owned()),
    }
}

pub(super) async fn cancel_after_first_response<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall";
    let (tx, rx) = mpsc::channel(1);
    tx.send(ping(0))
        .await
        .map_err(|_| format!("{what}: the request stream closed early"))?;
    let mut responses = ok(
        what,
        c.full_duplex_call(Request::new(Box::pin(ReceiverStream::new(rx))))
            .await,
    )?
    .into_inner();
    match responses.message().await {
        Ok(Some(message)) => check_payload(
            &format!("{what}: response 0"),
            message.payload.as_ref(),
            RESPONSE_SIZES[0],
        )?,
        Ok(None) => return Err(format!("{what}: ended with no response")),
        Err(status) => {
            return Err(format!(
                "{what}: failed before its first response with {}",
                show(&status)
            ));
        }
    }
    // Cancel: drop the responses and then the requests; the call's status is CANCELLED.
    drop(responses);
    drop(tx);
    Ok(())
}

pub(super) async fn timeout_on_sleeping_server<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall with a 1 ms deadline";
    let timeout = Duration::from_millis(1);
    let (tx, rx) = mpsc::channel(1);
    tx.send(StreamingOutputCallRequest {
        payload: Some(zeros(27_182)),
        ..Default::default()
    })
    .await
    .map_err(|_| format!("{what}: the request stream closed early"))?;
    let mut request = Request::new(Box::pin(ReceiverStream::new(rx)) as Requests<_>);
    request.set_timeout(timeout);
    let deadline = Instant::now() + timeout;
    // The client enforces its own deadline, as every gRPC client does: whatever the server does after it, the
    // call ends DEADLINE_EXCEEDED.
    let call = async {
        let mut responses = c.full_duplex_call(request).await?.into_inner();
        while responses.message().await?.is_some() {}
        Ok::<(), Status>(())
    };
    let result = tokio::time::timeout_at(deadline, call).await;
    drop(tx);
    match result {
        Err(_elapsed) => Ok(()),
        Ok(Err(status))
            if status.code() == Code::DeadlineExceeded || Instant::now() >= deadline =>
        {
            Ok(())
        }
        Ok(Err(status)) => Err(format!(
            "{what}: failed before the deadline with {}",
            show(&status)
        )),
        Ok(Ok(())) => Err(format!(
            "{what}: ended OK before the deadline, while the client still had requests open"
        )),
    }
}
