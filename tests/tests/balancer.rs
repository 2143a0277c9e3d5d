//! Many replicas (issue 13): three `hello-server` processes behind a real load balancer (HAProxy, with
//! docs/deploy/haproxy.cfg as it is shipped) and behind the client's own balancing
//! (`hello::transport::balanced_by_health`), while clients run all four kinds of call without pause.
//!
//! - Rolling restart: each replica in turn gets SIGTERM (it reports NOT_SERVING for its 1 s drain delay, sends
//!   GOAWAY, lets its calls finish, exits 0) and is started again on its port: zero failed calls.
//! - SIGKILL of one replica: the calls in flight on it fail (the figures say with what); a second later every
//!   call succeeds again.

mod real_peers;

use hello::demo::service::hello_client::HelloClient;
use hello::demo::{Point, Rectangle, RouteNote};
use hello::transport::{Channel, Endpoint};
use hello_tests::process;
use real_peers::Replica;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tonic::Code;

const REPLICA_ARGS: &[&str] = &["--drain-delay", "1", "--grace-period", "5"];

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn haproxy() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let script = process::repo_root().join("scripts/haproxy-env.sh");
        let done = process::run_within(
            "scripts/haproxy-env.sh",
            Command::new(&script),
            Duration::from_secs(600),
        );
        assert!(
            done.status.success(),
            "HAProxy could not be set up:\n{}",
            done.stderr
        );
        PathBuf::from(done.stdout.trim())
    })
}

/// HAProxy with docs/deploy/haproxy.cfg, listening on `lb`, balancing over `replicas`; killed when dropped.
struct Haproxy(Child);

impl Haproxy {
    fn start(lb: &str, replicas: &[String]) -> Haproxy {
        let child = Command::new(haproxy())
            .arg("-f")
            .arg(process::repo_root().join("docs/deploy/haproxy.cfg"))
            .arg("-db")
            .env("LB_ADDR", lb)
            .env("REPLICA_1", &replicas[0])
            .env("REPLICA_2", &replicas[1])
            .env("REPLICA_3", &replicas[2])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        Haproxy(child)
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A failed call: when, which kind, the status.
#[derive(Debug, Clone)]
struct Failure {
    at: Instant,
    kind: &'static str,
    code: Code,
    message: String,
}

/// Clients running the four kinds without pause until stopped.
struct Workload {
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicU64>,
    failures: Arc<Mutex<Vec<Failure>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

async fn one_call(
    c: &mut HelloClient<Channel>,
    kind: usize,
    n: u64,
) -> (&'static str, Result<(), tonic::Status>) {
    let place = move |i: u64| Point {
        latitude: 10.0 + (n % 1000) as f32 * 0.01,
        longitude: 20.0 + i as f32 * 0.01,
    };
    match kind {
        0 => ("GetFeature", c.get_feature(place(0)).await.map(drop)),
        1 => (
            "ListFeatures",
            async {
                let rect = Rectangle {
                    lo: Some(Point {
                        latitude: 30.0,
                        longitude: 110.0,
                    }),
                    hi: Some(Point {
                        latitude: 40.0,
                        longitude: 120.0,
                    }),
                };
                let mut s = c.list_features(rect).await?.into_inner();
                while s.message().await?.is_some() {}
                Ok(())
            }
            .await,
        ),
        2 => (
            "RecordRoute",
            c.record_route(hello::stream::iter((0..10).map(place)))
                .await
                .map(drop),
        ),
        _ => (
            "RouteChat",
            async {
                let notes = (0..5).map(move |i| RouteNote {
                    location: Some(place(i % 2)),
                    message: format!("{n}-{i}"),
                });
                let mut s = c.route_chat(hello::stream::iter(notes)).await?.into_inner();
                while s.message().await?.is_some() {}
                Ok(())
            }
            .await,
        ),
    }
}

impl Workload {
    fn start(channel: Channel) -> Workload {
        let stop = Arc::new(AtomicBool::new(false));
        let ok = Arc::new(AtomicU64::new(0));
        let failures = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for task in 0..8 {
            let mut client = HelloClient::new(channel.clone());
            let (stop, ok, failures) = (stop.clone(), ok.clone(), failures.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = task as u64;
                while !stop.load(Ordering::Relaxed) {
                    n += 8;
                    let call = one_call(&mut client, task % 4, n);
                    match tokio::time::timeout(Duration::from_secs(20), call).await {
                        Ok((_, Ok(()))) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((kind, Err(e))) => failures.lock().unwrap().push(Failure {
                            at: Instant::now(),
                            kind,
                            code: e.code(),
                            message: e.message().to_owned(),
                        }),
                        Err(_) => failures.lock().unwrap().push(Failure {
                            at: Instant::now(),
                            kind: "any",
                            code: Code::DeadlineExceeded,
                            message: "no answer in 20 s".into(),
                        }),
                    }
                }
            }));
        }
        Workload {
            stop,
            ok,
            failures,
            tasks,
        }
    }

    fn ok(&self) -> u64 {
        self.ok.load(Ordering::Relaxed)
    }

    fn failures(&self) -> Vec<Failure> {
        self.failures.lock().unwrap().clone()
    }

    async fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
    }
}

/// Three replicas on ports of their own, which a restart keeps.
fn replicas() -> (Vec<String>, Vec<Replica>) {
    let addrs: Vec<String> = (0..3)
        .map(|_| format!("127.0.0.1:{}", free_port()))
        .collect();
    let replicas = addrs
        .iter()
        .map(|a| Replica::start(a, REPLICA_ARGS))
        .collect();
    (addrs, replicas)
}

/// SIGTERM to each replica in turn, waiting for it to exit 0 and starting it again on its port.
async fn rolling_restart(addrs: &[String], replicas: &mut [Replica]) {
    for (i, addr) in addrs.iter().enumerate() {
        replicas[i].signal("TERM");
        let code = tokio::task::block_in_place(|| replicas[i].wait(Duration::from_secs(20)));
        assert_eq!(
            code,
            Some(0),
            "replica {i} exit; stderr:\n{}",
            replicas[i].stderr()
        );
        replicas[i] = Replica::start(addr, REPLICA_ARGS);
        // Back in rotation after two good health checks.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
}

/// SIGKILL of replica 0 while the workload runs; returns the failures it caused, checking that none come more
/// than a second after the kill, and starts it again.
/// Runs all four kinds through `channel` while each replica in turn restarts (no call may fail), then kills one
/// (only calls in flight on it may fail), printing the figures under `label`.
async fn restart_then_kill(
    label: &str,
    channel: Channel,
    addrs: &[String],
    replicas: &mut [Replica],
) {
    let work = Workload::start(channel);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let started = Instant::now();
    rolling_restart(addrs, replicas).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (ok, failed) = (work.ok(), work.failures());
    println!(
        "{label}, rolling restart of 3 replicas ({:.1} s): {ok} calls ok, {} failed {}",
        started.elapsed().as_secs_f64(),
        failed.len(),
        summary(&failed)
    );
    assert!(
        failed.is_empty(),
        "calls failed during the rolling restart: {}",
        summary(&failed)
    );
    assert!(ok > 100, "only {ok} calls in the rolling restart");

    let killed = kill_one(addrs, replicas, &work).await;
    println!(
        "{label}, SIGKILL of one replica: {} calls failed ({}), none later than 1 s after the kill; {} ok in all",
        killed.len(),
        summary(&killed),
        work.ok()
    );
    work.stop().await;
}

async fn kill_one(addrs: &[String], replicas: &mut [Replica], work: &Workload) -> Vec<Failure> {
    let before = work.failures().len();
    let killed_at = Instant::now();
    replicas[0].signal("KILL");
    tokio::task::block_in_place(|| replicas[0].wait(Duration::from_secs(10)));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let failures: Vec<Failure> = work.failures()[before..].to_vec();
    let late: Vec<_> = failures
        .iter()
        .filter(|f| f.at.duration_since(killed_at) > Duration::from_secs(1))
        .collect();
    assert!(
        late.is_empty(),
        "calls still failing a second after the kill: {late:?}"
    );
    replicas[0] = Replica::start(&addrs[0], REPLICA_ARGS);
    failures
}

fn summary(failures: &[Failure]) -> String {
    let mut codes: Vec<String> = failures
        .iter()
        .map(|f| format!("{} {:?}: {}", f.kind, f.code, f.message))
        .collect();
    codes.sort();
    codes.dedup();
    codes.join("; ")
}

async fn ready(channel: &Channel) {
    let until = Instant::now() + Duration::from_secs(20);
    let mut c = HelloClient::new(channel.clone());
    while c
        .get_feature(Point {
            latitude: 1.0,
            longitude: 1.0,
        })
        .await
        .is_err()
    {
        assert!(Instant::now() < until, "not serving after 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn haproxy_rolling_restart_fails_no_call_and_a_kill_only_calls_in_flight() {
    let (addrs, mut replicas) = replicas();
    let lb = format!("127.0.0.1:{}", free_port());
    let _haproxy = Haproxy::start(&lb, &addrs);
    let channel = Endpoint::from_shared(format!("http://{lb}"))
        .unwrap()
        .connect_lazy();
    ready(&channel).await;
    restart_then_kill("haproxy", channel, &addrs, &mut replicas).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_side_balancing_by_health_fails_no_call_in_a_rolling_restart() {
    let (addrs, mut replicas) = replicas();
    let endpoints = addrs
        .iter()
        .map(|a| Endpoint::from_shared(format!("http://{a}")).unwrap());
    let channel = hello::transport::balanced_by_health(endpoints, Duration::from_millis(100));
    ready(&channel).await;
    restart_then_kill("client-side balancing", channel, &addrs, &mut replicas).await;

    // hello-client with the three addresses, one of them down: its four calls succeed.
    replicas[1].signal("KILL");
    let mut cmd = Command::new(hello_tests::bins::hello_bin("hello-client"));
    cmd.arg("--addr").arg(addrs.join(","));
    let done = tokio::task::block_in_place(|| process::run("hello-client --addr a,b,c", cmd));
    assert!(
        done.status.success(),
        "hello-client over three addresses:\n{}\n{}",
        done.stdout,
        done.stderr
    );
}
