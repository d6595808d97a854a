//! Splitting a webhook body into one body per update, so that one poison update cannot hold
//! back the others delivered with it.
//!
//! Meta batches: a body has `entry[]`, each entry has `changes[]` (WhatsApp, Instagram
//! fields), `messaging[]` or `standby[]` (Messenger, Instagram), and a WhatsApp change value
//! holds `messages[]`, `statuses[]` and echoes, up to 1,000 updates in all. A part keeps
//! everything around its update (the `object`, the entry's id and time, the change's `field`,
//! the value's `metadata` and `contacts`), so it parses on its own exactly as the update did
//! inside the whole body.

use serde_json::{Map, Value};

/// The arrays of an entry whose items are independent updates.
const ENTRY_ITEMS: [&str; 3] = ["changes", "messaging", "standby"];

/// The arrays of a WhatsApp change value whose items are independent updates.
const VALUE_ITEMS: [&str; 4] = [
    "messages",
    "statuses",
    "message_echoes",
    "smb_message_echoes",
];

/// The body's updates as separate bodies, or `None` when it is not a JSON object with an
/// `entry` array or holds at most one update (nothing to isolate).
pub(super) fn split(body: &[u8]) -> Option<Vec<Vec<u8>>> {
    let Ok(Value::Object(root)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    let entries = root.get("entry")?.as_array()?;
    let mut parts = Vec::new();
    for entry in entries {
        let Value::Object(fields) = entry else {
            parts.push(wrap(&root, entry.clone()));
            continue;
        };
        let mut itemized = false;
        for key in ENTRY_ITEMS {
            let Some(Value::Array(items)) = fields.get(key) else {
                continue;
            };
            itemized = true;
            for item in items {
                for update in split_change(item) {
                    let mut one = without(fields, &ENTRY_ITEMS);
                    one.insert(key.to_owned(), Value::Array(vec![update]));
                    parts.push(wrap(&root, Value::Object(one)));
                }
            }
        }
        if !itemized {
            parts.push(wrap(&root, entry.clone()));
        }
    }
    if parts.len() < 2 {
        return None;
    }
    parts
        .iter()
        .map(|part| serde_json::to_vec(part).ok())
        .collect()
}

/// A WhatsApp change with several updates in its value, as one change per update; anything
/// else as it is.
fn split_change(item: &Value) -> Vec<Value> {
    let Some(Value::Object(value)) = item.get("value") else {
        return vec![item.clone()];
    };
    let count: usize = VALUE_ITEMS
        .iter()
        .filter_map(|key| value.get(*key).and_then(Value::as_array).map(Vec::len))
        .sum();
    if count < 2 {
        return vec![item.clone()];
    }
    let mut changes = Vec::with_capacity(count);
    for key in VALUE_ITEMS {
        let Some(Value::Array(updates)) = value.get(key) else {
            continue;
        };
        for update in updates {
            let mut one = without(value, &VALUE_ITEMS);
            one.insert(key.to_owned(), Value::Array(vec![update.clone()]));
            let mut change = item.clone();
            change["value"] = Value::Object(one);
            changes.push(change);
        }
    }
    changes
}

fn without(fields: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    fields
        .iter()
        .filter(|(key, _)| !keys.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

fn wrap(root: &Map<String, Value>, entry: Value) -> Value {
    let mut body = without(root, &["entry"]);
    body.insert("entry".to_owned(), Value::Array(vec![entry]));
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::split;
    use serde_json::{Value, json};

    fn parts(body: &Value) -> Vec<Value> {
        split(&serde_json::to_vec(body).unwrap())
            .unwrap()
            .iter()
            .map(|part| serde_json::from_slice(part).unwrap())
            .collect()
    }

    #[test]
    fn a_whatsapp_value_splits_per_message_and_status_keeping_its_context() {
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
            "field": "messages",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PNID"},
                "contacts": [{"profile": {"name": "Ann"}, "wa_id": "15551234567"}],
                "messages": [{"id": "wamid.1"}, {"id": "wamid.2"}],
                "statuses": [{"id": "wamid.0", "status": "read"}]
            }
        }]}]});
        let parts = parts(&body);
        assert_eq!(parts.len(), 3);
        for part in &parts {
            assert_eq!(part["object"], "whatsapp_business_account");
            assert_eq!(part["entry"][0]["id"], "WABA");
            let change = &part["entry"][0]["changes"][0];
            assert_eq!(change["field"], "messages");
            assert_eq!(change["value"]["metadata"]["phone_number_id"], "PNID");
            assert_eq!(change["value"]["contacts"][0]["wa_id"], "15551234567");
        }
        assert_eq!(
            parts[0]["entry"][0]["changes"][0]["value"]["messages"],
            json!([{"id": "wamid.1"}])
        );
        assert_eq!(
            parts[1]["entry"][0]["changes"][0]["value"]["messages"],
            json!([{"id": "wamid.2"}])
        );
        assert!(
            parts[1]["entry"][0]["changes"][0]["value"]
                .get("statuses")
                .is_none()
        );
        assert_eq!(
            parts[2]["entry"][0]["changes"][0]["value"]["statuses"][0]["id"],
            "wamid.0"
        );
    }

    #[test]
    fn messenger_entries_split_per_messaging_item() {
        let body = json!({"object": "page", "entry": [
            {"id": "PAGE", "time": 1, "messaging": [{"message": {"mid": "m1"}}, {"message": {"mid": "m2"}}]},
            {"id": "PAGE", "time": 2, "standby": [{"message": {"mid": "m3"}}]}
        ]});
        let parts = parts(&body);
        let mids: Vec<_> = parts
            .iter()
            .map(|p| {
                let entry = &p["entry"][0];
                let items = entry
                    .get("messaging")
                    .or_else(|| entry.get("standby"))
                    .unwrap();
                items[0]["message"]["mid"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(mids, ["m1", "m2", "m3"]);
        assert_eq!(parts[2]["entry"][0]["time"], 2);
    }

    #[test]
    fn one_update_or_no_entries_is_nothing_to_split() {
        for body in [
            json!({"object": "page", "entry": [{"id": "P", "messaging": [{"message": {"mid": "m"}}]}]}),
            json!({"object": "page"}),
            json!([1, 2]),
        ] {
            assert!(
                split(&serde_json::to_vec(&body).unwrap()).is_none(),
                "{body}"
            );
        }
        assert!(split(b"{\"entry\": [").is_none());
    }
}
