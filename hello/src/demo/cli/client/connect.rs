//! Reaching the server, and saying in one line why it could not be reached or did not answer.

use crate::demo::errors;
use crate::demo::service::hello_client::HelloClient;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use tonic::codec::CompressionEncoding;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Status};

/// How to reach the server.
#[derive(Debug, Clone)]
pub struct Target {
    /// `http://host:port` or `https://host:port`; several, comma-separated, to balance calls over the servers
    /// whose gRPC health says SERVING.
    pub addr: String,
    /// Limit on connecting and on each call; `None`: wait as long as it takes.
    pub timeout: Option<Duration>,
    /// PEM certificate(s) to trust for TLS, besides the system's roots.
    pub tls_ca: Option<PathBuf>,
    /// Name to check the server's certificate against, if not the host of `addr`.
    pub tls_domain: Option<String>,
    /// Ask for gzip-compressed replies and compress requests.
    pub gzip: bool,
}

/// Why the client stopped: one line, naming the address and the cause.
#[derive(Debug)]
pub enum CliError {
    /// Bad input (arguments, files): the message says what to write instead.
    Input(String),
    /// The server could not be reached.
    Connect {
        /// The address tried.
        addr: String,
        /// Why, in a few words.
        cause: String,
    },
    /// A call failed with a status.
    Call {
        /// The address called.
        addr: String,
        /// The method, `GetFeature` and the like.
        rpc: &'static str,
        /// The status, said plainly.
        cause: String,
    },
    /// Standard output is closed (e.g. piped into `head`): stop quietly.
    OutputClosed,
    /// Standard output failed otherwise.
    Output(std::io::Error),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) => f.write_str(m),
            CliError::Connect { addr, cause } => write!(f, "cannot connect to {addr}: {cause}"),
            CliError::Call { addr, rpc, cause } => write!(f, "{rpc} to {addr} failed: {cause}"),
            CliError::OutputClosed => f.write_str("standard output closed"),
            CliError::Output(e) => write!(f, "cannot write to standard output: {e}"),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::OutputClosed
        } else {
            CliError::Output(e)
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

/// The address with a scheme: `host:port` becomes `http://host:port` (`https://` when a CA is given).
pub fn with_scheme(addr: &str, tls: bool) -> String {
    if addr.contains("://") {
        addr.to_owned()
    } else if tls {
        format!("https://{addr}")
    } else {
        format!("http://{addr}")
    }
}

/// Describes a transport error by its causes, with "timed out" said plainly.
fn describe_connect_error(e: &tonic::transport::Error, timeout: Option<Duration>) -> String {
    let text = errors::chain(e);
    let text = text
        .strip_prefix("transport error: ")
        .unwrap_or(&text)
        .to_owned();
    if text.to_ascii_lowercase().contains("timed out")
        || text.to_ascii_lowercase().contains("timeout expired")
    {
        return match timeout {
            Some(t) => format!("timed out after {}", secs(t)),
            None => "timed out".to_owned(),
        };
    }
    text
}

impl Target {
    /// Connects, with TLS when the address is `https://` or a CA is given. With several addresses, balances
    /// calls over those whose health says SERVING (checked every 100 ms), connecting as calls need it.
    pub async fn connect(&self) -> Result<HelloClient<Channel>, CliError> {
        let addrs: Vec<&str> = self.addr.split(',').map(str::trim).collect();
        let channel = if let [addr] = addrs[..] {
            self.endpoint(addr)?
                .connect()
                .await
                .map_err(|e| self.connect_error(addr, describe_connect_error(&e, self.timeout)))?
        } else {
            let endpoints = addrs
                .iter()
                .map(|a| self.endpoint(a))
                .collect::<Result<Vec<_>, _>>()?;
            crate::transport::balanced_by_health(endpoints, Duration::from_millis(100))
        };
        let mut client = HelloClient::new(channel);
        if self.gzip {
            client = client
                .send_compressed(CompressionEncoding::Gzip)
                .accept_compressed(CompressionEncoding::Gzip);
        }
        Ok(client)
    }

    fn connect_error(&self, addr: &str, cause: String) -> CliError {
        CliError::Connect {
            addr: addr.to_owned(),
            cause,
        }
    }

    /// One server's endpoint, with the timeout and TLS settings.
    fn endpoint(&self, addr: &str) -> Result<Endpoint, CliError> {
        let mut endpoint = Endpoint::from_shared(addr.to_owned()).map_err(|e| {
            self.connect_error(
                addr,
                format!("not a valid address ({e}); write http://HOST:PORT"),
            )
        })?;
        if let Some(t) = self.timeout {
            endpoint = endpoint.connect_timeout(t).timeout(t);
        }
        if addr.starts_with("https://") || self.tls_ca.is_some() {
            let mut tls = ClientTlsConfig::new().with_native_roots();
            if let Some(path) = &self.tls_ca {
                let pem = std::fs::read(path).map_err(|e| {
                    CliError::Input(format!("cannot read --tls-ca {}: {e}", path.display()))
                })?;
                tls = tls.ca_certificate(Certificate::from_pem(pem));
            }
            if let Some(d) = &self.tls_domain {
                tls = tls.domain_name(d.clone());
            }
            endpoint = endpoint
                .tls_config(tls)
                .map_err(|e| self.connect_error(addr, describe_connect_error(&e, None)))?;
        }
        Ok(endpoint)
    }

    /// The error line for a failed call.
    pub fn call_error(&self, rpc: &'static str, status: Status) -> CliError {
        let timed_out = status.code() == Code::DeadlineExceeded
            || (status.code() == Code::Cancelled
                && status.message().eq_ignore_ascii_case("timeout expired"));
        let cause = if timed_out {
            match self.timeout {
                Some(t) => format!("timed out after {}", secs(t)),
                None => "timed out".to_owned(),
            }
        } else if status.code() == Code::Unavailable {
            // The transport failed under the call: the source says why (refused, reset, TLS...).
            let source = std::error::Error::source(&status).map(errors::chain);
            match source {
                Some(s) if !status.message().contains(&s) => {
                    format!("unavailable: {}: {s}", status.message())
                }
                _ => format!("unavailable: {}", status.message()),
            }
        } else {
            format!("{:?}: {}", status.code(), status.message())
        };
        CliError::Call {
            addr: self.addr.clone(),
            rpc,
            cause,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(
            with_scheme("127.0.0.1:50051", false),
            "http://127.0.0.1:50051"
        );
        assert_eq!(with_scheme("localhost:443", true), "https://localhost:443");
        assert_eq!(with_scheme("http://a:1", true), "http://a:1");
    }

    #[test]
    fn call_errors_name_the_address_and_cause() {
        let t = Target {
            addr: "http://h:1".into(),
            timeout: Some(Duration::from_millis(1500)),
            tls_ca: None,
            tls_domain: None,
            gzip: false,
        };
        let e = t.call_error(
            "GetFeature",
            Status::invalid_argument("point: latitude 91 is outside [-90, 90]"),
        );
        assert_eq!(
            e.to_string(),
            "GetFeature to http://h:1 failed: InvalidArgument: point: latitude 91 is outside [-90, 90]"
        );
        let e = t.call_error("ListFeatures", Status::cancelled("Timeout expired"));
        assert_eq!(
            e.to_string(),
            "ListFeatures to http://h:1 failed: timed out after 1.5s"
        );
    }
}
