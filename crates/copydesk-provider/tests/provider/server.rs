//! A real HTTP/1.1 server on loopback that speaks the chat-completions protocol from a
//! script: each request gets the next scripted reply (the last one repeats), and every
//! request is recorded so tests can check what the client sent and how often.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;

/// One scripted reply.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A whole response, sent after `delay`.
    Whole {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
        delay: Duration,
    },
    /// A 200 `text/event-stream` written piece by piece, each after its delay; with
    /// `abort`, the connection is then dropped without ending the body.
    Stream {
        pieces: Vec<(Duration, String)>,
        abort: bool,
    },
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self::Whole {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn html(status: u16, body: &str) -> Self {
        Self::Whole {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Whole { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    pub fn after(mut self, wait: Duration) -> Self {
        if let Self::Whole { delay, .. } = &mut self {
            *delay = wait;
        }
        self
    }

    /// An SSE stream of `data:` events (each `\n\n`-terminated), `gap` apart.
    pub fn sse(events: &[String], gap: Duration) -> Self {
        Self::Stream {
            pieces: events
                .iter()
                .map(|e| (gap, format!("data: {e}\n\n")))
                .collect(),
            abort: false,
        }
    }

    /// Raw stream pieces, written as given.
    pub fn raw_stream(pieces: &[&str]) -> Self {
        Self::Stream {
            pieces: pieces
                .iter()
                .map(|p| (Duration::from_millis(5), p.to_string()))
                .collect(),
            abort: false,
        }
    }

    /// Drops the connection after the pieces, without ending the body.
    pub fn then_abort(mut self) -> Self {
        if let Self::Stream { abort, .. } = &mut self {
            *abort = true;
        }
        self
    }
}

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    last: Option<Reply>,
    recorded: Vec<Recorded>,
}

pub struct TestServer {
    addr: SocketAddr,
    script: Arc<Mutex<Script>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// Starts a server answering with `replies` in order (the last one repeats).
    pub fn start(replies: Vec<Reply>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let script = Arc::new(Mutex::new(Script {
            replies: replies.into(),
            ..Script::default()
        }));
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::clone(&script);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let app = Router::new().fallback(handle).with_state(state);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Self {
            addr,
            script,
            shutdown: Some(shutdown),
        }
    }

    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.script.lock().expect("script lock").recorded.clone()
    }

    pub fn request_count(&self) -> usize {
        self.script.lock().expect("script lock").recorded.len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

async fn handle(
    State(script): State<Arc<Mutex<Script>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = {
        let mut script = script.lock().expect("script lock");
        script.recorded.push(Recorded {
            method: method.to_string(),
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            headers: headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        v.to_str().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
            at: Instant::now(),
        });
        match script.replies.pop_front() {
            Some(reply) => {
                script.last = Some(reply.clone());
                reply
            }
            None => script
                .last
                .clone()
                .unwrap_or_else(|| Reply::json(500, r#"{"error":{"message":"no script"}}"#)),
        }
    };
    match reply {
        Reply::Whole {
            status,
            headers,
            body,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut response =
                Response::builder().status(StatusCode::from_u16(status).expect("valid status"));
            for (name, value) in headers {
                response = response.header(name, value);
            }
            response.body(Body::from(body)).expect("response")
        }
        Reply::Stream { pieces, abort } => {
            let steps = pieces
                .into_iter()
                .map(Some)
                .chain(abort.then_some(None))
                .collect::<Vec<_>>();
            let stream = futures_util::stream::unfold(steps.into_iter(), |mut steps| async move {
                match steps.next()? {
                    Some((gap, piece)) => {
                        tokio::time::sleep(gap).await;
                        Some((Ok::<_, std::io::Error>(Bytes::from(piece)), steps))
                    }
                    None => {
                        // Let the pieces before reach the socket: hyper drops buffered
                        // frames when the body fails.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Some((Err(std::io::Error::other("scripted abort")), steps))
                    }
                }
            });
            Response::builder()
                .status(StatusCode::OK)
                .header("content-type", "text/event-stream")
                .header("cache-control", "no-cache")
                .body(Body::from_stream(stream))
                .expect("response")
        }
    }
}

/// A stream chunk carrying a text delta.
pub fn delta(text: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "model": "served-model",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]
    })
    .to_string()
}

/// The first chunk servers send: the role, no text.
pub fn role_chunk() -> String {
    serde_json::json!({
        "model": "served-model",
        "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": null}]
    })
    .to_string()
}

/// The chunk that ends generation.
pub fn finish_chunk(reason: &str) -> String {
    serde_json::json!({
        "model": "served-model",
        "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]
    })
    .to_string()
}

/// The usage chunk sent when `stream_options.include_usage` is set.
pub fn usage_chunk(prompt: u64, completion: u64) -> String {
    serde_json::json!({
        "model": "served-model",
        "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    })
    .to_string()
}

/// A whole (non-streamed) completion.
pub fn completion_json(text: &str, prompt: u64, completion: u64) -> String {
    serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "served-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    })
    .to_string()
}
