//! `loadgen`: the benchmark's load generator (performance.md). Keeps `--connections` HTTP/1.1
//! keep-alive connections busy with one request (method, headers, body) for `--seconds` or
//! `--requests`, and prints one JSON line: requests, throughput, p50/p99 latency, statuses.
//!
//! wrk cannot send a body per scenario without Lua or count 304s apart; oha and goose bring a
//! large dependency tree to compile in CI. This is the small Rust client performance.md allows.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Parser, Debug)]
#[command(about = "HTTP/1.1 load generator for the Passerelle benchmark")]
struct Args {
    /// `http://host:port/path?query` (plain HTTP, the benchmark is on 127.0.0.1).
    #[arg(long)]
    url: String,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// How long to run.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Stop after this many requests in all (instead of, or before, `--seconds`).
    #[arg(long)]
    requests: Option<u64>,
    /// HTTP method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// A request header, `Name: value` (repeatable).
    #[arg(long = "header")]
    headers: Vec<String>,
    /// A JSON request body (sent with `Content-Type: application/json`).
    #[arg(long)]
    body: Option<String>,
    /// A file of JSON bodies, one per line: each request sends the next one, and the run stops
    /// when they are all sent (for writes that must not repeat, such as one enrolment per person).
    #[arg(long)]
    bodies: Option<std::path::PathBuf>,
    /// Each line of `--bodies` is `PATH<TAB>BODY`: the request goes to that path (on the
    /// `--url`'s host) instead of the URL's (for writes addressed by path, such as one mark per
    /// half-day and trainee).
    #[arg(long)]
    path_per_body: bool,
    /// Worker threads of the generator.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

struct Target {
    address: String,
    /// One request, or one per line of `--bodies` (each sent once).
    requests: Vec<Vec<u8>>,
    repeat: bool,
    next: std::sync::atomic::AtomicUsize,
}

impl Target {
    fn next_request(&self) -> Option<&[u8]> {
        if self.repeat {
            return self.requests.first().map(Vec::as_slice);
        }
        let index = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.requests.get(index).map(Vec::as_slice)
    }
}

fn target(args: &Args) -> Result<Target, String> {
    let address = authority(&args.url)?;
    match &args.bodies {
        None => Ok(Target {
            address,
            requests: vec![request(args, None, args.body.as_deref())?],
            repeat: true,
            next: Default::default(),
        }),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let requests = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|line| match line.split_once('\t') {
                    Some((path, body)) if args.path_per_body => {
                        request(args, Some(path), Some(body))
                    }
                    _ => request(args, None, Some(line)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Target {
                address,
                requests,
                repeat: false,
                next: Default::default(),
            })
        }
    }
}

fn authority(url: &str) -> Result<String, String> {
    let rest = url.strip_prefix("http://").ok_or("only http:// URLs")?;
    Ok(rest.split('/').next().unwrap_or(rest).to_owned())
}

fn request(args: &Args, path: Option<&str>, body: Option<&str>) -> Result<Vec<u8>, String> {
    let rest = args
        .url
        .strip_prefix("http://")
        .ok_or("only http:// URLs")?;
    let (authority, url_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = path.unwrap_or(url_path);
    let mut request = format!(
        "{} {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: passerelle-loadgen\r\n",
        args.method
    );
    for header in &args.headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    if body.is_some() {
        request.push_str("Content-Type: application/json\r\n");
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || args.method != "GET" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body);
    Ok(request.into_bytes())
}

/// What one connection measured.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    statuses: BTreeMap<u16, u64>,
    bytes: u64,
    errors: u64,
}

/// Reads one response; returns its status and body length.
async fn read_response(reader: &mut BufReader<TcpStream>) -> std::io::Result<(u16, u64)> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked) = (0u64, false);
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked") {
                chunked = true;
            }
        }
    }
    if !chunked {
        let mut body = (&mut *reader).take(length);
        tokio::io::copy(&mut body, &mut tokio::io::sink()).await?;
        return Ok((status, length));
    }
    let mut total = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let size = u64::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
            .map_err(std::io::Error::other)?;
        let mut chunk = (&mut *reader).take(size + 2);
        tokio::io::copy(&mut chunk, &mut tokio::io::sink()).await?;
        total += size;
        if size == 0 {
            return Ok((status, total));
        }
    }
}

async fn connection(
    target: std::sync::Arc<Target>,
    deadline: Instant,
    budget: std::sync::Arc<std::sync::atomic::AtomicI64>,
) -> Tally {
    let mut tally = Tally::default();
    'reconnect: while Instant::now() < deadline {
        let Ok(stream) = TcpStream::connect(&target.address).await else {
            tally.errors += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        while Instant::now() < deadline {
            if budget.fetch_sub(1, std::sync::atomic::Ordering::Relaxed) <= 0 {
                return tally;
            }
            let Some(request) = target.next_request() else {
                return tally;
            };
            let started = Instant::now();
            if reader.get_mut().write_all(request).await.is_err() {
                tally.errors += 1;
                continue 'reconnect;
            }
            match read_response(&mut reader).await {
                Ok((status, bytes)) => {
                    let micros = started.elapsed().as_micros();
                    tally
                        .latencies_us
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                    *tally.statuses.entry(status).or_default() += 1;
                    tally.bytes += bytes;
                }
                Err(_) => {
                    tally.errors += 1;
                    continue 'reconnect;
                }
            }
        }
    }
    tally
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    let target = std::sync::Arc::new(target(&args)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let budget = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(
        args.requests
            .map_or(i64::MAX, |r| i64::try_from(r).unwrap_or(i64::MAX)),
    ));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let tallies = runtime.block_on(async {
        let tasks: Vec<_> = (0..args.connections.max(1))
            .map(|_| tokio::spawn(connection(target.clone(), deadline, budget.clone())))
            .collect();
        let mut tallies = Vec::new();
        for task in tasks {
            tallies.push(task.await.unwrap_or_default());
        }
        tallies
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies: Vec<u32> = Vec::new();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let (mut bytes, mut errors) = (0, 0);
    for tally in tallies {
        latencies.extend(tally.latencies_us);
        for (status, n) in tally.statuses {
            *statuses.entry(status).or_default() += n;
        }
        bytes += tally.bytes;
        errors += tally.errors;
    }
    latencies.sort_unstable();
    let requests = latencies.len() as u64;
    let report = serde_json::json!({
        "requests": requests,
        "seconds": elapsed,
        "rps": requests as f64 / elapsed,
        "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0),
        "statuses": statuses.iter().map(|(s, n)| (s.to_string(), n)).collect::<BTreeMap<_, _>>(),
        "body_bytes": bytes,
        "errors": errors,
    });
    println!("{report}");
    Ok(())
}
