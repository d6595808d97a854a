//! WhatsApp content types shared by incoming webhooks and outgoing messages, and the typed
//! request and response bodies of the Cloud API and Business Management API endpoints other
//! than sending messages: media, message templates, business phone numbers, business
//! profiles and webhook subscriptions.
//!
//! Responses keep values Meta adds later: enums have an `Unknown` arm holding the value as
//! sent, and template components and buttons keep unmodelled fields in `extra`. Requests
//! check Meta's documented limits in `validate()` (see [`template_limits`],
//! [`business_profile_limits`] and [`MediaType`]) and fail with a
//! [`ValidationError`](crate::ValidationError) naming the field.

pub mod business_profile_limits;
pub mod template_limits;

mod account_mode;
mod business_phone_number;
mod business_profile;
mod business_profile_response;
mod button_example;
mod button_type;
mod code_verification_status;
mod component_example;
mod component_type;
mod contact_card;
mod create_template;
mod created_template;
mod delete_template;
mod header_format;
pub(crate) mod lenient;
mod location;
mod media_info;
mod media_type;
mod message_template;
mod messaging_limit_tier;
mod name_status;
mod named_parameter_example;
mod otp_type;
mod parameter_format;
mod phone_number_status;
mod platform_type;
mod quality_rating;
mod quality_score;
mod rejected_reason;
mod subscribe_app;
mod subscribed_app;
mod subscribed_apps;
mod success;
mod template_button;
mod template_card;
mod template_category;
mod template_component;
mod template_id;
mod template_status;
mod throughput;
mod throughput_level;
mod update_business_profile;
mod uploaded_media;
mod vertical;
mod webhook_configuration;
mod whatsapp_business_api_data;

pub use account_mode::AccountMode;
pub use business_phone_number::BusinessPhoneNumber;
pub use business_profile::BusinessProfile;
pub use business_profile_response::BusinessProfileResponse;
pub use button_example::ButtonExample;
pub use button_type::ButtonType;
pub use code_verification_status::CodeVerificationStatus;
pub use component_example::ComponentExample;
pub use component_type::ComponentType;
pub use contact_card::{
    ContactAddress, ContactCard, ContactEmail, ContactName, ContactOrg, ContactPhone, ContactUrl,
};
pub use create_template::CreateTemplate;
pub use created_template::CreatedTemplate;
pub use delete_template::DeleteTemplate;
pub use header_format::HeaderFormat;
pub use location::Location;
pub use media_info::MediaInfo;
pub use media_type::MediaType;
pub use message_template::MessageTemplate;
pub use messaging_limit_tier::MessagingLimitTier;
pub use name_status::NameStatus;
pub use named_parameter_example::NamedParameterExample;
pub use otp_type::OtpType;
pub use parameter_format::ParameterFormat;
pub use phone_number_status::PhoneNumberStatus;
pub use platform_type::PlatformType;
pub use quality_rating::QualityRating;
pub use quality_score::QualityScore;
pub use rejected_reason::RejectedReason;
pub use subscribe_app::SubscribeApp;
pub use subscribed_app::SubscribedApp;
pub use subscribed_apps::SubscribedApps;
pub use success::Success;
pub use template_button::TemplateButton;
pub use template_card::TemplateCard;
pub use template_category::TemplateCategory;
pub use template_component::TemplateComponent;
pub use template_id::TemplateId;
pub use template_status::TemplateStatus;
pub use throughput::Throughput;
pub use throughput_level::ThroughputLevel;
pub use update_business_profile::UpdateBusinessProfile;
pub use uploaded_media::UploadedMedia;
pub use vertical::Vertical;
pub use webhook_configuration::WebhookConfiguration;
pub use whatsapp_business_api_data::WhatsAppBusinessApiData;
