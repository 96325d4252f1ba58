//! AI providers: the [`ChatModel`] trait the service layer drafts through, and the
//! OpenAI-compatible chat-completions client.
