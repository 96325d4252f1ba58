//! Prompt composition: what exactly is sent for each task (snapshots), which sources fit the
//! budget, and template errors that name the file and line.

use copydesk_assist::prompt::{
    compose, validate, KitVoice, NeverSay, PromptError, PromptRequest, PromptTask, RepurposeInput,
    SourceText, Template,
};
use copydesk_core::brief::BriefContent;
use copydesk_core::{Lever, RepurposeTarget};

fn brief() -> BriefContent {
    copydesk_core::brief::example()
}

fn kit() -> KitVoice {
    KitVoice {
        brand: "Acme Payroll".into(),
        voice: "We write like a colleague who has done the job: plain words, concrete numbers."
            .into(),
        never_say: vec![
            NeverSay {
                phrase: "world-class".into(),
                instead: "say what is measurably good about it".into(),
            },
            NeverSay {
                phrase: "synergy".into(),
                instead: String::new(),
            },
        ],
        terms: vec!["Acme Payroll".into()],
    }
}

fn sources() -> Vec<SourceText> {
    vec![
        SourceText {
            id: "S1".into(),
            kind: "voice_example".into(),
            origin: "brand voice page".into(),
            text: "Nobody works late any more.".into(),
        },
        SourceText {
            id: "S2".into(),
            kind: "interview".into(),
            origin: "interview with a finance lead, 2026-10-02".into(),
            text: "Month-end payroll reconciliation took our finance team three days. We assumed automation needed consultants.".into(),
        },
        SourceText {
            id: "S3".into(),
            kind: "support_ticket".into(),
            origin: "ticket 4411".into(),
            text: "How do I export the reconciliation report for payroll?".into(),
        },
    ]
}

fn request<'a>(
    task: PromptTask,
    brief: &'a BriefContent,
    sources: &'a [SourceText],
) -> PromptRequest<'a> {
    PromptRequest {
        task,
        brief,
        sources,
        lever: None,
        hypothesis: None,
        count: 5,
        repurpose: None,
        source_budget: 2000,
    }
}

fn shown(prompt: &copydesk_assist::prompt::ComposedPrompt) -> String {
    format!(
        "template: {}@{}\nsources used: {:?}\nleft out: {:?}\n--- system ---\n{}\n--- user ---\n{}\n",
        prompt.template.id, prompt.template.version, prompt.sources_used, prompt.sources_left_out, prompt.system, prompt.user
    )
}

#[test]
fn draft_prompt_snapshot() {
    let (b, s) = (brief(), sources());
    let prompt = compose(
        &kit(),
        &request(PromptTask::Draft, &b, &s),
        &Template::builtin(PromptTask::Draft),
    )
    .expect("composes");
    // the most relevant source comes first
    assert_eq!(prompt.sources_used[0], "S2");
    insta::assert_snapshot!("draft", shown(&prompt));
}

#[test]
fn outline_prompt_snapshot() {
    let (b, s) = (brief(), sources());
    let prompt = compose(
        &kit(),
        &request(PromptTask::Outline, &b, &s),
        &Template::builtin(PromptTask::Outline),
    )
    .expect("composes");
    insta::assert_snapshot!("outline", shown(&prompt));
}

#[test]
fn variants_prompt_snapshot_names_the_lever_and_hypothesis() {
    let (b, s) = (brief(), sources());
    let mut r = request(PromptTask::Variants, &b, &s);
    r.lever = Some(Lever::Proof);
    r.hypothesis = Some("leading with the 212-customer proof raises demo requests");
    let prompt = compose(&kit(), &r, &Template::builtin(PromptTask::Variants)).expect("composes");
    assert!(prompt.user.contains("lever \"proof\""));
    insta::assert_snapshot!("variants", shown(&prompt));
}

#[test]
fn repurpose_prompt_snapshot_carries_the_asset() {
    let (b, s) = (brief(), sources());
    let mut r = request(PromptTask::Repurpose, &b, &s);
    r.repurpose = Some(RepurposeInput {
        to: RepurposeTarget::XThread,
        title: "How we closed payroll in a day",
        text: "Payroll used to take three days. Now it takes one (2026 customer usage report).",
    });
    let prompt = compose(&kit(), &r, &Template::builtin(PromptTask::Repurpose)).expect("composes");
    insta::assert_snapshot!("repurpose", shown(&prompt));
}

#[test]
fn variants_without_lever_or_hypothesis_are_refused() {
    let (b, s) = (brief(), sources());
    let mut r = request(PromptTask::Variants, &b, &s);
    r.lever = Some(Lever::Urgency);
    let err = compose(&kit(), &r, &Template::builtin(PromptTask::Variants)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the variants task needs a lever and a hypothesis"
    );
}

#[test]
fn sources_beyond_the_budget_are_cut_or_left_out() {
    let b = brief();
    let long = "Month-end payroll reconciliation is slow. ".repeat(100);
    let s = vec![
        SourceText {
            id: "S7".into(),
            kind: "research".into(),
            origin: "survey".into(),
            text: long.clone(),
        },
        SourceText {
            id: "S8".into(),
            kind: "research".into(),
            origin: "lunch".into(),
            text: "We had soup on Tuesday with everyone.".into(),
        },
        SourceText {
            id: "S9".into(),
            kind: "research".into(),
            origin: "payroll notes".into(),
            text: long,
        },
    ];
    let mut r = request(PromptTask::Draft, &b, &s);
    r.source_budget = 300;
    let prompt = compose(&kit(), &r, &Template::builtin(PromptTask::Draft)).expect("composes");
    assert!(
        prompt.source_tokens <= 300,
        "{} tokens of sources",
        prompt.source_tokens
    );
    assert_eq!(prompt.sources_used.first().map(String::as_str), Some("S9"));
    assert!(prompt.user.contains("(excerpt)"));
    assert!(!prompt.sources_left_out.is_empty());
}

#[test]
fn every_builtin_template_validates() {
    for &task in PromptTask::ALL {
        validate(&Template::builtin(task)).expect("built-in template is valid");
    }
}

#[test]
fn template_errors_name_the_file_and_line() {
    let t = Template {
        task: PromptTask::Draft,
        version: "2".into(),
        origin: "brand/prompts/draft/2.j2".into(),
        source: "{% block system %}ok{% endblock %}\n{% block user %}\n{{ brief.titel }}\n{% endblock %}".into(),
    };
    let err = validate(&t).unwrap_err();
    match &err {
        PromptError::Template { origin, line, .. } => {
            assert_eq!(origin, "brand/prompts/draft/2.j2");
            assert_eq!(*line, Some(3));
        }
        other => panic!("unexpected {other:?}"),
    }
    let t = Template {
        source: "{% block system %}only a system block{% endblock %}".into(),
        ..t
    };
    assert!(matches!(
        validate(&t),
        Err(PromptError::MissingBlock { block: "user", .. })
    ));
    let t = Template {
        source: "{% block system %}{% if %}{% endblock %}".into(),
        ..t
    };
    assert!(matches!(
        validate(&t),
        Err(PromptError::Template { line: Some(1), .. })
    ));
}
