//! A real server on a loopback port over a real database (SQLite, and PostgreSQL when
//! configured), with a small organisation in it, and a blocking HTTP client.

use std::sync::Arc;

use copydesk_core::policy::EXAMPLE_POLICY;
use copydesk_core::Role;
use copydesk_server::{AppState, OpenService, ServerConfig};
use copydesk_service::{KitFolders, NewUser, Service, ServiceConfig};
use copydesk_store::test_support::{backends, TestBackend};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub base: String,
    pub backend: &'static str,
    pub svc: Service,
    runtime: Option<tokio::runtime::Runtime>,
    /// Ends the server gracefully (see [`TestServer::stop`]).
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<()>>,
    url: String,
    dir: tempfile::TempDir,
    _db: TestBackend,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// Runs `test` once per backend, each time against a fresh server.
pub fn each_backend(test: impl Fn(&mut TestServer)) {
    each_backend_with(ServerConfig::default, test);
}

/// [`each_backend`] with servers configured by `config`.
pub fn each_backend_with(config: impl Fn() -> ServerConfig, test: impl Fn(&mut TestServer)) {
    for backend in backends() {
        let mut server = TestServer::start(backend, config());
        test(&mut server);
    }
}

fn open_service(url: &str, kits: &std::path::Path) -> Result<Service, String> {
    let store = copydesk_store::open(url).map_err(|e| e.to_string())?;
    Ok(Service::new(
        store,
        Box::new(KitFolders::new(kits.to_path_buf())),
        ServiceConfig::default(),
    ))
}

/// The people of the test organisation: brand `acme` has one of each role, `globex` a
/// strategist-editor. Every one signs in with [`PASSWORD`].
pub const PEOPLE: &[(&str, &str, Role)] = &[
    ("alice", "acme", Role::Strategist),
    ("bob", "acme", Role::Editor),
    ("dana", "acme", Role::Editor),
    ("carol", "acme", Role::Compliance),
    ("lee", "acme", Role::BrandLead),
    ("pam", "acme", Role::PromptEngineer),
    ("ada", "acme", Role::Admin),
    ("gina", "globex", Role::Strategist),
];

impl TestServer {
    pub fn start(db: TestBackend, config: ServerConfig) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let kit = dir.path().join("brand");
        std::fs::create_dir_all(&kit).expect("kit folder");
        std::fs::write(kit.join("policy.toml"), EXAMPLE_POLICY).expect("policy");
        let mut svc = open_service(&db.url, dir.path()).expect("open service");
        svc.bootstrap("admin").expect("bootstrap");
        svc.password_set("admin", "admin", PASSWORD)
            .expect("admin password");
        svc.brand_add("admin", "acme", "Acme", "brand")
            .expect("acme");
        svc.brand_add("admin", "globex", "Globex", "brand")
            .expect("globex");
        for (name, brand, role) in PEOPLE {
            svc.user_create(
                "admin",
                &NewUser {
                    name,
                    display_name: "",
                    admin: false,
                    brand: Some(brand),
                    roles: &[*role],
                    password: Some(PASSWORD),
                },
            )
            .expect("add user");
        }
        let mut server = TestServer {
            base: String::new(),
            backend: db.name,
            svc,
            runtime: None,
            stop: None,
            served: None,
            url: db.url.clone(),
            dir,
            _db: db,
        };
        server.launch(config);
        server
    }

    /// Starts a server process's worth of state (pool, webhook sender) on the database.
    fn launch(&mut self, config: ServerConfig) {
        let url = self.url.clone();
        let kits = self.dir.path().to_path_buf();
        let opener: OpenService = Arc::new(move || open_service(&url, &kits));
        let state = AppState::new(opener, config).expect("state");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = runtime.spawn(async move {
            let stopped = async {
                let _ = stopped.await;
            };
            let _ = copydesk_server::serve_until(listener, state, stopped).await;
        });
        self.base = format!("http://{addr}");
        self.runtime = Some(runtime);
        self.stop = Some(stop);
        self.served = Some(served);
    }

    /// Shuts the server down as Ctrl-C would, waiting for it to finish.
    pub fn stop(&mut self) {
        if let (Some(stop), Some(served)) = (self.stop.take(), self.served.take()) {
            let _ = stop.send(());
            if let Some(rt) = &self.runtime {
                let _ = rt.block_on(served);
            }
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    /// Stops this server and starts a new one, configured by `config`, on the same database.
    pub fn restart(&mut self, config: ServerConfig) {
        self.stop();
        self.launch(config);
    }

    /// An API token for `user` in `brand` with `role`, made through the service.
    pub fn token(&mut self, user: &str, brand: &str, role: Role) -> Auth {
        let issued = self
            .svc
            .token_create(user, brand, role, "test")
            .expect("token");
        Auth::Bearer(issued.secret.expose().to_string())
    }

    /// A token for each person of [`PEOPLE`] in their own brand and role.
    pub fn token_of(&mut self, user: &str) -> Auth {
        let (_, brand, role) = PEOPLE
            .iter()
            .find(|(n, _, _)| *n == user)
            .expect("a known person");
        self.token(user, brand, *role)
    }

    pub fn call(&self, method: &str, path: &str, auth: &Auth, body: Option<&Value>) -> Reply {
        self.raw(method, path, auth, body.map(|b| b.to_string()))
    }

    pub fn raw(&self, method: &str, path: &str, auth: &Auth, body: Option<String>) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        match auth {
            Auth::None => {}
            Auth::Bearer(t) => req = req.header("Authorization", format!("Bearer {t}")),
            Auth::Session { cookie, csrf } => {
                req = req.header("Cookie", format!("copydesk_session={cookie}"));
                if let Some(csrf) = csrf {
                    req = req.header("X-CSRF-Token", csrf);
                }
            }
        }
        if body.is_some() {
            req = req.header("Content-Type", "application/json");
        }
        exchange(req.body(body.unwrap_or_default()).expect("request"), true)
    }

    /// Announces a body of `len` bytes and waits for the answer before sending any of it, as
    /// a client with `Expect: 100-continue` would. (Sending it all races the server, which
    /// answers 413 and closes before the upload ends.)
    pub fn announce_body(&self, path: &str, auth: &Auth, len: usize) -> Reply {
        self.post_over_tcp(path, auth, "application/json", Some(len), &[])
    }

    /// POSTs `body` as it is, bytes that need not be UTF-8 (which `raw` cannot send).
    pub fn post_bytes(&self, path: &str, auth: &Auth, content_type: &str, body: &[u8]) -> Reply {
        self.post_over_tcp(path, auth, content_type, Some(body.len()), body)
    }

    /// POSTs `body` in chunks without announcing its length, as `curl -T -` streams a pipe:
    /// only reading the body can tell it is too large.
    pub fn post_chunked(&self, path: &str, auth: &Auth, content_type: &str, body: &[u8]) -> Reply {
        self.post_over_tcp(path, auth, content_type, None, body)
    }

    /// A POST on a plain socket announcing `len` bytes and sending `body` (possibly fewer), or
    /// with no length sending `body` chunked.
    fn post_over_tcp(
        &self,
        path: &str,
        auth: &Auth,
        content_type: &str,
        len: Option<usize>,
        body: &[u8],
    ) -> Reply {
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        // a server that waits for the body instead of answering fails the test, not hangs it
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("a read timeout");
        let auth = match auth {
            Auth::Bearer(t) => format!("Authorization: Bearer {t}\r\n"),
            _ => String::new(),
        };
        let framing = match len {
            Some(len) => format!("Content-Length: {len}"),
            None => "Transfer-Encoding: chunked".to_string(),
        };
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: {content_type}\r\n{framing}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("send the head");
        // a server that refuses the body may answer and close before it is all sent, so a
        // failed write is not the test's verdict: the answer is
        let _ = match len {
            Some(_) => stream.write_all(body),
            None => body
                .chunks(64 * 1024)
                .try_for_each(|chunk| {
                    stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
                    stream.write_all(chunk)?;
                    stream.write_all(b"\r\n")
                })
                .and_then(|()| stream.write_all(b"0\r\n\r\n")),
        };
        let mut answer = Vec::new();
        // a reset after the answer arrived still leaves the answer read
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let text = answer
            .split_once("\r\n\r\n")
            .map_or("", |(_, body)| body)
            .to_string();
        Reply {
            status,
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
            headers: ureq::http::HeaderMap::new(),
        }
    }

    /// A browser's request to the web app: a GET (`form` none) or a form post, redirects
    /// not followed.
    pub fn browse(&self, path: &str, auth: &Auth, form: Option<&[(&str, &str)]>) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder().uri(&url);
        if let Auth::Session { cookie, .. } = auth {
            req = req.header("Cookie", format!("copydesk_session={cookie}"));
        }
        let body = match form {
            None => String::new(),
            Some(fields) => {
                req = req
                    .method("POST")
                    .header("Content-Type", "application/x-www-form-urlencoded");
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(fields)
                    .finish()
            }
        };
        exchange(req.body(body).expect("request"), false)
    }

    /// Signs in through the API.
    pub fn sign_in(&self, user: &str, password: &str) -> Reply {
        self.call(
            "POST",
            "/api/v1/session",
            &Auth::None,
            Some(&serde_json::json!({"user": user, "password": password})),
        )
    }
}

/// Sends a request and reads the whole answer; a JSON body is parsed, anything else kept as
/// text. `follow` follows redirects, as an API client would; a browser's page tests see them.
fn exchange(req: ureq::http::Request<String>, follow: bool) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(if follow { 10 } else { 0 })
        .build()
        .into();
    let mut response = agent.run(req).expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        json,
        text,
        headers,
    }
}

#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Bearer(String),
    Session {
        cookie: String,
        csrf: Option<String>,
    },
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub json: Value,
    pub text: String,
    pub headers: ureq::http::HeaderMap,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }

    /// The session cookie a sign-in set.
    pub fn session(&self) -> Auth {
        let cookie = self
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("copydesk_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string();
        Auth::Session {
            cookie,
            csrf: self.json["csrf_token"].as_str().map(str::to_string),
        }
    }
}

/// A brief complete enough to write from, as the API takes it.
pub fn brief_json() -> Value {
    serde_json::to_value(copydesk_core::brief::example()).expect("brief as JSON")
}

/// A brief in acme written by `author` over the API; returns its id.
pub fn acme_brief(server: &TestServer, author: &Auth) -> i64 {
    let brief = server.call(
        "POST",
        "/api/v1/briefs",
        author,
        Some(&json!({"brand": "acme", "brief": brief_json()})),
    );
    brief.json["id"].as_i64().expect("brief id")
}

/// Two approved blog posts of `brief` to test against each other: the control ("Payroll")
/// and a challenger that names the hours saved.
pub fn payroll_pair(server: &mut TestServer, brief: i64) -> (i64, i64) {
    let control = approved_asset(server, brief, "Payroll", "Payroll takes one day now.");
    let challenger = approved_asset(
        server,
        brief,
        "Payroll, hours",
        "Payroll takes four hours now, not three days.",
    );
    (control, challenger)
}

/// An asset written by bob and approved by whoever its review round needs.
pub fn approved_asset(server: &mut TestServer, brief: i64, title: &str, text: &str) -> i64 {
    let bob = server.token_of("bob");
    let asset = server.call(
        "POST",
        "/api/v1/assets",
        &bob,
        Some(&json!({"brief": brief, "title": title, "kind": "blog", "text": text})),
    );
    let id = asset.json["id"].as_i64().expect("asset id");
    let submitted = server.call("POST", &format!("/api/v1/assets/{id}/submit"), &bob, None);
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    for reviewer in ["dana", "carol", "lee"] {
        let who = server.token_of(reviewer);
        server.call(
            "POST",
            &format!("/api/v1/assets/{id}/decisions"),
            &who,
            Some(&json!({"decision": "approve", "proud": true})),
        );
    }
    let shown = server.call("GET", &format!("/api/v1/assets/{id}"), &bob, None);
    assert_eq!(shown.json["state"], "approved", "{}", shown.text);
    id
}

/// An experiment on two approved assets of `brief` (control and "hours"), started with
/// `per_variant` users per variant; returns its id and the challenger's asset.
pub fn running_experiment(server: &mut TestServer, brief: i64, per_variant: u64) -> (i64, i64) {
    use copydesk_core::experiment::{AnalysisMethod, ExperimentDesign, MetricType};
    use copydesk_core::{AssetId, Lever};
    use copydesk_service::Launch;

    let (control, challenger) = payroll_pair(server, brief);
    let design = ExperimentDesign {
        hypothesis: "Naming the hours saved will lift demo requests from finance leads".into(),
        lever: Some(Lever::ValueFraming),
        metric: "demo_requests".into(),
        metric_type: MetricType::Conversion,
        inverse: false,
    };
    let id = server
        .svc
        .experiment_new("alice", "acme", AssetId(control), &design)
        .expect("design");
    server
        .svc
        .experiment_variant_add("alice", id, "control", None, None)
        .expect("control");
    server
        .svc
        .experiment_variant_add(
            "alice",
            id,
            "hours",
            Some(AssetId(challenger)),
            Some(Lever::ValueFraming),
        )
        .expect("challenger");
    server
        .svc
        .experiment_start(
            "alice",
            id,
            &Launch::users(per_variant, AnalysisMethod::Fixed, 0.05),
        )
        .expect("start");
    (id.0, challenger)
}
