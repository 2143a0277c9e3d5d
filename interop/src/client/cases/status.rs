//! Cases on what comes back besides messages: echoed metadata, statuses, UNIMPLEMENTED.

use super::*;
use tonic::metadata::MetadataValue;

fn echo_request<M>(what: &str, message: M) -> Result<Request<M>, String> {
    let mut request = Request::new(message);
    let initial = MetadataValue::try_from(INITIAL_VALUE).map_err(|e| format!("{what}: {e}"))?;
    request.metadata_mut().insert(ECHO_INITIAL, initial);
    request.metadata_mut().insert_bin(
        ECHO_TRAILING_BIN,
        MetadataValue::from_bytes(&TRAILING_VALUE),
    );
    Ok(request)
}

fn check_initial(what: &str, metadata: &tonic::metadata::MetadataMap) -> Outcome {
    match metadata.get(ECHO_INITIAL).map(|v| v.to_str()) {
        Some(Ok(INITIAL_VALUE)) => Ok(()),
        other => Err(format!(
            "{what}: initial metadata {ECHO_INITIAL} is {other:?}, expected {INITIAL_VALUE:?}"
        )),
    }
}

fn check_trailing(what: &str, metadata: &tonic::metadata::MetadataMap) -> Outcome {
    match metadata.get_bin(ECHO_TRAILING_BIN).map(|v| v.to_bytes()) {
        Some(Ok(bytes)) if bytes[..] == TRAILING_VALUE => Ok(()),
        other => Err(format!(
            "{what}: trailing metadata {ECHO_TRAILING_BIN} is {other:?}, expected 0xababab"
        )),
    }
}

pub(super) async fn custom_metadata<C: TestClient>(c: C) -> Outcome {
    // UnaryCall: tonic merges headers and trailers into one map, so the wire says which came where.
    let what = "UnaryCall";
    let wire = CallWire::default();
    let mut request = echo_request(what, large_request())?;
    request.extensions_mut().insert(wire.clone());
    let response = ok(what, c.clone().unary_call(request).await)?;
    check_initial(what, response.metadata())?;
    check_trailing(what, response.metadata())?;
    if !wire.headers().contains_key(ECHO_INITIAL) {
        return Err(format!(
            "{what}: {ECHO_INITIAL} came in the trailers, expected the headers"
        ));
    }
    if !wire.trailers().contains_key(ECHO_TRAILING_BIN) {
        return Err(format!(
            "{what}: {ECHO_TRAILING_BIN} came in the headers, expected the trailers"
        ));
    }

    let what = "FullDuplexCall";
    let message = StreamingOutputCallRequest {
        payload: Some(zeros(LARGE_REQUEST)),
        ..output_request(&[LARGE_RESPONSE])
    };
    let request = echo_request(what, stream_of(vec![message]))?;
    let response = ok(what, c.clone().full_duplex_call(request).await)?;
    check_initial(what, response.metadata())?;
    let mut responses = response.into_inner();
    let sizes = read_all(what, &mut responses).await?;
    if sizes != [LARGE_RESPONSE] {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected [{LARGE_RESPONSE}]"
        ));
    }
    match responses.trailers().await {
        Ok(Some(trailers)) => check_trailing(what, &trailers),
        Ok(None) => Err(format!("{what}: no trailers")),
        Err(status) => Err(format!(
            "{what}: reading the trailers failed with {}",
            show(&status)
        )),
    }
}

pub(super) async fn status_code_and_message<C: TestClient>(c: C) -> Outcome {
    let echo = || {
        Some(EchoStatus {
            code: 2,
            message: TEST_STATUS_MESSAGE.to_owned(),
        })
    };
    let unary = c
        .clone()
        .unary_call(Request::new(SimpleRequest {
            response_status: echo(),
            ..Default::default()
        }))
        .await;
    check_status("UnaryCall", unary, Code::Unknown, Some(TEST_STATUS_MESSAGE))?;

    let request = StreamingOutputCallRequest {
        response_status: echo(),
        ..Default::default()
    };
    let mut c = c;
    let duplex = async {
        let mut responses = c
            .full_duplex_call(Request::new(stream_of(vec![request])))
            .await?
            .into_inner();
        while responses.message().await?.is_some() {}
        Ok::<_, Status>(())
    };
    check_status(
        "FullDuplexCall",
        duplex.await,
        Code::Unknown,
        Some(TEST_STATUS_MESSAGE),
    )
}

pub(super) async fn special_status_message<C: TestClient>(mut c: C) -> Outcome {
    let echo = Some(EchoStatus {
        code: 2,
        message: SPECIAL_STATUS_MESSAGE.to_owned(),
    });
    let unary = c
        .unary_call(Request::new(SimpleRequest {
            response_status: echo,
            ..Default::default()
        }))
        .await;
    check_status(
        "UnaryCall",
        unary,
        Code::Unknown,
        Some(SPECIAL_STATUS_MESSAGE),
    )
}

pub(super) async fn unimplemented_method<C: TestClient>(mut c: C) -> Outcome {
    let result = c.unimplemented_call(Request::new(Empty {})).await;
    check_status(
        "TestService/UnimplementedCall",
        result,
        Code::Unimplemented,
        None,
    )
}

pub(super) async fn unimplemented_service<C: TestClient>(mut c: C) -> Outcome {
    let result = c.unimplemented_service_call(Request::new(Empty {})).await;
    check_status(
        "UnimplementedService/UnimplementedCall",
        result,
        Code::Unimplemented,
        None,
    )
}
