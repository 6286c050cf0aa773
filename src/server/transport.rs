//! The wire: `Content-Length` frames in, JSON-RPC messages to the service,
//! answers and the server's own messages out.
//!
//! This replaces tower-lsp's `Server`, which ends the session at the first
//! malformed frame (its framed reader stops after a decoder error) and runs
//! at most four handlers at once. Here a bad body is answered with a JSON-RPC
//! error and the loop reads on; a bad header is skipped up to the next
//! `Content-Length`; the input is never left unread because a handler is
//! slow. Every message is handed to the service and first polled before the
//! next one is read, so notifications take effect in the order they came.

use std::pin::Pin;

use futures::stream::FuturesUnordered;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter};
use tokio::sync::mpsc;
use tower_lsp::jsonrpc::{Error, Id, Request, Response};
use tower_lsp::ClientSocket;
use tower_service::Service;

use super::log;

/// The largest message body read (a `didOpen` of a document four times the
/// CLI's 64 MiB file limit fits). A bigger one is read past, never held, and
/// answered with an error.
pub const MAX_BODY: usize = 256 << 20;
/// The longest header line; anything longer is garbage.
const MAX_HEADER_LINE: usize = 8 << 10;

/// What the reader found next in the input.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    Body(Vec<u8>),
    /// Bytes that were not a message, skipped (the reason is logged).
    Skipped(String),
    /// A body over `MAX_BODY`, read past.
    TooLarge(usize),
    End,
}

enum State {
    Headers {
        len: Option<usize>,
    },
    /// Looking for the next `Content-Length` after a bad header.
    Resync,
    Body(usize),
    /// Reading past this many bytes of an oversized body.
    Discard(usize),
}

/// Reads frames from a byte stream. Cancel-safe: `next` keeps everything
/// it has read in `buf`, so dropping its future loses nothing.
pub(crate) struct FrameReader<R> {
    input: R,
    limit: usize,
    buf: Vec<u8>,
    state: State,
    eof: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub(crate) fn new(input: R) -> Self {
        FrameReader::with_limit(input, MAX_BODY)
    }

    fn with_limit(input: R, limit: usize) -> Self {
        FrameReader { input, limit, buf: Vec::with_capacity(64 << 10), state: State::Headers { len: None }, eof: false }
    }

    pub(crate) async fn next(&mut self) -> Frame {
        loop {
            if let Some(frame) = self.step() {
                return frame;
            }
            if self.eof {
                let left = std::mem::take(&mut self.buf);
                return match (&self.state, left.iter().all(u8::is_ascii_whitespace)) {
                    (State::Headers { len: None }, true) | (State::Resync, _) => Frame::End,
                    _ => {
                        self.state = State::Resync;
                        Frame::Skipped(format!("the input ended inside a message ({} bytes unread)", left.len()))
                    }
                };
            }
            self.buf.reserve(64 << 10);
            match self.input.read_buf(&mut self.buf).await {
                Ok(0) => self.eof = true,
                Ok(_) => {}
                Err(e) => {
                    log(format_args!("reading the input failed: {e}"));
                    self.eof = true;
                }
            }
        }
    }

    /// One step on what is buffered: a frame, or `None` for more input.
    fn step(&mut self) -> Option<Frame> {
        loop {
            match self.state {
                State::Headers { len } => {
                    let Some(nl) = self.buf.iter().position(|&b| b == b'\n') else {
                        if self.buf.len() > MAX_HEADER_LINE {
                            self.state = State::Resync;
                            return Some(Frame::Skipped("a header line longer than 8 KB".into()));
                        }
                        return None;
                    };
                    let line = &self.buf[..nl];
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if line.is_empty() {
                        self.buf.drain(..=nl);
                        match len {
                            // Blank lines between messages are harmless.
                            None => continue,
                            Some(n) if n > self.limit => {
                                self.state = State::Discard(n);
                                return Some(Frame::TooLarge(n));
                            }
                            Some(n) => self.state = State::Body(n),
                        }
                        continue;
                    }
                    match header(line) {
                        Ok(found) => {
                            self.buf.drain(..=nl);
                            if let Some(n) = found {
                                self.state = State::Headers { len: Some(n) };
                            }
                        }
                        Err(why) => {
                            // The next frame may start inside this line (after
                            // a body sent without its length).
                            self.buf.drain(..1);
                            self.state = State::Resync;
                            return Some(Frame::Skipped(why));
                        }
                    }
                }
                State::Resync => {
                    const KEY: &[u8] = b"Content-Length";
                    match self.buf.windows(KEY.len()).position(|w| w.eq_ignore_ascii_case(KEY)) {
                        Some(at) => {
                            self.buf.drain(..at);
                            self.state = State::Headers { len: None };
                        }
                        None => {
                            // Keep what could be the start of the key.
                            let keep = self.buf.len().min(KEY.len() - 1);
                            self.buf.drain(..self.buf.len() - keep);
                            return None;
                        }
                    }
                }
                State::Body(n) => {
                    if self.buf.len() < n {
                        self.buf.reserve(n - self.buf.len());
                        return None;
                    }
                    let rest = self.buf.split_off(n);
                    let body = std::mem::replace(&mut self.buf, rest);
                    self.state = State::Headers { len: None };
                    return Some(Frame::Body(body));
                }
                State::Discard(n) => {
                    let k = n.min(self.buf.len());
                    self.buf.drain(..k);
                    if k < n {
                        self.state = State::Discard(n - k);
                        return None;
                    }
                    self.state = State::Headers { len: None };
                }
            }
        }
    }
}

/// One header line: `Ok(Some(n))` for `Content-Length: n`, `Ok(None)` for
/// another header (`Content-Type` and the like are ignored), `Err` for a
/// line that is no header or a length that is no number.
fn header(line: &[u8]) -> Result<Option<usize>, String> {
    let shown = || String::from_utf8_lossy(&line[..line.len().min(80)]).into_owned();
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(format!("not a header: {:?}", shown()));
    };
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    // A header name is a token: the tail of a cut-off JSON body is not.
    if name.is_empty() || !name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!("not a header: {:?}", shown()));
    }
    if !name.eq_ignore_ascii_case(b"Content-Length") {
        return Ok(None);
    }
    match std::str::from_utf8(value).ok().and_then(|v| v.trim().parse::<usize>().ok()) {
        Some(n) => Ok(Some(n)),
        None => Err(format!("a Content-Length that is no length: {:?}", shown())),
    }
}

/// What a body held.
#[derive(Debug)]
pub(crate) enum Incoming {
    Request(Request),
    Response(Response),
    /// Not a JSON-RPC message: the error to answer with.
    Invalid(Response, String),
}

pub(crate) fn parse(body: &[u8]) -> Incoming {
    // Requests and notifications are nearly everything: read them straight
    // into their type (a 1 MB `didOpen` is not copied through a `Value`).
    // (tower-lsp's `Request` reads a response as a request with no method.)
    if let Ok(req) = serde_json::from_slice::<Request>(body) {
        if !req.method().is_empty() {
            return Incoming::Request(req);
        }
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Invalid(
                Response::from_error(Id::Null, Error::parse_error()),
                format!("invalid JSON: {e}"),
            )
        }
    };
    let id = value.get("id").and_then(|id| serde_json::from_value::<Id>(id.clone()).ok()).unwrap_or(Id::Null);
    let is_response = value.get("method").is_none() && (value.get("result").is_some() || value.get("error").is_some());
    if is_response {
        if let Ok(res) = serde_json::from_value::<Response>(value.clone()) {
            return Incoming::Response(res);
        }
    }
    let what = match &value {
        Value::Array(_) => "a batch (LSP sends none)",
        Value::Object(o) if o.get("jsonrpc").and_then(Value::as_str) != Some("2.0") => "no \"jsonrpc\": \"2.0\"",
        Value::Object(o) if o.get("method").is_some_and(|m| !m.is_string()) => "a method that is no string",
        Value::Object(_) => "neither a request, a notification nor a response",
        _ => "not an object",
    };
    Incoming::Invalid(Response::from_error(id, Error::invalid_request()), format!("invalid message: {what}"))
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn encode(msg: &impl serde::Serialize) -> Option<Vec<u8>> {
    match serde_json::to_vec(msg) {
        Ok(body) => Some(frame(&body)),
        Err(e) => {
            log(format_args!("cannot encode a message: {e}"));
            None
        }
    }
}

/// Writes frames in order, flushing whenever no more are waiting.
async fn write_out<O: AsyncWrite + Unpin>(output: O, mut rx: mpsc::UnboundedReceiver<Vec<u8>>) {
    let mut out = BufWriter::with_capacity(64 << 10, output);
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(bytes) = next {
            if let Err(e) = out.write_all(&bytes).await {
                log(format_args!("writing the output failed: {e}"));
                return;
            }
            next = rx.try_recv().ok();
        }
        if let Err(e) = out.flush().await {
            log(format_args!("writing the output failed: {e}"));
            return;
        }
    }
}

type Answer = Pin<Box<dyn std::future::Future<Output = Option<Response>> + Send>>;

/// Serves `service` over `input`/`output` until the input ends or the
/// service has exited.
pub async fn serve<I, O, S>(input: I, output: O, mut service: S, socket: ClientSocket)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin + Send + 'static,
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(write_out(output, rx));
    let (mut to_client, mut from_client) = socket.split();
    // The server's own requests and notifications (publishDiagnostics…).
    let forward = {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(req) = to_client.next().await {
                if let Some(bytes) = encode(&req) {
                    let _ = tx.send(bytes);
                }
            }
        })
    };
    let mut reader = FrameReader::new(input);
    let mut answers: FuturesUnordered<Answer> = FuturesUnordered::new();
    loop {
        tokio::select! {
            // Handlers first: a message just handed over is polled (and a
            // notification applied) before the next one is read.
            biased;
            Some(answer) = answers.next(), if !answers.is_empty() => {
                if let Some(bytes) = answer.as_ref().and_then(encode) {
                    let _ = tx.send(bytes);
                }
            }
            frame = reader.next() => match frame {
                Frame::End => break,
                Frame::Skipped(why) => log(format_args!("skipped input: {why}")),
                Frame::TooLarge(n) => {
                    log(format_args!("skipped a message of {n} bytes (the limit is {MAX_BODY})"));
                    let error = Error { message: format!("message of {n} bytes exceeds the limit of {MAX_BODY}").into(), ..Error::invalid_request() };
                    if let Some(bytes) = encode(&Response::from_error(Id::Null, error)) {
                        let _ = tx.send(bytes);
                    }
                }
                Frame::Body(body) => match parse(&body) {
                    Incoming::Request(req) => {
                        if let Err(e) = futures::future::poll_fn(|cx| service.poll_ready(cx)).await {
                            // The service has exited: nothing more to serve.
                            log(format_args!("{} after exit (ignored): {e}", req.method()));
                            break;
                        }
                        let call = service.call(req);
                        answers.push(Box::pin(async move {
                            match call.await {
                                Ok(answer) => answer,
                                Err(e) => {
                                    log(format_args!("{e}"));
                                    None
                                }
                            }
                        }));
                    }
                    Incoming::Response(res) => {
                        if from_client.send(res).await.is_err() {
                            log(format_args!("a response from the client after exit (ignored)"));
                        }
                    }
                    Incoming::Invalid(error, why) => {
                        log(format_args!("{why}"));
                        if let Some(bytes) = encode(&error) {
                            let _ = tx.send(bytes);
                        }
                    }
                },
            },
        }
    }
    // Answer what is still being worked on, then let the writer drain.
    while let Some(answer) = answers.next().await {
        if let Some(bytes) = answer.as_ref().and_then(encode) {
            let _ = tx.send(bytes);
        }
    }
    forward.abort();
    drop(tx);
    let _ = writer.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Frame> {
        let mut r = FrameReader::with_limit(input, 1000);
        let mut out = Vec::new();
        loop {
            match r.next().await {
                Frame::End => return out,
                f => out.push(f),
            }
        }
    }

    fn body(s: &str) -> Frame {
        Frame::Body(s.as_bytes().to_vec())
    }

    #[tokio::test]
    async fn reads_frames_and_skips_what_is_not_one() {
        let input = b"Content-Length: 2\r\n\r\n{}\
            Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 3\r\n\r\n[1]\
            \r\nthis is no header\r\nContent-Length: 2\r\n\r\nab\
            Content-Length: x\r\n\r\nzz Content-Length: 1\r\n\r\n5\
            \r\n\r\nContent-Length: 4\n\nnull";
        assert_eq!(
            frames(input).await,
            vec![
                body("{}"),
                body("[1]"),
                Frame::Skipped("not a header: \"this is no header\"".into()),
                body("ab"),
                Frame::Skipped("a Content-Length that is no length: \"Content-Length: x\"".into()),
                body("5"),
                body("null"),
            ]
        );
    }

    #[tokio::test]
    async fn a_body_without_its_length_is_skipped_up_to_the_next_frame() {
        let input = b"Content-Type: x\r\n\r\n{\"jsonrpc\":\"2.0\"}Content-Length: 2\r\n\r\n{}";
        assert_eq!(
            frames(input).await,
            vec![Frame::Skipped("not a header: \"{\\\"jsonrpc\\\":\\\"2.0\\\"}Content-Length: 2\"".into()), body("{}")]
        );
    }

    #[tokio::test]
    async fn a_missing_length_and_a_cut_message_are_skipped() {
        let input = b"Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}Content-Length: 9\r\n\r\n{}";
        let got = frames(input).await;
        assert_eq!(got[0], body("{}"), "a blank line with no length before it is read past");
        assert_eq!(got[1], Frame::Skipped("the input ended inside a message (2 bytes unread)".into()));
        assert_eq!(got.len(), 2);
    }

    #[tokio::test]
    async fn an_oversized_body_is_read_past() {
        let mut input = b"Content-Length: 100000\r\n\r\n".to_vec();
        input.resize(input.len() + 100_000, b'x');
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        assert_eq!(frames(&input).await, vec![Frame::TooLarge(100_000), body("{}")]);
    }

    #[test]
    fn bodies_are_classified() {
        let kind = |s: &str| match parse(s.as_bytes()) {
            Incoming::Request(r) => format!("request {}", r.method()),
            Incoming::Response(r) => format!("response {}", serde_json::to_value(&r).unwrap()["id"]),
            Incoming::Invalid(r, why) => {
                let r = serde_json::to_value(&r).unwrap();
                format!("invalid {} {} ({why})", r["id"], r["error"]["code"])
            }
        };
        assert_eq!(kind(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#), "request shutdown");
        assert_eq!(kind(r#"{"jsonrpc":"2.0","method":"exit"}"#), "request exit");
        assert_eq!(kind(r#"{"jsonrpc":"2.0","id":"a","result":null}"#), "response \"a\"");
        assert!(kind(r#"{"jsonrpc":"2.0","id":1,"method""#).starts_with("invalid null -32700 (invalid JSON"));
        assert_eq!(kind(r#"{"id":4,"method":"x"}"#), "invalid 4 -32600 (invalid message: no \"jsonrpc\": \"2.0\")");
        assert_eq!(
            kind(r#"{"jsonrpc":"2.0","id":5,"method":7}"#),
            "invalid 5 -32600 (invalid message: a method that is no string)"
        );
        assert_eq!(kind("[]"), "invalid null -32600 (invalid message: a batch (LSP sends none))");
        assert_eq!(kind("3"), "invalid null -32600 (invalid message: not an object)");
    }
}
