use std::collections::{BTreeSet, HashMap};

// A local `serde` shadows the crate of that name: if `define_id!` expanded to a plain
// `serde::…` path, this module would not compile. Users of the macro need no serde dependency.
#[allow(dead_code)]
mod serde {}

messaging_core::define_id! {
    /// A WhatsApp message id, defined the way a platform crate would.
    pub(crate) struct Wamid;

    /// A Messenger Page id.
    pub(crate) struct PageId;
}

const WAMID: &str = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";

#[test]
fn id_defined_in_another_crate_serializes_as_a_bare_string() {
    let id = Wamid::new(WAMID);
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, format!("\"{WAMID}\""));
    assert_eq!(serde_json::from_str::<Wamid>(&json).unwrap(), id);

    // Inside a struct too, as in a webhook payload.
    let map: HashMap<String, PageId> =
        serde_json::from_str(r#"{"id": "106540352242922"}"#).unwrap();
    assert_eq!(map["id"], "106540352242922");
}

#[test]
fn ids_that_are_not_strings_are_rejected() {
    // A number would silently lose digits past 2^53, so only strings are ids.
    assert!(serde_json::from_str::<PageId>("106540352242922").is_err());
    assert!(serde_json::from_str::<PageId>("null").is_err());
    assert!(serde_json::from_str::<PageId>(r#"{"id": "1"}"#).is_err());
}

#[test]
fn conversions_keep_the_string_unchanged() {
    let from_str: Wamid = WAMID.into();
    let from_string = Wamid::from(WAMID.to_owned());
    let parsed: Wamid = WAMID.parse().unwrap();
    assert_eq!(from_str, from_string);
    assert_eq!(from_str, parsed);
    assert_eq!(from_str.as_str(), WAMID);
    assert_eq!(from_str.as_ref(), WAMID);
    assert_eq!(from_str.to_string(), WAMID);
    assert_eq!(String::from(from_str.clone()), WAMID);
    assert_eq!(from_str.into_string(), WAMID);
}

#[test]
fn ids_compare_with_strings_both_ways() {
    let id = PageId::new("106540352242922");
    assert!(id == "106540352242922");
    assert!(id == *"106540352242922");
    let owned = String::from("106540352242922");
    assert!(id == owned);
    assert!("106540352242922" == id);
    assert!(*"106540352242922" == id);
    assert!(owned == id);
    assert!(id != "106540352242923");
}

#[test]
fn a_map_keyed_by_id_is_searched_with_a_str() {
    let mut statuses = HashMap::new();
    statuses.insert(Wamid::new(WAMID), "delivered");
    assert_eq!(statuses.get(WAMID), Some(&"delivered"));
    assert_eq!(statuses.get("wamid.other"), None);

    // Ordering is the string's, so sorted collections of ids behave like sorted strings.
    let sorted: BTreeSet<PageId> = ["3", "1", "2"].into_iter().map(PageId::from).collect();
    let order: Vec<&str> = sorted.iter().map(PageId::as_str).collect();
    assert_eq!(order, ["1", "2", "3"]);
    assert!(sorted.contains("2"));
}

#[test]
fn core_ids_are_distinct_types_with_the_same_behaviour() {
    let user = messaging_core::UserId::new("16505551234");
    let account = messaging_core::AccountId::from("106540352242922");
    assert_eq!(serde_json::to_value(&user).unwrap(), "16505551234");
    assert_eq!(format!("{account}"), "106540352242922");
    assert_eq!(format!("{user:?}"), r#"UserId("16505551234")"#);
}
