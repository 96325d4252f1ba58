//! The workflow suite: every test runs on each backend `test_support::backends()` gives
//! (SQLite always, PostgreSQL when COPYDESK_TEST_PG_URL is set, as in CI).

mod assist;
mod audit;
mod concurrency;
mod experiments;
mod review;
mod risk;
mod versions;
mod webhooks;
mod world;
