//! Webhook bodies in Meta's shapes, as the soak posts them itself (signed with the app
//! secret), each message with an id no other run or body uses.

use serde_json::{Value, json};

/// The three platforms, in the order the load cycles through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Platform {
    WhatsApp,
    Messenger,
    Instagram,
}

impl Platform {
    pub(crate) const ALL: [Self; 3] = [Self::WhatsApp, Self::Messenger, Self::Instagram];

    /// The server's path segment and the API's `platform` value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::WhatsApp => "whatsapp",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
        }
    }

    /// The `n`th of the load's cycle.
    pub(crate) fn nth(n: u64) -> Self {
        match n % 3 {
            0 => Self::WhatsApp,
            1 => Self::Messenger,
            _ => Self::Instagram,
        }
    }
}

/// The business accounts the bodies are addressed to.
#[derive(Clone, Debug)]
pub(crate) struct Business {
    pub(crate) waba_id: String,
    pub(crate) phone_number_id: String,
    pub(crate) display_phone_number: String,
    pub(crate) page_id: String,
    pub(crate) instagram_id: String,
}

/// How many customers the soak's own bodies come from, per platform: enough conversations
/// for the lists to page, few enough for each thread to grow long.
pub(crate) const DIRECT_CUSTOMERS: u64 = 300;

/// Customer `index` of `platform` for the soak's own bodies: a WhatsApp number, a PSID or an
/// IGSID, in ranges apart from the reply targets' ([`target_customer`]).
pub(crate) fn direct_customer(platform: Platform, index: u64) -> String {
    match platform {
        Platform::WhatsApp => format!("4477{index:08}"),
        Platform::Messenger => format!("73{index:014}"),
        Platform::Instagram => format!("1198{index:012}"),
    }
}

/// Reply target `index` of `platform`: a customer who writes through the sandbox, so that the
/// sandbox knows them and accepts sends to them.
pub(crate) fn target_customer(platform: Platform, index: u64) -> String {
    match platform {
        Platform::WhatsApp => format!("1555{index:07}"),
        Platform::Messenger => format!("72{index:014}"),
        Platform::Instagram => format!("1197{index:012}"),
    }
}

/// The message id of message `k` of body `n` in run `run`.
pub(crate) fn message_id(platform: Platform, run: u32, n: u64, k: u64) -> String {
    match platform {
        // Real wamids are base64 of the number and a random part; the shape is what counts.
        Platform::WhatsApp => format!("wamid.HBgLU09BSy{run:08X}{n:010}{k}"),
        Platform::Messenger => format!("m_soak{run:08x}{n:010}{k}"),
        // Instagram mids are base64 of `ig_item…`.
        Platform::Instagram => format!("aWdfaXRlbTpzb2Fr{run:08x}{n:010}{k}"),
    }
}

/// One text message: who, its id, its text.
pub(crate) struct Text {
    pub(crate) from: String,
    pub(crate) id: String,
    pub(crate) body: String,
}

/// A body carrying `messages`, as Meta delivers them to `platform`'s webhook, at `at_ms`.
pub(crate) fn body(
    business: &Business,
    platform: Platform,
    messages: &[Text],
    at_ms: i64,
) -> Value {
    match platform {
        Platform::WhatsApp => {
            let contacts: Vec<Value> = messages
                .iter()
                .map(|m| json!({"profile": {"name": format!("Soak {}", m.from)}, "wa_id": m.from}))
                .collect();
            let items: Vec<Value> = messages
                .iter()
                .map(|m| {
                    json!({"from": m.from, "id": m.id, "timestamp": (at_ms / 1000).to_string(),
                           "type": "text", "text": {"body": m.body}})
                })
                .collect();
            json!({"object": "whatsapp_business_account", "entry": [{"id": business.waba_id, "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": business.display_phone_number,
                                 "phone_number_id": business.phone_number_id},
                    "contacts": contacts,
                    "messages": items,
                },
            }]}]})
        }
        Platform::Messenger | Platform::Instagram => {
            let (object, account) = if platform == Platform::Instagram {
                ("instagram", &business.instagram_id)
            } else {
                ("page", &business.page_id)
            };
            let items: Vec<Value> = messages
                .iter()
                .map(|m| {
                    json!({"sender": {"id": m.from}, "recipient": {"id": account}, "timestamp": at_ms,
                           "message": {"mid": m.id, "text": m.body}})
                })
                .collect();
            json!({"object": object, "entry": [{"id": account, "time": at_ms, "messaging": items}]})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business() -> Business {
        Business {
            waba_id: "102290129340398".into(),
            phone_number_id: "106540352242922".into(),
            display_phone_number: "15550783881".into(),
            page_id: "104518592379221".into(),
            instagram_id: "17841400008460056".into(),
        }
    }

    fn texts(platform: Platform, count: u64) -> Vec<Text> {
        (0..count)
            .map(|k| Text {
                from: direct_customer(platform, k),
                id: message_id(platform, 7, 42, k),
                body: format!("hello {k}"),
            })
            .collect()
    }

    #[test]
    fn whatsapp_bodies_are_addressed_to_the_phone_number_and_carry_every_message() {
        let body = body(
            &business(),
            Platform::WhatsApp,
            &texts(Platform::WhatsApp, 2),
            1_700_000_000_000,
        );
        let value = &body["entry"][0]["changes"][0]["value"];
        assert_eq!(body["object"], "whatsapp_business_account");
        assert_eq!(value["metadata"]["phone_number_id"], "106540352242922");
        assert_eq!(
            value["messages"][1]["id"],
            message_id(Platform::WhatsApp, 7, 42, 1)
        );
        assert_eq!(value["messages"][0]["timestamp"], "1700000000");
        assert_eq!(
            value["contacts"][1]["wa_id"],
            direct_customer(Platform::WhatsApp, 1)
        );
    }

    #[test]
    fn instagram_bodies_name_the_instagram_account_and_messenger_ones_the_page() {
        let ig = body(
            &business(),
            Platform::Instagram,
            &texts(Platform::Instagram, 1),
            5,
        );
        assert_eq!(ig["object"], "instagram");
        assert_eq!(ig["entry"][0]["id"], "17841400008460056");
        assert_eq!(
            ig["entry"][0]["messaging"][0]["recipient"]["id"],
            "17841400008460056"
        );
        let page = body(
            &business(),
            Platform::Messenger,
            &texts(Platform::Messenger, 3),
            5,
        );
        assert_eq!(page["object"], "page");
        assert_eq!(
            page["entry"][0]["messaging"].as_array().map(Vec::len),
            Some(3)
        );
        assert_eq!(
            page["entry"][0]["messaging"][2]["message"]["mid"],
            message_id(Platform::Messenger, 7, 42, 2)
        );
    }

    #[test]
    fn ids_and_customers_never_collide() {
        let mut ids = std::collections::HashSet::new();
        for platform in Platform::ALL {
            for n in 0..50 {
                for k in 0..5 {
                    assert!(ids.insert(message_id(platform, 1, n, k)));
                }
            }
            for i in 0..DIRECT_CUSTOMERS {
                assert!(ids.insert(direct_customer(platform, i)));
            }
            for i in 0..30 {
                assert!(ids.insert(target_customer(platform, i)));
            }
        }
        assert_ne!(
            message_id(Platform::WhatsApp, 1, 12, 3),
            message_id(Platform::WhatsApp, 1, 1, 23)
        );
    }
}
