//! The business profile: the `data`-wrapped response and the update request with its limits.

use metabiz_whatsapp::ValidationProblem;
use metabiz_whatsapp::model::business_profile_limits::{
    ABOUT_MAX_CHARS, ADDRESS_MAX_CHARS, DESCRIPTION_MAX_CHARS, EMAIL_MAX_CHARS, WEBSITE_MAX_CHARS,
    WEBSITES_MAX,
};
use metabiz_whatsapp::model::{
    BusinessProfile, BusinessProfileResponse, Success, UpdateBusinessProfile, Vertical,
};
use serde_json::json;

use crate::model_support::{graph, graph_json, invalid};

#[test]
fn profile_response() {
    let response: BusinessProfileResponse = graph("business_profile.json");
    let profile = response.profile().unwrap();
    assert_eq!(profile.about.as_deref(), Some("Succulent specialists!"));
    assert_eq!(
        profile.address.as_deref(),
        Some("1 Hacker Way, Menlo Park, CA 94025")
    );
    assert_eq!(profile.email.as_deref(), Some("lucky@luckyshrub.com"));
    assert_eq!(profile.websites, ["https://www.luckyshrub.com/"]);
    assert_eq!(profile.vertical, Some(Vertical::Retail));
    assert_eq!(profile.messaging_product.as_deref(), Some("whatsapp"));
    assert!(
        profile
            .profile_picture_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://pps.whatsapp.net/"))
    );
    assert_eq!(response.into_profile().unwrap().websites.len(), 1);
}

#[test]
fn a_vertical_this_version_does_not_know_is_kept() {
    // Meta's own example answers with the placeholder `INDUSTRY`.
    let raw = graph_json("business_profile_placeholder_vertical.json");
    let response: BusinessProfileResponse = serde_json::from_value(raw.clone()).unwrap();
    let profile = response.profile().unwrap();
    assert_eq!(
        profile.vertical,
        Some(Vertical::Unknown("INDUSTRY".to_owned()))
    );
    assert_eq!(profile.websites.len(), 2);
    assert_eq!(serde_json::to_value(&response).unwrap(), raw);
}

#[test]
fn an_empty_response_has_no_profile() {
    let response: BusinessProfileResponse = serde_json::from_value(json!({"data": []})).unwrap();
    assert_eq!(response.profile(), None);
}

#[test]
fn fields_are_the_documented_list() {
    assert_eq!(
        BusinessProfile::FIELDS,
        "about,address,description,email,profile_picture_url,websites,vertical"
    );
}

#[test]
fn update_request_matches_meta_example() {
    let update = UpdateBusinessProfile::new()
        .about("Succulent specialists!")
        .address("1 Hacker Way, Menlo Park, CA 94025")
        .description(
            "At Lucky Shrub, we specialize in providing a diverse range of high-quality \
             succulents to suit your needs. From rare and exotic varieties to timeless \
             classics, our collection has something for everyone.",
        )
        .email("lucky@luckyshrub.com")
        .profile_picture_handle("4::aW...")
        .vertical(Vertical::Retail)
        .websites(["https://www.luckyshrub.com"]);
    update.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        graph_json("business_profile_update.json")
    );
    let answer: Success = graph("success.json");
    assert!(answer.success);
}

#[test]
fn unset_fields_are_not_sent_and_empty_websites_clear_them() {
    assert_eq!(
        serde_json::to_value(UpdateBusinessProfile::new()).unwrap(),
        json!({"messaging_product": "whatsapp"})
    );
    let clear = UpdateBusinessProfile::new()
        .websites(Vec::<String>::new())
        .vertical(Vertical::from(""));
    clear.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"messaging_product": "whatsapp", "websites": [], "vertical": ""})
    );
}

fn too_long(max: usize) -> ValidationProblem {
    ValidationProblem::TooLong {
        max,
        actual: max + 1,
    }
}

/// Sets one text field of an update.
type SetText = fn(String) -> UpdateBusinessProfile;

#[test]
fn text_limits() {
    let cases: [(SetText, usize, &str); 4] = [
        (
            |s| UpdateBusinessProfile::new().about(s),
            ABOUT_MAX_CHARS,
            "about",
        ),
        (
            |s| UpdateBusinessProfile::new().address(s),
            ADDRESS_MAX_CHARS,
            "address",
        ),
        (
            |s| UpdateBusinessProfile::new().description(s),
            DESCRIPTION_MAX_CHARS,
            "description",
        ),
        (
            |s| UpdateBusinessProfile::new().email(s),
            EMAIL_MAX_CHARS,
            "email",
        ),
    ];
    for (make, max, field) in cases {
        make("a".repeat(max)).validate().unwrap();
        let detail = invalid(make("a".repeat(max + 1)).validate());
        assert_eq!(detail.field(), field);
        assert_eq!(detail.problem(), &too_long(max));
    }
    // Business profile docs: about 1 to 139, address 256, description 512, email 128,
    // at most 2 websites of 256 characters each.
    assert_eq!(
        [
            ABOUT_MAX_CHARS,
            ADDRESS_MAX_CHARS,
            DESCRIPTION_MAX_CHARS,
            EMAIL_MAX_CHARS,
            WEBSITES_MAX,
            WEBSITE_MAX_CHARS
        ],
        [139, 256, 512, 128, 2, 256]
    );
}

#[test]
fn about_must_not_be_empty() {
    let detail = invalid(UpdateBusinessProfile::new().about("").validate());
    assert_eq!(detail.field(), "about");
    assert_eq!(detail.problem(), &ValidationProblem::Empty);
}

#[test]
fn website_limits() {
    let sites = |n: usize| (0..n).map(|i| format!("https://example.com/{i}"));
    UpdateBusinessProfile::new()
        .websites(sites(WEBSITES_MAX))
        .validate()
        .unwrap();
    let detail = invalid(
        UpdateBusinessProfile::new()
            .websites(sites(WEBSITES_MAX + 1))
            .validate(),
    );
    assert_eq!(detail.field(), "websites");
    assert_eq!(
        detail.problem(),
        &ValidationProblem::TooMany {
            max: WEBSITES_MAX,
            actual: WEBSITES_MAX + 1
        }
    );

    let long = |n: usize| {
        let prefix = "https://example.com/";
        format!("{prefix}{}", "p".repeat(n - prefix.len()))
    };
    UpdateBusinessProfile::new()
        .websites([long(WEBSITE_MAX_CHARS)])
        .validate()
        .unwrap();
    let detail = invalid(
        UpdateBusinessProfile::new()
            .websites([
                "https://example.com".to_owned(),
                long(WEBSITE_MAX_CHARS + 1),
            ])
            .validate(),
    );
    assert_eq!(detail.field(), "websites[1]");
    assert_eq!(detail.problem(), &too_long(WEBSITE_MAX_CHARS));
}

#[test]
fn websites_need_their_scheme() {
    let detail = invalid(
        UpdateBusinessProfile::new()
            .websites(["www.luckyshrub.com"])
            .validate(),
    );
    assert_eq!(detail.field(), "websites[0]");
    assert_eq!(detail.problem(), &ValidationProblem::NotHttpUrl);
    UpdateBusinessProfile::new()
        .websites(["HTTP://LUCKYSHRUB.COM"])
        .validate()
        .unwrap();
}
