//! Streaming cases: client, server and both ways, compressed or not.

use super::*;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

pub(super) async fn client_streaming<C: TestClient>(mut c: C) -> Outcome {
    let requests = REQUEST_SIZES
        .iter()
        .map(|&n| StreamingInputCallRequest {
            payload: Some(zeros(n)),
            ..Default::default()
        })
        .collect();
    let response = ok(
        "StreamingInputCall",
        c.streaming_input_call(Request::new(stream_of(requests)))
            .await,
    )?;
    let total = response.get_ref().aggregated_payload_size;
    if total != 74_922 {
        return Err(format!(
            "StreamingInputCall: aggregated_payload_size {total}, expected 74922"
        ));
    }
    Ok(())
}

pub(super) async fn client_compressed_streaming<C: TestClient>(c: C) -> Outcome {
    let request = |expect, size| StreamingInputCallRequest {
        payload: Some(zeros(size)),
        expect_compressed: Some(BoolValue { value: expect }),
    };
    let probe = c
        .clone()
        .streaming_input_call(Request::new(stream_of(vec![request(true, 27_182)])))
        .await;
    check_status(
        "probe (uncompressed, expect_compressed=true)",
        probe,
        Code::InvalidArgument,
        None,
    )?;

    // One call: the first message compressed, the second not.
    let wire = CallWire::default();
    wire.send_next(true);
    wire.send_next(false);
    let mut call = Request::new(stream_of(vec![
        request(true, 27_182),
        request(false, 45_904),
    ]));
    call.extensions_mut().insert(wire);
    let what = "StreamingInputCall (compressed, then uncompressed)";
    let response = ok(what, c.gzip_requests().streaming_input_call(call).await)?;
    let total = response.get_ref().aggregated_payload_size;
    if total != 73_086 {
        return Err(format!(
            "{what}: aggregated_payload_size {total}, expected 73086"
        ));
    }
    Ok(())
}

pub(super) async fn server_streaming<C: TestClient>(mut c: C) -> Outcome {
    let what = "StreamingOutputCall";
    let mut stream = ok(
        what,
        c.streaming_output_call(Request::new(output_request(&RESPONSE_SIZES)))
            .await,
    )?
    .into_inner();
    let sizes = read_all(what, &mut stream).await?;
    if sizes != RESPONSE_SIZES {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected {RESPONSE_SIZES:?}"
        ));
    }
    Ok(())
}

pub(super) async fn server_compressed_streaming<C: TestClient>(mut c: C) -> Outcome {
    let what = "StreamingOutputCall (compressed, then uncompressed)";
    let parameters = |size, compressed| ResponseParameters {
        size,
        compressed: Some(BoolValue { value: compressed }),
        ..Default::default()
    };
    let wire = CallWire::default();
    let mut request = Request::new(StreamingOutputCallRequest {
        response_parameters: vec![parameters(31_415, true), parameters(92_653, false)],
        ..Default::default()
    });
    request.extensions_mut().insert(wire.clone());
    let mut stream = ok(what, c.streaming_output_call(request).await)?.into_inner();
    let sizes = read_all(what, &mut stream).await?;
    if sizes != [31_415, 92_653] {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected [31415, 92653]"
        ));
    }
    let seen = wire.received();
    if seen != [true, false] {
        return Err(format!(
            "{what}: response messages came {}, expected {}",
            flags(&seen),
            flags(&[true, false])
        ));
    }
    Ok(())
}

pub(super) async fn ping_pong<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall";
    let (tx, rx) = mpsc::channel(1);
    let closed = |_| format!("{what}: the request stream closed early");
    tx.send(ping(0)).await.map_err(closed)?;
    let mut responses = ok(
        what,
        c.full_duplex_call(Request::new(Box::pin(ReceiverStream::new(rx))))
            .await,
    )?
    .into_inner();
    for (index, &size) in RESPONSE_SIZES.iter().enumerate() {
        if index > 0 {
            tx.send(ping(index)).await.map_err(closed)?;
        }
        match responses.message().await {
            Ok(Some(message)) => check_payload(
                &format!("{what}: response {index}"),
                message.payload.as_ref(),
                size,
            )?,
            Ok(None) => {
                return Err(format!(
                    "{what}: the call ended after {index} responses, before the client half-closed"
                ));
            }
            Err(status) => {
                return Err(format!(
                    "{what}: failed after {index} responses with {}",
                    show(&status)
                ));
            }
        }
    }
    drop(tx);
    match responses.message().await {
        Ok(None) => Ok(()),
        Ok(Some(_)) => Err(format!("{what}: a fifth response, expected four")),
        Err(status) => Err(format!(
            "{what}: failed after the client half-closed with {}",
            show(&status)
        )),
    }
}

/// Not in the descriptions but in grpc's C++ client: requests, half-close, then all the responses in order.
pub(super) async fn half_duplex<C: TestClient>(mut c: C) -> Outcome {
    let what = "HalfDuplexCall";
    let requests = RESPONSE_SIZES
        .iter()
        .map(|&size| output_request(&[size]))
        .collect();
    let mut responses = ok(
        what,
        c.half_duplex_call(Request::new(stream_of(requests))).await,
    )?
    .into_inner();
    let sizes = read_all(what, &mut responses).await?;
    if sizes != RESPONSE_SIZES {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected {RESPONSE_SIZES:?}"
        ));
    }
    Ok(())
}

pub(super) async fn empty_stream<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall with no requests";
    let mut responses = ok(
        what,
        c.full_duplex_call(Request::new(stream_of(Vec::new())))
            .await,
    )?
    .into_inner();
    let sizes = read_all(what, &mut responses).await?;
    if !sizes.is_empty() {
        return Err(format!("{what}: {} responses, expected none", sizes.len()));
    }
    Ok(())
}
