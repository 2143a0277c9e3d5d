//! The `hello.Hello` server as a library function: [`serve`] a [`Config`] on a bound listener until told to stop.
//!
//! `hello-server` is a thin command line over this; tests call it directly on `127.0.0.1:0`.
#![deny(missing_docs)]

mod calllog;
mod killable;
mod reflection;
mod signal;

pub use calllog::CallLogLayer;
pub use signal::shutdown_signal;

use crate::demo::features::FeatureDb;
use crate::demo::notes::NoteLimits;
use crate::demo::route_guide::RouteGuide;
use crate::demo::service::hello_server::HelloServer;
use futures_util::StreamExt;
use futures_util::future::Either;
use killable::KillSwitch;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tonic::codec::CompressionEncoding;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

/// Default largest message accepted or sent, as gRPC's own default: 4 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 << 20;
/// Default HTTP/2 streams (calls) at once on one connection: the recommended set-up's.
pub const DEFAULT_MAX_CONCURRENT_STREAMS: u32 = crate::serving::MAX_CONCURRENT_STREAMS;
/// Default calls handled at once in the whole server before more are refused: the recommended set-up's.
pub const DEFAULT_MAX_CALLS_IN_FLIGHT: usize = crate::serving::MAX_CALLS_IN_FLIGHT;
/// Default time calls in flight get to finish after a shutdown request.
pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(10);

/// A certificate chain and its private key, both PEM.
#[derive(Clone)]
pub struct TlsIdentity {
    /// The certificate chain, leaf first.
    pub cert_pem: Vec<u8>,
    /// The leaf's private key.
    pub key_pem: Vec<u8>,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a private key, even in a debug dump.
        f.debug_struct("TlsIdentity")
            .field("cert_pem", &self.cert_pem.len())
            .finish_non_exhaustive()
    }
}

/// Everything the server needs besides its listener.
#[derive(Debug, Clone)]
pub struct Config {
    /// The places GetFeature, ListFeatures and RecordRoute know.
    pub features: FeatureDb,
    /// How many RouteChat notes are kept.
    pub notes: NoteLimits,
    /// Serve TLS (HTTP/2 over rustls) with this identity; plaintext HTTP/2 when `None`.
    pub tls: Option<TlsIdentity>,
    /// Largest message accepted or sent, in bytes (RESOURCE_EXHAUSTED beyond it).
    pub max_message_size: usize,
    /// HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: calls at once on one connection.
    pub max_concurrent_streams: u32,
    /// Calls handled at once in the whole server (health checks aside) before more are refused with
    /// RESOURCE_EXHAUSTED (see [`crate::serving`]).
    pub max_calls_in_flight: usize,
    /// Longest a call may take to produce its response headers (DEADLINE_EXCEEDED / CANCELLED beyond it);
    /// the client's own `grpc-timeout` applies too. `None`: no server-side limit.
    pub request_timeout: Option<Duration>,
    /// After a shutdown request, how long the server goes on serving as before, health reporting NOT_SERVING,
    /// so that load balancers stop sending it calls before its connections are told to go (GOAWAY).
    pub drain_delay: Duration,
    /// After the drain delay, how long calls in flight get to finish before connections are closed.
    pub grace_period: Duration,
    /// Serve gRPC server reflection (v1 and v1alpha) of `hello.Hello` and health, from the Rust definitions.
    pub reflection: bool,
    /// Browser origins that CORS lets call over gRPC-Web and Connect (`*`: any); none by default.
    pub cors_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            features: FeatureDb::default_db(),
            notes: NoteLimits::default(),
            tls: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            max_concurrent_streams: DEFAULT_MAX_CONCURRENT_STREAMS,
            max_calls_in_flight: DEFAULT_MAX_CALLS_IN_FLIGHT,
            request_timeout: None,
            drain_delay: Duration::ZERO,
            grace_period: DEFAULT_GRACE_PERIOD,
            reflection: true,
            cors_origins: Vec::new(),
        }
    }
}

/// Why the server could not start or stopped on an error.
#[derive(Debug)]
pub enum ServeError {
    /// The certificate or key could not be used.
    Tls(tonic::transport::Error),
    /// The transport failed.
    Transport(tonic::transport::Error),
    /// The reflection service could not be built from the descriptors.
    Reflection(String),
    /// gRPC-Web, Connect or their TLS could not be set up.
    Web(String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Tls(e) => {
                write!(
                    f,
                    "bad TLS certificate or key: {}",
                    crate::demo::errors::chain(e)
                )
            }
            ServeError::Transport(e) => {
                write!(f, "server failed: {}", crate::demo::errors::chain(e))
            }
            ServeError::Reflection(e) => write!(f, "cannot serve reflection: {e}"),
            ServeError::Web(e) => write!(f, "cannot serve gRPC-Web and Connect: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Checks that a certificate and key can serve TLS, before anything is bound or printed.
pub fn check_tls(id: &TlsIdentity) -> Result<(), ServeError> {
    let tls = ServerTlsConfig::new().identity(Identity::from_pem(&id.cert_pem, &id.key_pem));
    Server::builder()
        .tls_config(tls)
        .map(drop)
        .map_err(ServeError::Tls)
}

/// Serves `hello.Hello` (a [`RouteGuide`] over `config.features`), the gRPC health service and, unless
/// `config.reflection` is off, server reflection on `listener` until `shutdown` completes; then stops
/// accepting, gives calls in flight `config.grace_period` to finish, and returns.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    let guide = RouteGuide::new(config.features, config.notes);
    let hello = HelloServer::new(guide)
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(config.max_message_size)
        .max_encoding_message_size(config.max_message_size);

    let (reflection_v1, reflection_v1alpha) = if config.reflection {
        let (v1, v1alpha) = reflection::services().map_err(ServeError::Reflection)?;
        (Some(v1), Some(v1alpha))
    } else {
        (None, None)
    };

    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_serving::<HelloServer<RouteGuide>>().await;

    let settings = crate::serving::Settings {
        max_concurrent_streams: config.max_concurrent_streams,
        max_calls_per_connection: config.max_concurrent_streams as usize,
        max_calls_in_flight: config.max_calls_in_flight,
        ..Default::default()
    };
    // TLS whose ALPN offers http/1.1 beside h2 (tonic's own offers h2 alone).
    let tls = match &config.tls {
        Some(id) => Some(
            crate::web::tls::server_config(&id.cert_pem, &id.key_pem)
                .map_err(|e| ServeError::Web(e.to_string()))?,
        ),
        None => None,
    };
    // gRPC-Web, Connect and the page (crate::web), for browsers and curl, over HTTP/1.1 too.
    let web = crate::demo::web_page::layer(&config.cors_origins)
        .map_err(|e| ServeError::Web(e.to_string()))?;
    let routes = crate::serving::Routes::new()
        .add_service(health_service)
        .add_optional_service(reflection_v1)
        .add_optional_service(reflection_v1alpha)
        .add_service(hello);
    let service = tower::ServiceBuilder::new()
        .layer(crate::serving::AdmissionLayer::new(
            settings.max_calls_in_flight,
        ))
        .layer(web)
        .layer(CallLogLayer)
        .service(routes);
    let service = crate::serving::RequestTimeout::new(service, config.request_timeout);

    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        // Tell load balancers first, and keep serving while they notice, so that no call meets a closed door.
        health.set_not_serving::<HelloServer<RouteGuide>>().await;
        health
            .set_service_status("", tonic_health::ServingStatus::NotServing)
            .await;
        if !config.drain_delay.is_zero() {
            tracing::info!(
                "draining: health says NOT_SERVING; serving on for {:?}",
                config.drain_delay
            );
            tokio::time::sleep(config.drain_delay).await;
        }
        tracing::info!(
            "shutting down: GOAWAY, no new connections; calls in flight get {:?} to finish",
            config.grace_period
        );
        let _ = stopping_tx.send(());
    };
    // Connections are cut when the grace period is over (see killable.rs), so none outlives `serve`.
    let kill = Arc::new(KillSwitch::default());
    let switch = kill.clone();
    let incoming = TcpIncoming::from(listener)
        .with_nodelay(Some(true))
        .map(move |conn| conn.map(|io| switch.wrap(io)));
    let served = match tls {
        Some(tls) => Either::Left(crate::serving::serve(
            &settings,
            crate::web::tls::accept(incoming, tls),
            service,
            signal,
        )),
        None => Either::Right(crate::serving::serve(&settings, incoming, service, signal)),
    };
    tokio::pin!(served);
    let grace_over = async move {
        if stopping_rx.await.is_err() {
            // The server ended without a shutdown request: it is `served` that completes.
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(config.grace_period).await;
    };
    tokio::select! {
        () = &mut served => {}
        () = grace_over => {
            tracing::warn!("grace period over: cutting connections with calls still in flight");
            kill.cut();
            // The cut connections end at once; wait for the server to see them go.
            served.await;
        }
    }
    tracing::info!("stopped");
    Ok(())
}
