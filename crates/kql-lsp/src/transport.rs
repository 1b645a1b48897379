//! A guard in front of the JSON-RPC reader: tower-lsp-server's framed reader stops for good at
//! the first message it cannot decode, which would end the server on one bad message. Every
//! frame from the client passes through [`sanitize`] first: well-formed JSON-RPC goes on
//! unchanged; anything else is replaced by a message the server answers or logs.
//!
//! - A body that is not JSON-RPC (bad JSON, not an object, no `method`/`result`/`error`) becomes
//!   the notification [`MALFORMED`], which the server logs (`window/logMessage`).
//! - An object with an `id` but neither `method` nor `result`/`error` becomes a request to
//!   [`INVALID_REQUEST`] with the same id, which the server answers with "invalid request".
//! - A header without a usable `Content-Length` is skipped up to the next blank line.

use serde_json::{json, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The notification that stands for a message that could not be read.
pub const MALFORMED: &str = "$/kql/malformedMessage";
/// The request that stands for a message with an id that is not a valid request.
pub const INVALID_REQUEST: &str = "$/kql/invalidRequest";

/// Bodies above this size are refused (and skipped) rather than buffered.
const MAX_BODY: usize = 256 << 20;

/// Copies LSP frames from `input` to `output`, replacing the ones that are not JSON-RPC.
/// Returns at the end of `input` (or when `output` is closed).
pub async fn sanitize<R, W>(mut input: R, mut output: W) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut line = String::new();
    loop {
        let mut length: Option<usize> = None;
        let mut any_header = false;
        loop {
            line.clear();
            if input.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                if any_header {
                    break;
                }
                continue;
            }
            any_header = true;
            if let Some((name, value)) = l.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok();
                }
            }
        }
        let body: Vec<u8> = match length {
            Some(n) if n <= MAX_BODY => {
                let mut body = vec![0; n];
                input.read_exact(&mut body).await?;
                match replace_if_invalid(&body) {
                    None => body,
                    Some(replacement) => replacement.into_bytes(),
                }
            }
            Some(n) => {
                let mut rest = (&mut input).take(n as u64);
                tokio::io::copy(&mut rest, &mut tokio::io::sink()).await?;
                malformed(&format!("a message of {n} bytes is too large")).into_bytes()
            }
            None => malformed("a message header without Content-Length").into_bytes(),
        };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        output.write_all(header.as_bytes()).await?;
        output.write_all(&body).await?;
        output.flush().await?;
    }
}

/// `None` when `body` is valid JSON-RPC (forward it as is), else the replacement body.
fn replace_if_invalid(body: &[u8]) -> Option<String> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(malformed(&format!("not JSON: {e}"))),
    };
    let Some(obj) = value.as_object() else {
        return Some(malformed("not a JSON object"));
    };
    let method_ok = obj.get("method").is_some_and(Value::is_string);
    let response_ok =
        obj.contains_key("id") && (obj.contains_key("result") || obj.contains_key("error"));
    if method_ok || response_ok {
        return None;
    }
    match obj.get("id") {
        Some(id) if id.is_number() || id.is_string() => {
            Some(json!({"jsonrpc": "2.0", "id": id, "method": INVALID_REQUEST}).to_string())
        }
        _ => Some(malformed(
            "neither a request, a notification nor a response",
        )),
    }
}

fn malformed(reason: &str) -> String {
    json!({"jsonrpc": "2.0", "method": MALFORMED, "params": {"reason": reason}}).to_string()
}
