use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use messaging_core::{
    AccountId, Conversation, ConversationId, Cursor, Error, ErrorKind, EventKind, Message,
    MessageId, OutgoingAttachment, Page, Platform, PlatformKind, Result, SentMessage, UserId,
    UserProfile, WebhookEvent,
};

/// A stand-in for a WhatsApp client: it records sends and, like the real Cloud API, has no
/// conversation list or profile lookup.
struct FakeWhatsApp {
    account: AccountId,
    sent: Mutex<Vec<(UserId, String)>>,
}

impl FakeWhatsApp {
    fn new() -> Self {
        Self {
            account: AccountId::new("106540352242922"),
            sent: Mutex::new(Vec::new()),
        }
    }

    fn record(&self, to: &UserId, body: String) -> SentMessage {
        let mut sent = self.sent.lock().unwrap();
        sent.push((to.clone(), body));
        SentMessage::new(self.kind(), format!("wamid.{}", sent.len()), to.clone())
    }
}

#[async_trait]
impl Platform for FakeWhatsApp {
    fn kind(&self) -> PlatformKind {
        PlatformKind::WhatsApp
    }

    fn account_id(&self) -> &AccountId {
        &self.account
    }

    async fn send_text(&self, to: &UserId, text: &str) -> Result<SentMessage> {
        if text.is_empty() {
            return Err(Error::with_source(ErrorKind::Validation, "text is empty"));
        }
        Ok(self.record(to, text.to_owned()))
    }

    async fn send_attachment(
        &self,
        to: &UserId,
        attachment: &OutgoingAttachment,
    ) -> Result<SentMessage> {
        Ok(self.record(to, format!("{:?}", attachment.source)))
    }

    async fn reply(&self, to: &UserId, reply_to: &MessageId, text: &str) -> Result<SentMessage> {
        Ok(self.record(to, format!("{reply_to} <- {text}")))
    }

    async fn conversations(&self, _cursor: Option<&Cursor>) -> Result<Page<Conversation>> {
        Err(Error::unsupported(self.kind(), "conversations"))
    }

    async fn messages(
        &self,
        _conversation: &ConversationId,
        _cursor: Option<&Cursor>,
    ) -> Result<Page<Message>> {
        Err(Error::unsupported(self.kind(), "messages"))
    }

    async fn mark_read(&self, _user: &UserId, _message: &MessageId) -> Result<()> {
        Ok(())
    }

    async fn user_profile(&self, _user: &UserId) -> Result<UserProfile> {
        Err(Error::unsupported(self.kind(), "user_profile"))
    }

    fn parse_webhook(&self, body: &[u8]) -> Result<Vec<WebhookEvent>> {
        #[derive(serde::Deserialize)]
        struct Body {
            object: String,
            messages: Vec<HashMap<String, String>>,
        }
        let body: Body = serde_json::from_slice(body)
            .map_err(|e| Error::with_source(ErrorKind::InvalidInput, e))?;
        if body.object != "whatsapp_business_account" {
            return Err(Error::with_source(
                ErrorKind::InvalidInput,
                format!("object is {:?}", body.object),
            ));
        }
        Ok(body
            .messages
            .into_iter()
            .map(|item| {
                let mut event = WebhookEvent::new(self.kind(), EventKind::Message);
                event.account_id = Some(self.account.to_string());
                event.message_id = item.get("id").cloned();
                event.sender_id = item.get("from").cloned();
                event
            })
            .collect())
    }
}

/// Applications keep accounts of every platform side by side.
fn accounts() -> HashMap<AccountId, Arc<dyn Platform>> {
    let platform: Arc<dyn Platform> = Arc::new(FakeWhatsApp::new());
    HashMap::from([(platform.account_id().clone(), platform)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_platform_is_shared_across_tasks_as_arc_dyn() {
    let accounts = accounts();
    let platform = Arc::clone(&accounts["106540352242922"]);
    assert_eq!(platform.kind(), PlatformKind::WhatsApp);

    let tasks: Vec<_> = (0..4)
        .map(|n| {
            let platform = Arc::clone(&platform);
            tokio::spawn(async move {
                platform
                    .send_text(&UserId::new("16505551234"), &format!("order {n} shipped"))
                    .await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        let sent = task.await.unwrap().unwrap();
        assert_eq!(sent.recipient, "16505551234");
        assert_eq!(sent.platform, PlatformKind::WhatsApp);
        ids.push(sent.message_id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "every send got its own id");
}

#[tokio::test]
async fn an_operation_the_platform_lacks_is_unsupported_not_empty() {
    let platform: Arc<dyn Platform> = Arc::new(FakeWhatsApp::new());
    let error = platform.conversations(None).await.unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::Unsupported {
            platform: PlatformKind::WhatsApp,
            operation: "conversations",
        },
    );
    let error = platform
        .user_profile(&UserId::new("16505551234"))
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::Unsupported {
            operation: "user_profile",
            ..
        }
    ));

    let error = platform
        .send_text(&UserId::new("16505551234"), "")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Validation);
}

#[test]
fn webhook_bodies_go_through_the_trait_object() {
    let platform: Arc<dyn Platform> = Arc::new(FakeWhatsApp::new());
    let events = platform
        .parse_webhook(
            br#"{"object":"whatsapp_business_account","messages":[{"id":"wamid.A","from":"16505551234"},{"id":"wamid.B","from":"16505551234"}]}"#,
        )
        .unwrap();
    let keys: Vec<_> = events.iter().filter_map(WebhookEvent::dedup_key).collect();
    assert_eq!(
        keys,
        ["whatsapp:message:wamid.A", "whatsapp:message:wamid.B"]
    );

    let not_json = platform.parse_webhook(b"<html>").unwrap_err();
    assert_eq!(not_json.kind(), &ErrorKind::InvalidInput);
    let wrong_object = platform
        .parse_webhook(br#"{"object":"page","messages":[]}"#)
        .unwrap_err();
    assert_eq!(wrong_object.kind(), &ErrorKind::InvalidInput);
}
