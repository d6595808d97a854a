//! What the sandbox remembers: its accounts, tokens, conversations and media.

use std::collections::HashMap;

use serde::Serialize;

/// The three messaging platforms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// WhatsApp Cloud API.
    WhatsApp,
    /// Messenger Platform.
    Messenger,
    /// Instagram Messaging.
    Instagram,
}

impl Platform {
    /// The path segment the reference server uses: `whatsapp`, `messenger`, `instagram`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WhatsApp => "whatsapp",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
        }
    }
}

/// The ids and tokens of the sandbox's business accounts, for connecting them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounts {
    /// The Facebook Page.
    pub page_id: String,
    /// Its name.
    pub page_name: String,
    /// The Instagram professional account linked to the Page.
    pub instagram_id: String,
    /// Its username.
    pub instagram_username: String,
    /// The WhatsApp Business Account.
    pub waba_id: String,
    /// Its phone number id.
    pub phone_number_id: String,
    /// Its display number.
    pub display_phone_number: String,
    /// A system-user token with WhatsApp access (for the WhatsApp connect call).
    pub whatsapp_token: String,
}

/// A simulated person who writes to the business.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Customer {
    /// Their id on the platform: WhatsApp number, PSID or IGSID.
    pub id: String,
    /// Their name.
    pub name: String,
}

/// One stored message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredMessage {
    /// The wamid or mid.
    pub id: String,
    /// Whether the customer sent it.
    pub inbound: bool,
    /// The text.
    pub text: String,
    /// When (Unix ms).
    pub at_ms: i64,
    /// WhatsApp: the last status delivered for an outbound message.
    pub status: Option<String>,
}

/// A conversation between a business account and a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Thread {
    /// The Conversations API id (`t_…`).
    pub id: String,
    /// Which platform.
    pub platform: Platform,
    /// The business account (phone number id, Page id or Instagram account id).
    pub account: String,
    /// The customer.
    pub customer: Customer,
    /// Oldest first.
    pub messages: Vec<StoredMessage>,
}

/// A request that reached the sandbox's send endpoints, whatever was answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SendRecord {
    /// The path, such as `/v26.0/106540352242922/messages`.
    pub path: String,
    /// The JSON body.
    pub body: serde_json::Value,
    /// The message id it created, if it created one.
    pub message_id: Option<String>,
}

/// A Graph request the sandbox received, whatever it answered: faulted calls included, so
/// that a test can count the attempts a client made, not only the sends that succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The HTTP method.
    pub method: String,
    /// The path, such as `/v26.0/106540352242922/messages`.
    pub path: String,
    /// The business account it was for (as [`Target::Account`](crate::Target::Account)
    /// resolves it), if any.
    pub account: Option<String>,
    /// The fault it met, if one did.
    pub fault: Option<crate::FaultKind>,
}

impl Received {
    /// Whether it was a message send (`POST /{id}/messages`, sender actions and read receipts
    /// included).
    pub fn is_send(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/messages")
    }
}

#[derive(Clone, Debug)]
pub(crate) enum TokenKind {
    ShortUser,
    LongUser,
    Page,
    System,
    InstagramUser,
    App,
}

#[derive(Clone, Debug)]
pub(crate) struct Media {
    pub(crate) mime_type: String,
    pub(crate) bytes: Vec<u8>,
}

pub(crate) struct World {
    pub(crate) base_url: String,
    pub(crate) app_id: String,
    pub(crate) app_secret: String,
    pub(crate) accounts: Accounts,
    pub(crate) page_token: String,
    pub(crate) tokens: HashMap<String, TokenKind>,
    pub(crate) codes: HashMap<String, String>,
    pub(crate) threads: Vec<Thread>,
    pub(crate) customers: HashMap<Platform, Vec<Customer>>,
    pub(crate) media: HashMap<String, Media>,
    pub(crate) templates: Vec<serde_json::Value>,
    pub(crate) subscribed: bool,
    pub(crate) profile: serde_json::Value,
    pub(crate) webhooks: HashMap<Platform, String>,
    pub(crate) faults: Vec<crate::Fault>,
    pub(crate) delivery_faults: crate::DeliveryFaults,
    pub(crate) sends: Vec<SendRecord>,
    pub(crate) received: Vec<Received>,
    pub(crate) seq: u64,
    /// More WhatsApp phone numbers of the business account than the first.
    pub(crate) extra_numbers: std::collections::HashSet<String>,
    /// Where each (platform, customer) thread is in `threads`.
    pub(crate) thread_index: HashMap<(Platform, String), usize>,
}

impl World {
    /// Records a WhatsApp status on the message at (thread index, message index), if it is
    /// still there.
    pub(crate) fn set_status(&mut self, thread: usize, message: usize, status: String) {
        if let Some(message) = self
            .threads
            .get_mut(thread)
            .and_then(|t| t.messages.get_mut(message))
        {
            message.status = Some(status);
        }
    }

    pub(crate) fn new(app_id: String, app_secret: String) -> Self {
        let accounts = Accounts {
            page_id: "104518592379221".into(),
            page_name: "Sandbox Coffee".into(),
            instagram_id: "17841400008460056".into(),
            instagram_username: "sandbox.coffee".into(),
            waba_id: "102290129340398".into(),
            phone_number_id: "106540352242922".into(),
            display_phone_number: "+1 555-078-3881".into(),
            whatsapp_token: "EAAsandboxSYSTEMUSERwhatsapp".into(),
        };
        let page_token = "EAAsandboxPAGEtoken".to_owned();
        let mut tokens = HashMap::new();
        tokens.insert(accounts.whatsapp_token.clone(), TokenKind::System);
        tokens.insert(page_token.clone(), TokenKind::Page);
        tokens.insert(format!("{app_id}|{app_secret}"), TokenKind::App);
        let customer = |id: &str, name: &str| Customer {
            id: id.into(),
            name: name.into(),
        };
        let customers = HashMap::from([
            (
                Platform::WhatsApp,
                vec![
                    customer("16505551234", "Sheena Nelson"),
                    customer("4915112345678", "Jonas Weber"),
                    customer("5511987654321", "Ana Souza"),
                ],
            ),
            (
                Platform::Messenger,
                vec![
                    customer("6254119754622003", "Kenji Sato"),
                    customer("7111222333444555", "Maria Rossi"),
                ],
            ),
            (
                Platform::Instagram,
                vec![
                    customer("1195123456789012", "lena.k"),
                    customer("1195987654321098", "tom_b"),
                ],
            ),
        ]);
        Self {
            base_url: String::new(),
            app_id,
            app_secret,
            accounts,
            page_token,
            tokens,
            codes: HashMap::new(),
            threads: Vec::new(),
            customers,
            media: HashMap::new(),
            templates: vec![serde_json::json!({
                "id": "594425479261596", "name": "order_update", "language": "en_US",
                "status": "APPROVED", "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Your order {{1}} is on its way."}]
            })],
            subscribed: true,
            profile: serde_json::json!({"about": "Coffee, delivered.", "vertical": "RESTAURANT", "messaging_product": "whatsapp"}),
            webhooks: HashMap::new(),
            faults: Vec::new(),
            delivery_faults: crate::DeliveryFaults::default(),
            sends: Vec::new(),
            received: Vec::new(),
            seq: 0,
            extra_numbers: std::collections::HashSet::new(),
            thread_index: HashMap::new(),
        }
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A new opaque token of `kind`.
    pub(crate) fn issue(&mut self, kind: TokenKind, prefix: &str) -> String {
        let token = format!("{prefix}{}{:08x}", self.next(), rand::random::<u32>());
        self.tokens.insert(token.clone(), kind);
        token
    }

    pub(crate) fn account_for(&self, platform: Platform) -> String {
        match platform {
            Platform::WhatsApp => self.accounts.phone_number_id.clone(),
            Platform::Messenger => self.accounts.page_id.clone(),
            Platform::Instagram => self.accounts.instagram_id.clone(),
        }
    }

    pub(crate) fn customer(&self, platform: Platform, id: &str) -> Option<Customer> {
        self.customers
            .get(&platform)
            .and_then(|list| list.iter().find(|c| c.id == id))
            .cloned()
    }

    /// The customer `from` (known or not), or the platform's first when `None`.
    pub(crate) fn customer_or_first(&self, platform: Platform, from: Option<&str>) -> Customer {
        match from {
            Some(id) => self.customer(platform, id).unwrap_or(Customer {
                id: id.to_owned(),
                name: id.to_owned(),
            }),
            None => self
                .customers
                .get(&platform)
                .and_then(|c| c.first().cloned())
                .unwrap_or(Customer {
                    id: "16505550000".into(),
                    name: "Customer".into(),
                }),
        }
    }

    /// Which platform a Send API recipient belongs to (Messenger PSID or Instagram IGSID).
    pub(crate) fn platform_of_recipient(&self, id: &str) -> Option<Platform> {
        [Platform::Messenger, Platform::Instagram]
            .into_iter()
            .find(|p| self.customer(*p, id).is_some())
    }

    pub(crate) fn thread_mut(&mut self, platform: Platform, customer: &Customer) -> &mut Thread {
        let account = self.account_for(platform);
        let existing = self
            .thread_index
            .get(&(platform, customer.id.clone()))
            .copied();
        let index = if let Some(index) = existing {
            index
        } else {
            let id = format!(
                "t_{}{}",
                10_161_225_367_000_u64 + self.next(),
                customer.id.len()
            );
            self.threads.push(Thread {
                id,
                platform,
                account,
                customer: customer.clone(),
                messages: Vec::new(),
            });
            self.thread_index
                .insert((platform, customer.id.clone()), self.threads.len() - 1);
            self.threads.len() - 1
        };
        &mut self.threads[index]
    }

    pub(crate) fn message_id(&mut self, platform: Platform) -> String {
        let n = self.next();
        let noise = rand::random::<u64>();
        match platform {
            Platform::WhatsApp => format!("wamid.HBgLMTY1MDU1NTEyMzQVAgAR{n:06}{noise:016X}"),
            Platform::Messenger | Platform::Instagram => format!("m_{n}{noise:x}"),
        }
    }
}
