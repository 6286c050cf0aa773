//! Repairs, at the JSON level, requests that real clients send correctly but
//! tower-lsp 0.20 / lsp-types 0.94 would misread, before they reach the
//! typed handlers:
//!
//! - The spec names the client capability `workspace.diagnostics`
//!   (`refreshSupport`); lsp-types reads `workspace.diagnostic`, so VS Code's
//!   declaration would be lost (astral-sh/ruff#15014). It is copied across.
//! - `shutdown` and `exit` take no parameters, and tower-lsp answers
//!   `"params": null` or `{}` (which some clients send) with an error, so a
//!   clean shutdown would fail. Their params are dropped.
//! - A serving loop only notices `exit` when the next message arrives or
//!   stdin closes, and editors keep stdin open while they wait for the
//!   process to end (Neovim even sends a second `shutdown`, after which the
//!   server would never end). `exit` is signalled here so the caller can stop
//!   serving at once.
//!
//! Nothing else is touched.

use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::Notify;
use tower_lsp::jsonrpc::Request;
use tower_service::Service;

/// A service wrapper that repairs requests, then delegates, and signals
/// `exited` when the client sends `exit`.
#[derive(Debug)]
pub struct Compat<S> {
    pub inner: S,
    pub exited: Arc<Notify>,
}

impl<S: Service<Request>> Service<Request> for Compat<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let exit = req.method() == "exit";
        let answer = self.inner.call(repair(req));
        if exit {
            // A stored permit: the waiter may start waiting after this.
            self.exited.notify_one();
        }
        answer
    }
}

fn repair(req: Request) -> Request {
    match req.method() {
        "initialize" | "shutdown" | "exit" => {}
        _ => return req,
    }
    let (method, id, params) = req.into_parts();
    let mut b = Request::build(method.clone());
    if let Some(id) = id {
        b = b.id(id);
    }
    match (method.as_ref(), params) {
        ("initialize", Some(mut p)) => {
            let ws = p.get_mut("capabilities").and_then(|c| c.get_mut("workspace")).and_then(|w| w.as_object_mut());
            if let Some(ws) = ws {
                if let (None, Some(d)) = (ws.get("diagnostic"), ws.get("diagnostics").cloned()) {
                    ws.insert("diagnostic".into(), d);
                }
            }
            b.params(p).finish()
        }
        ("initialize", None) => b.finish(),
        _ => b.finish(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    #[test]
    fn copies_the_spec_name_of_the_diagnostics_capability() {
        let caps = json!({"capabilities": {"workspace": {"diagnostics": {"refreshSupport": true}}}});
        let req = repair(Request::build("initialize").id(1).params(caps).finish());
        assert_eq!(req.params().unwrap()["capabilities"]["workspace"]["diagnostic"]["refreshSupport"], true);
        let none = json!({"capabilities": {}});
        let req = repair(Request::build("initialize").id(1).params(none.clone()).finish());
        assert_eq!(req.params(), Some(&none));
    }

    #[test]
    fn drops_the_params_of_shutdown_and_exit() {
        let req = repair(Request::build("shutdown").id(7).params(Value::Null).finish());
        assert_eq!(
            (req.method(), req.params(), req.id().map(ToString::to_string)),
            ("shutdown", None, Some("7".into()))
        );
        let req = repair(Request::build("exit").params(json!({})).finish());
        assert_eq!(req.params(), None);
        let other = Request::build("textDocument/hover").id(2).params(Value::Null).finish();
        assert_eq!(repair(other.clone()), other);
    }
}
