//! Configuration: the `[[provider]]` table, validation through the constructor, the key's
//! environment variable, and Debug output.

use copydesk_provider::{ChatModel, Locality, OpenAiCompatible, ProviderConfig, ProviderError};

use crate::server::{completion_json, Reply, TestServer};
use crate::{complete, config_for, request, KEY};

#[derive(serde::Deserialize)]
struct File {
    provider: Vec<ProviderConfig>,
}

#[test]
fn a_provider_table_reads_with_defaults() {
    let file: File = toml::from_str(
        r#"
        [[provider]]
        name = "ollama"
        base_url = "http://127.0.0.1:11434/v1"
        model = "llama3.2"
        locality = "local"

        [[provider]]
        name = "openai"
        brands = ["acme"]
        base_url = "https://api.openai.com/v1"
        model = "gpt-4o-mini"
        embedding_model = "text-embedding-3-small"
        api_key_env = "OPENAI_API_KEY"
        locality = "external"
        temperature = 0.4
        stream = false
        price = { input_per_1k = 0.00015, output_per_1k = 0.0006 }
        extra_headers = { "OpenAI-Organization" = "org-1" }
        "#,
    )
    .expect("valid TOML");
    let [ollama, openai] = &file.provider[..] else {
        panic!("two providers");
    };
    let expected = ProviderConfig::new(
        "ollama",
        "http://127.0.0.1:11434/v1",
        "llama3.2",
        Locality::Local,
    );
    assert_eq!(ollama, &expected);
    assert_eq!(
        (
            ollama.timeout_secs,
            ollama.connect_timeout_secs,
            ollama.max_retries
        ),
        (120, 10, 3)
    );
    assert_eq!(
        (ollama.initial_backoff_ms, ollama.max_backoff_ms),
        (500, 20_000)
    );
    assert!(ollama.stream);
    assert_eq!(openai.locality, Locality::External);
    assert_eq!(openai.price.map(|p| p.output_per_1k), Some(0.0006));
    assert_eq!(openai.validate(), Ok(()));
    assert!(!openai.serves("globex"));
}

#[test]
fn unknown_fields_are_refused() {
    let result = toml::from_str::<File>(
        r#"
        [[provider]]
        name = "x"
        base_url = "http://h/v1"
        model = "m"
        locality = "local"
        api_key = "sk-oops"
        "#,
    );
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("unknown field `api_key`"), "{message}");
}

#[test]
fn the_constructor_validates_and_errors_name_the_field() {
    let mut config = ProviderConfig::new("p", "localhost:11434", "m", Locality::Local);
    let error = OpenAiCompatible::new(config.clone()).expect_err("invalid base_url");
    assert!(
        error
            .to_string()
            .starts_with("provider `p`: `base_url` must start with http:// or https://"),
        "{error}"
    );
    config.base_url = "http://localhost:11434/v1".into();
    config.temperature = Some(3.0);
    match OpenAiCompatible::new(config) {
        Err(ProviderError::Config(e)) => assert_eq!(e.field, "temperature"),
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn an_unset_key_variable_is_a_missing_key() {
    let env = "COPYDESK_PROVIDER_TEST_UNSET_KEY_4F1D";
    let mut config = ProviderConfig::new(
        "openai",
        "https://api.openai.com/v1",
        "m",
        Locality::External,
    );
    config.api_key_env = Some(env.into());
    let error = OpenAiCompatible::new(config).expect_err("the variable is not set");
    assert_eq!(
        error,
        ProviderError::MissingKey {
            provider: "openai".into(),
            env: env.into()
        }
    );
    assert!(error.to_string().contains(env));
}

#[test]
fn the_key_is_read_from_the_named_variable() {
    // Cargo sets CARGO_PKG_NAME for the test process: a variable that is surely set,
    // without changing the environment of a multi-threaded process.
    let expected = std::env::var("CARGO_PKG_NAME").expect("cargo sets CARGO_PKG_NAME");
    let server = TestServer::start(vec![Reply::json(200, completion_json("ok", 1, 1))]);
    let mut config = config_for(&server);
    config.api_key_env = Some("CARGO_PKG_NAME".into());
    let model = OpenAiCompatible::new(config).expect("client");
    let (result, _) = complete(&model, &request());
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {expected}").as_str())
    );
    assert!(!format!("{model:?}").contains(&expected));
}

#[test]
fn debug_output_redacts_the_key() {
    let mut config = ProviderConfig::new(
        "openai",
        "https://api.openai.com/v1",
        "gpt-4o-mini",
        Locality::External,
    );
    config.api_key_env = Some("OPENAI_API_KEY".into());
    let model = OpenAiCompatible::with_api_key(config, Some(KEY.into())).expect("client");
    let debug = format!("{model:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains(r#"api_key: Some("[redacted]")"#), "{debug}");
    assert!(debug.contains("gpt-4o-mini"), "{debug}");
    assert_eq!(model.locality(), Locality::External);
    assert_eq!(model.model(), "gpt-4o-mini");
}
