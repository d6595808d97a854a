//! Integration tests of metabiz-whatsapp, on payloads shaped like Meta's documented ones
//! (`tests/fixtures/`).

mod client;
mod client_api;
mod errors;
mod management_webhooks;
mod model_business_profile;
mod model_media;
mod model_phone_numbers;
mod model_subscribed_apps;
mod model_support;
mod model_templates;
mod normalize;
mod pacing;
mod platform;
mod send_limits;
mod send_messages;
mod send_validation;
mod snapshots;
mod support;
mod typed;
