//! Language server benchmarks, with figures printed as median / p99 (run with
//! `cargo bench -p kql-lsp`):
//!
//! - keystroke: one incremental `didChange` on a 200-line query → its `publishDiagnostics`,
//!   in-process through the tower service (target: median < 2 ms, p99 < 5 ms);
//! - the same text analysed directly (`Analysis::new`), for comparison;
//! - completion on a 5,000-line document (target < 10 ms);
//! - resident memory of the real `kql lsp` process with 100 open 200-line documents
//!   (target < 50 MiB), and startup to the `initialize` answer (target < 20 ms). These two
//!   spawn the binary named by `KQL_BIN` (default `target/release/kql`) and are skipped when it
//!   does not exist: build it first with `cargo build --release -p kql-cli`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{at, TestClient};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A realistic 200-line hunting query: lets, filters, a chain of extends, a summarize.
fn query_200_lines(seed: usize) -> String {
    let mut q = String::new();
    q.push_str("let lookback = 7d;\nlet suspicious = dynamic([\"powershell.exe\", \"cmd.exe\", \"wscript.exe\"]);\n");
    q.push_str("DeviceProcessEvents\n| where Timestamp > ago(lookback)\n| where FileName in~ (suspicious)\n");
    let mut lines = 5;
    let mut i = 0;
    while lines < 196 {
        q.push_str(&match i % 4 {
            0 => format!("| extend c{i} = strlen(ProcessCommandLine) + {seed}\n"),
            1 => format!("| where c{} > {i}\n", i - 1),
            2 => format!(
                "| extend s{i} = strcat(AccountName, \"-\", tostring(c{}))\n",
                i - 2
            ),
            _ => format!(
                "| where ProcessCommandLine has \"token{i}\" or s{} startswith \"x\"\n",
                i - 1
            ),
        });
        i += 1;
        lines += 1;
    }
    q.push_str("| summarize Count = count(), First = min(Timestamp) by DeviceName, AccountName\n");
    q.push_str("| where Count > 5\n| top 100 by Count desc\n| project DeviceName, AccountName, Count, First\n");
    q
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(name: &str, mut samples: Vec<f64>) {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{name}: median {:.3} ms, p99 {:.3} ms, min {:.3} ms, max {:.3} ms ({} samples)",
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}

async fn keystroke() {
    let uri = "file:///bench/q200.kql";
    let text = query_200_lines(0);
    assert_eq!(text.lines().count(), 200);
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(uri, &text).await;
    c.diagnostics(uri, 1).await;
    // Line 100 is `| where cN > M`: type and delete one digit at its end, alternately.
    let line = 99;
    let end = text.lines().nth(line).unwrap().len() as u32;
    let mut samples = Vec::new();
    for v in 2..1002i64 {
        let change = if v % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end}}, "text": "7"})
        } else {
            json!({"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end + 1}}, "text": ""})
        };
        let params =
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [change]});
        let start = Instant::now();
        c.notify("textDocument/didChange", params).await;
        c.diagnostics(uri, v).await;
        if v > 100 {
            samples.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    summary(
        "keystroke didChange -> publishDiagnostics, 200-line query",
        samples,
    );
}

/// The same 200-line text analysed directly (parse, model, lint), without the server around it:
/// what a keystroke costs at the least.
fn analysis_only() {
    let text = query_200_lines(0);
    let config = kql_ide::IdeConfig::default();
    let samples = (0..300)
        .map(|_| {
            let start = Instant::now();
            let analysis = kql_ide::Analysis::new(&text, &config);
            std::hint::black_box(analysis.diagnostics().len());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    summary("kql_ide::Analysis::new alone, same 200-line query", samples);
}

async fn completion_5000_lines() {
    let uri = "file:///bench/q5000.kql";
    let blocks: Vec<String> = (0..25).map(query_200_lines).collect();
    let text = blocks.join(";\n");
    let lines = text.lines().count();
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(uri, &text).await;
    c.diagnostics(uri, 1).await;
    // Inside the last query's `| where Count > 5`, after `where `.
    let line = (lines - 3) as u32;
    let mut samples = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let list = c
            .request("textDocument/completion", at(uri, line, 8))
            .await
            .unwrap();
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(list["items"].as_array().is_some_and(|i| !i.is_empty()));
    }
    summary(&format!("completion in a {lines}-line document"), samples);
}

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = 0;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Spawns `bin lsp` and waits for its `initialize` answer.
fn spawn_initialized(bin: &str) -> (Child, ChildStdin, BufReader<ChildStdout>) {
    let mut child = Command::new(bin)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let init =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
    stdin.write_all(&frame(&init)).unwrap();
    stdin.flush().unwrap();
    while read_frame(&mut stdout).is_some_and(|m| m["id"] != 1) {}
    (child, stdin, stdout)
}

fn process_figures(bin: &str) {
    // Startup: spawn → initialize answered.
    let mut startup = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        let (mut child, _stdin, _stdout) = spawn_initialized(bin);
        startup.push(start.elapsed().as_secs_f64() * 1000.0);
        let _ = child.kill();
        let _ = child.wait();
    }
    summary(&format!("startup to initialize answered ({bin})"), startup);

    // Memory: 100 open 200-line documents, every one analysed and published.
    let (mut child, mut stdin, mut stdout) = spawn_initialized(bin);
    let initialized = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}});
    stdin.write_all(&frame(&initialized)).unwrap();
    let idle = rss_kib(child.id());
    // Read on another thread: the server's answers must not fill the pipe while we write.
    let reader = std::thread::spawn(move || {
        let mut published = std::collections::HashSet::new();
        while published.len() < 100 {
            let Some(m) = read_frame(&mut stdout) else {
                break;
            };
            if m["method"] == "textDocument/publishDiagnostics" {
                published.insert(m["params"]["uri"].as_str().unwrap_or_default().to_string());
            }
        }
        (published.len(), stdout)
    });
    for i in 0..100 {
        let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": format!("file:///bench/doc{i}.kql"), "languageId": "kql", "version": 1, "text": query_200_lines(i)}}});
        stdin.write_all(&frame(&open)).unwrap();
    }
    stdin.flush().unwrap();
    let (published, _stdout) = reader.join().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let rss = rss_kib(child.id());
    println!(
        "resident memory of `kql lsp` with {} open 200-line documents: {:.1} MiB (after initialize: {:.1} MiB)",
        published,
        rss as f64 / 1024.0,
        idle as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: keep it quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if quick {
        rt.block_on(async {
            let mut c = TestClient::start(TestClient::options()).await;
            c.open("file:///bench/q.kql", &query_200_lines(0)).await;
            c.diagnostics("file:///bench/q.kql", 1).await;
        });
        return;
    }
    if std::env::var_os("KQL_BENCH_PROCESS_ONLY").is_none() {
        analysis_only();
        rt.block_on(keystroke());
        rt.block_on(completion_5000_lines());
    }
    let bin = std::env::var("KQL_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/kql").to_string()
    });
    if std::path::Path::new(&bin).exists() {
        process_figures(&bin);
    } else {
        println!("skipped the process figures: no {bin} (cargo build --release -p kql-cli)");
    }
}
