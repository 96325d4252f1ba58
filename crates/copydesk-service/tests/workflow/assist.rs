//! AI assistance in the workflow: refusal on an incomplete brief, the personal-data policy,
//! collaboration models, provenance, prompt activation — against a real OpenAI-compatible
//! server on loopback (the provider suite's), on every backend.

#[path = "../../../copydesk-provider/tests/provider/server.rs"]
#[allow(dead_code)]
mod server;

use std::sync::Arc;
use std::time::Duration;

use copydesk_assist::prompt::PromptTask;
use copydesk_core::brief::BriefContent;
use copydesk_core::provenance::AssistantLabel;
use copydesk_core::{
    AssetState, BriefId, CollaborationModel, DraftTask, Lever, Reach, SourceKind, Tier,
};
use copydesk_provider::{Cancel, Locality, OpenAiCompatible, Price, ProviderConfig};
use copydesk_service::{DraftRequest, ErrorKind, ProviderEntry, Saved, ServiceError};

use crate::world::{default_policy, each_backend, World};
use server::{completion_json, delta, role_chunk, Reply, TestServer};

fn provider(server: &TestServer, locality: Locality) -> ProviderEntry {
    let mut config = ProviderConfig::new("loopback", server.base_url(), "test-model", locality);
    config.stream = false;
    config.max_retries = 1;
    config.initial_backoff_ms = 10;
    config.timeout_secs = 5;
    config.price = Some(Price {
        input_per_1k: 0.5,
        output_per_1k: 1.5,
    });
    let model = OpenAiCompatible::with_api_key(config, Some("sk-test".into())).expect("client");
    ProviderEntry {
        brands: vec!["acme".into()],
        model: Arc::new(model),
    }
}

fn with_model(world: &mut World, entry: ProviderEntry) {
    let fresh = world.another_service();
    let svc = std::mem::replace(&mut world.svc, fresh);
    world.svc = svc.with_providers(vec![entry]);
}

fn complete_brief(world: &mut World, model: CollaborationModel) -> BriefId {
    let brief = world.brief(Reach::Owned, &[]);
    if model != CollaborationModel::Producer {
        edit_brief(world, brief, |c| c.collaboration_model = Some(model));
    }
    world
        .svc
        .source_add(
            "alice",
            brief,
            SourceKind::Interview,
            "interview with Ana, 2026-10-02",
            "Month-end payroll took us three days. We thought automation needed consultants.",
        )
        .expect("source");
    brief
}

/// Changes brief `brief` as `change` says and saves it as a new version (as alice).
fn edit_brief(world: &mut World, brief: BriefId, change: impl FnOnce(&mut BriefContent)) {
    let mut content = world
        .svc
        .brief_show("alice", brief, None)
        .expect("brief")
        .brief
        .content;
    change(&mut content);
    world
        .svc
        .brief_edit("alice", brief, &content)
        .expect("edit");
}

fn draft(
    world: &mut World,
    brief: BriefId,
) -> Result<copydesk_service::AssistOutcome, ServiceError> {
    let request = DraftRequest {
        task: Some(DraftTask::Draft),
        ..DraftRequest::new(brief)
    };
    world
        .svc
        .draft("alice", &request, &mut |_| {}, &Cancel::new())
}

#[test]
fn a_model_draft_is_saved_with_its_provenance_and_checked() {
    each_backend(default_policy(), |w| {
        let server = TestServer::start(vec![Reply::json(
            200,
            completion_json("Month-end payroll now takes one day, says the 2026 usage report. It is a game-changer.", 700, 40),
        )]);
        with_model(w, provider(&server, Locality::Local));
        let brief = complete_brief(w, CollaborationModel::Producer);
        let out = draft(w, brief).expect("drafted");
        let Saved::Version {
            asset,
            version,
            state,
            findings,
        } = out.saved
        else {
            panic!("{}: producer output must be a version", w.name());
        };
        assert_eq!((version, state), (1, AssetState::Draft));
        assert!(
            findings.warning + findings.info > 0,
            "guardrails ran: {findings:?}"
        );
        let saved = w
            .svc
            .version_show("alice", asset, Some(1))
            .expect("version");
        let p = saved.provenance.expect("provenance stored");
        assert_eq!(p.assistant, AssistantLabel::Online);
        assert_eq!(
            (p.provider.as_str(), p.model.as_str()),
            ("loopback", "served-model")
        );
        assert_eq!((p.input_tokens, p.output_tokens), (700, 40));
        assert_eq!(p.cost, Some(0.35 + 0.06));
        assert_eq!(
            p.template.as_ref().map(|t| t.version.as_str()),
            Some("builtin-1")
        );
        assert_eq!(p.brief_version, 1);
        assert_eq!(p.sources.len(), 1);
        assert!(p.sources[0].starts_with('S'));
        // the request carried the brief and the source, cited by id
        let sent = server.requests()[0].body.to_string();
        assert!(
            sent.contains("month-end payroll takes three days"),
            "{sent}"
        );
        assert!(sent.contains(&format!("[{}]", p.sources[0])));
    });
}

#[test]
fn an_incomplete_brief_is_refused_before_anything_is_sent() {
    each_backend(default_policy(), |w| {
        let server = TestServer::start(vec![]);
        with_model(w, provider(&server, Locality::External));
        let brief = w.brief(Reach::Owned, &[]);
        edit_brief(w, brief, |c| c.audience = "everyone".into());
        let err = draft(w, brief).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
        let message = err.to_string();
        assert!(message.contains("audience"), "{message}");
        assert_eq!(server.request_count(), 0);
    });
}

#[test]
fn personal_data_is_blocked_for_external_providers_and_redacted_when_policy_says() {
    let redact = default_policy().replace("external_pii = \"block\"", "external_pii = \"redact\"");
    for (policy, blocks) in [(default_policy().to_string(), true), (redact, false)] {
        each_backend(&policy, |w| {
            let server =
                TestServer::start(vec![Reply::json(200, completion_json("A draft.", 10, 2))]);
            with_model(w, provider(&server, Locality::External));
            let brief = complete_brief(w, CollaborationModel::Producer);
            w.svc
                .source_add(
                    "alice",
                    brief,
                    SourceKind::SupportTicket,
                    "ticket 4411",
                    "Call me on +44 20 7946 0958 or ana.lopez@example.com.",
                )
                .expect("source");
            let result = draft(w, brief);
            if blocks {
                let err = result.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Refused);
                let text = err.to_string();
                assert!(
                    text.contains("personal data") && text.contains("e-mail"),
                    "{text}"
                );
                assert!(
                    !text.contains("ana.lopez"),
                    "the refusal must not repeat the value"
                );
                assert_eq!(server.request_count(), 0, "nothing leaves");
            } else {
                let out = result.expect("sent redacted");
                assert_eq!(out.provenance.redacted, 2);
                let body = server.requests()[0].body.to_string();
                assert!(
                    !body.contains("ana.lopez") && !body.contains("7946 0958"),
                    "{body}"
                );
                assert!(body.contains("redacted]"));
            }
        });
    }
}

#[test]
fn a_local_provider_may_receive_personal_data() {
    each_backend(default_policy(), |w| {
        let server = TestServer::start(vec![Reply::json(200, completion_json("A draft.", 10, 2))]);
        with_model(w, provider(&server, Locality::Local));
        let brief = complete_brief(w, CollaborationModel::Producer);
        w.svc
            .source_add(
                "alice",
                brief,
                SourceKind::SupportTicket,
                "ticket",
                "Write to ana.lopez@example.com about payroll.",
            )
            .expect("source");
        draft(w, brief).expect("local providers are trusted by policy");
        assert!(server.requests()[0]
            .body
            .to_string()
            .contains("ana.lopez@example.com"));
    });
}

#[test]
fn provider_failures_save_nothing() {
    each_backend(default_policy(), |w| {
        let server = TestServer::start(vec![
            Reply::json(500, r#"{"error":{"message":"overloaded"}}"#),
            Reply::json(500, r#"{"error":{"message":"overloaded"}}"#),
            Reply::json(200, "{\"choices\": ["),
        ]);
        with_model(w, provider(&server, Locality::Local));
        let brief = complete_brief(w, CollaborationModel::Producer);
        let before = w
            .svc
            .asset_list("alice", "acme", None, None, 100)
            .expect("list")
            .len();
        let err = draft(w, brief).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Provider, "{err}");
        let err = draft(w, brief).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Provider, "malformed JSON: {err}");
        assert_eq!(
            w.svc
                .asset_list("alice", "acme", None, None, 100)
                .expect("list")
                .len(),
            before
        );
    });
}

#[test]
fn a_stream_cut_off_midway_saves_nothing() {
    each_backend(default_policy(), |w| {
        let server = TestServer::start(vec![Reply::sse(
            &[role_chunk(), delta("Month-end "), delta("payroll")],
            Duration::from_millis(5),
        )
        .then_abort()]);
        let mut config =
            ProviderConfig::new("loopback", server.base_url(), "test-model", Locality::Local);
        config.max_retries = 0;
        config.stream = true;
        let model = OpenAiCompatible::with_api_key(config, None).expect("client");
        with_model(
            w,
            ProviderEntry {
                brands: vec!["acme".into()],
                model: Arc::new(model),
            },
        );
        let brief = complete_brief(w, CollaborationModel::Producer);
        let mut shown = String::new();
        let request = DraftRequest::new(brief);
        let err = w
            .svc
            .draft(
                "alice",
                &request,
                &mut |d| shown.push_str(d),
                &Cancel::new(),
            )
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Provider);
        assert_eq!(shown, "Month-end payroll");
        assert!(w
            .svc
            .asset_list("alice", "acme", None, None, 100)
            .expect("list")
            .is_empty());
    });
}

#[test]
fn advisor_output_is_a_note_on_the_brief_not_a_version() {
    each_backend(default_policy(), |w| {
        let brief = complete_brief(w, CollaborationModel::Advisor);
        let request = DraftRequest {
            task: Some(DraftTask::Outline),
            ..DraftRequest::new(brief)
        };
        let out = w
            .svc
            .draft("alice", &request, &mut |_| {}, &Cancel::new())
            .expect("outline");
        assert!(matches!(out.saved, Saved::BriefNote { .. }));
        assert_eq!(out.provenance.assistant, AssistantLabel::Offline);
        assert!(w
            .svc
            .asset_list("alice", "acme", None, None, 100)
            .expect("list")
            .is_empty());
        let notes = w.svc.brief_notes("bob", brief).expect("notes");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].body.contains("## The problem"));
        assert_eq!(notes[0].provenance.provider, "copydesk");
    });
}

#[test]
fn agent_output_needs_an_eligible_kind_and_clean_guardrails_to_be_auto_approved() {
    // agent work weighs nothing here, so a social post scores 10: the spot-check tier
    let policy = default_policy().replace("agent = 20", "agent = 0");
    assert_ne!(policy, default_policy());
    each_backend(&policy, |w| {
        let server = TestServer::start(vec![
            Reply::json(
                200,
                completion_json(
                    "Our payroll team answers your questions the same day.",
                    10,
                    9,
                ),
            ),
            Reply::json(
                200,
                completion_json("Guaranteed results for every payroll team.", 10, 7),
            ),
        ]);
        with_model(w, provider(&server, Locality::Local));
        let brief = complete_brief(w, CollaborationModel::Agent);
        // a blog post is not agent-eligible in the example policy
        let err = draft(w, brief).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused);
        assert!(err.to_string().contains("agent_kinds"), "{err}");
        assert_eq!(
            server.request_count(),
            0,
            "refused before the model is called"
        );
        // a social post is
        edit_brief(w, brief, |c| {
            c.reach = Some(Reach::Internal);
            c.channel = "social".into();
        });

        let clean = draft(w, brief).expect("agent draft");
        let Saved::Version {
            findings, state, ..
        } = clean.saved
        else {
            panic!("agent output is a version");
        };
        assert_eq!(findings.error + findings.warning, 0, "{findings:?}");
        let review = clean.review.expect("agent output is submitted");
        assert_eq!(review.routing.tier, Tier::SpotCheck);
        assert_eq!(
            state,
            AssetState::Approved,
            "{}: clean spot-check work is auto-approved",
            w.name()
        );
        assert!(
            review.sample.is_some(),
            "and drawn for the audit sample like any spot-check"
        );

        let warned = draft(w, brief).expect("agent draft");
        let Saved::Version {
            findings, state, ..
        } = warned.saved
        else {
            panic!("agent output is a version");
        };
        assert_eq!(findings.warning, 1, "{findings:?}");
        let review = warned.review.expect("agent output is submitted");
        assert!(
            review.routing.score < 20,
            "the score alone would spot-check it: {}",
            review.routing.score
        );
        assert_eq!(
            review.routing.tier,
            Tier::Single,
            "a warning escalates it to a review"
        );
        assert_eq!(state, AssetState::InReview, "{}", w.name());
    });
}

#[test]
fn variants_need_a_lever_and_a_hypothesis() {
    each_backend(default_policy(), |w| {
        let brief = complete_brief(w, CollaborationModel::Producer);
        let request = DraftRequest {
            task: Some(DraftTask::Variants),
            lever: Some(Lever::Urgency),
            ..DraftRequest::new(brief)
        };
        let err = w
            .svc
            .draft("alice", &request, &mut |_| {}, &Cancel::new())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(err.to_string().contains("hypothesis"));
    });
}

#[test]
fn only_prompt_engineers_activate_templates_and_edits_after_activation_are_caught() {
    each_backend(default_policy(), |w| {
        let dir = w.dir.path().join("brand").join("prompts").join("draft");
        std::fs::create_dir_all(&dir).expect("prompts dir");
        let v2 = "{% extends \"_base.j2\" %}\n{% block task %}\nWrite it short.\n{% endblock %}\n";
        std::fs::write(dir.join("2.j2"), v2).expect("template");
        w.svc
            .user_add(
                "admin",
                "pat",
                "",
                false,
                Some("acme"),
                &[copydesk_core::Role::PromptEngineer],
            )
            .expect("pat");
        let err = w
            .svc
            .prompt_activate("alice", "acme", PromptTask::Draft, "2")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused);
        let done = w
            .svc
            .prompt_activate("pat", "acme", PromptTask::Draft, "2")
            .expect("activate");
        assert_eq!(done.version, "2");
        let brief = complete_brief(w, CollaborationModel::Producer);
        let request = DraftRequest::new(brief);
        let prompt = w
            .svc
            .prompt_render("alice", &request, None)
            .expect("render");
        assert_eq!(prompt.template.version, "2");
        assert!(prompt.user.ends_with("Write it short."));
        let log = w.svc.audit_log("admin", None, 0, 1000).expect("audit");
        assert!(log.iter().any(|e| e.action == "prompt.activated"));
        std::fs::write(dir.join("2.j2"), v2.replace("short", "long")).expect("edit");
        let err = w.svc.prompt_render("alice", &request, None).unwrap_err();
        assert!(
            err.to_string().contains("changed after it was activated"),
            "{err}"
        );
    });
}
