//! Unary cases: empty and large messages, compressed requests and responses.

use super::*;

pub(super) async fn empty_unary<C: TestClient>(mut c: C) -> Outcome {
    let response = ok("EmptyCall", c.empty_call(Request::new(Empty {})).await)?;
    if *response.get_ref() != (Empty {}) {
        return Err(format!(
            "EmptyCall: response {:?}, expected Empty",
            response.get_ref()
        ));
    }
    Ok(())
}

pub(super) async fn large_unary<C: TestClient>(mut c: C) -> Outcome {
    let response = ok(
        "UnaryCall",
        c.unary_call(Request::new(large_request())).await,
    )?;
    check_payload(
        "UnaryCall",
        response.get_ref().payload.as_ref(),
        LARGE_RESPONSE,
    )
}

pub(super) async fn client_compressed_unary<C: TestClient>(c: C) -> Outcome {
    let request = |expect| SimpleRequest {
        expect_compressed: Some(BoolValue { value: expect }),
        ..large_request()
    };
    let probe = c.clone().unary_call(Request::new(request(true))).await;
    check_status(
        "probe (uncompressed, expect_compressed=true)",
        probe,
        Code::InvalidArgument,
        None,
    )?;

    let what = "compressed request, expect_compressed=true";
    let response = ok(
        what,
        c.clone()
            .gzip_requests()
            .unary_call(Request::new(request(true)))
            .await,
    )?;
    check_payload(what, response.get_ref().payload.as_ref(), LARGE_RESPONSE)?;

    let what = "uncompressed request, expect_compressed=false";
    let response = ok(
        what,
        c.clone().unary_call(Request::new(request(false))).await,
    )?;
    check_payload(what, response.get_ref().payload.as_ref(), LARGE_RESPONSE)
}

pub(super) async fn server_compressed_unary<C: TestClient>(c: C) -> Outcome {
    for compressed in [true, false] {
        let what = format!("UnaryCall with response_compressed={compressed}");
        let wire = CallWire::default();
        let mut request = Request::new(SimpleRequest {
            response_compressed: Some(BoolValue { value: compressed }),
            ..large_request()
        });
        request.extensions_mut().insert(wire.clone());
        let response = ok(&what, c.clone().unary_call(request).await)?;
        check_payload(&what, response.get_ref().payload.as_ref(), LARGE_RESPONSE)?;
        let seen = wire.received();
        if seen != [compressed] {
            return Err(format!(
                "{what}: response messages came {}, expected {}",
                flags(&seen),
                flags(&[compressed])
            ));
        }
    }
    Ok(())
}
