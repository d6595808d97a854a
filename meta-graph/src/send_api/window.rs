use std::fmt;
use std::time::Duration;

use time::OffsetDateTime;

use super::message::{MessageTag, SendMessage};

/// Who is writing the reply: the tag Meta allows outside the standard window depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Sender {
    /// A bot or any automated flow.
    Automated,
    /// A person writing the reply (the `HUMAN_AGENT` tag may carry it for 7 days).
    HumanAgent,
}

/// How a reply may be sent, as decided by [`ReplyWindow::decide`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReplyDecision {
    /// Inside the standard messaging window: a plain `RESPONSE`.
    Response,
    /// Outside it, but allowed with this tag.
    Tag(MessageTag),
}

impl ReplyDecision {
    /// Sets the messaging type (and tag) of `message` to this decision.
    pub fn apply(&self, message: SendMessage) -> SendMessage {
        match self {
            Self::Response => message,
            Self::Tag(tag) => message.tag(tag.clone()),
        }
    }
}

/// Why a reply may not be sent at all now.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WindowClosed {
    /// The person never wrote (nor interacted): a business cannot start the conversation.
    NoInteraction,
    /// The standard window closed at `closed_at`, and an automated message has no tag that
    /// would allow it.
    StandardWindowClosed {
        /// When the window closed.
        closed_at: OffsetDateTime,
    },
    /// Even the `HUMAN_AGENT` window (7 days after the person's last message) closed at
    /// `closed_at`.
    HumanAgentWindowClosed {
        /// When it closed.
        closed_at: OffsetDateTime,
    },
}

impl fmt::Display for WindowClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoInteraction => {
                f.write_str("the person has not written to the business: it cannot write first")
            }
            Self::StandardWindowClosed { closed_at } => write!(
                f,
                "the standard messaging window closed at {closed_at}; only a human agent may \
                 still reply (with the HUMAN_AGENT tag)"
            ),
            Self::HumanAgentWindowClosed { closed_at } => write!(
                f,
                "the human agent window closed at {closed_at}: wait for the person to write again"
            ),
        }
    }
}

impl std::error::Error for WindowClosed {}

/// The Messenger Platform's reply-window policy for one conversation.
///
/// A person's message (or another interaction that opens a window: a postback, a referral, a
/// reaction, an opt-in) opens the standard window of 24 hours; a click on an ad that sends
/// people to Messenger keeps it open longer. After it closes, a human agent may still reply
/// for 7 days after the person's last message with the `HUMAN_AGENT` tag; automated messages
/// may not.
///
/// ```
/// use std::time::Duration;
/// use meta_graph::send_api::{MessageTag, ReplyDecision, ReplyWindow, Sender};
/// use time::macros::datetime;
///
/// let window = ReplyWindow::new(Some(datetime!(2026-12-01 09:00 UTC)));
/// let next_day = datetime!(2026-12-02 10:00 UTC);
/// assert_eq!(
///     window.decide(next_day, Sender::HumanAgent),
///     Ok(ReplyDecision::Tag(MessageTag::HumanAgent))
/// );
/// assert!(window.decide(next_day, Sender::Automated).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyWindow {
    last_message: Option<OffsetDateTime>,
    last_interaction: Option<OffsetDateTime>,
    last_ad_referral: Option<OffsetDateTime>,
    standard: Duration,
    ad_referral: Duration,
    human_agent: Duration,
}

impl ReplyWindow {
    /// The standard window: 24 hours.
    pub const STANDARD: Duration = Duration::from_secs(24 * 60 * 60);
    /// How long a reply may follow a person's last message with the `HUMAN_AGENT` tag: 7 days.
    pub const HUMAN_AGENT: Duration = Duration::from_secs(7 * 24 * 60 * 60);
    /// How long the window stays open after a click on an ad that sends people to Messenger,
    /// by default: 7 days.
    pub const AD_REFERRAL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

    /// The window of a conversation whose person last wrote at `last_message` (`None` if they
    /// never did).
    pub fn new(last_message: Option<OffsetDateTime>) -> Self {
        Self {
            last_message,
            last_interaction: None,
            last_ad_referral: None,
            standard: Self::STANDARD,
            ad_referral: Self::AD_REFERRAL,
            human_agent: Self::HUMAN_AGENT,
        }
    }

    /// Another interaction that opens the standard window (a postback, a referral, a
    /// reaction, an opt-in) happened at `at`.
    pub fn interaction_at(mut self, at: OffsetDateTime) -> Self {
        self.last_interaction = self.last_interaction.max(Some(at));
        self
    }

    /// The person came from a click on an ad that sends people to Messenger at `at`.
    pub fn ad_referral_at(mut self, at: OffsetDateTime) -> Self {
        self.last_ad_referral = self.last_ad_referral.max(Some(at));
        self
    }

    /// Changes how long an ad referral keeps the window open (default
    /// [`AD_REFERRAL`](Self::AD_REFERRAL)), should Meta change it.
    pub fn ad_referral_window(mut self, window: Duration) -> Self {
        self.ad_referral = window;
        self
    }

    /// Decides how a reply by `sender` may be sent at `now`.
    ///
    /// # Errors
    ///
    /// [`WindowClosed`], saying why, when no reply may be sent.
    pub fn decide(
        &self,
        now: OffsetDateTime,
        sender: Sender,
    ) -> Result<ReplyDecision, WindowClosed> {
        let opened = self.last_message.max(self.last_interaction);
        let standard_end = opened.map(|at| at + self.standard);
        let ad_end = self.last_ad_referral.map(|at| at + self.ad_referral);
        let Some(window_end) = standard_end.max(ad_end) else {
            return Err(WindowClosed::NoInteraction);
        };
        if now < window_end {
            return Ok(ReplyDecision::Response);
        }
        match (sender, self.last_message) {
            (Sender::HumanAgent, Some(last)) => {
                let closed_at = last + self.human_agent;
                if now < closed_at {
                    Ok(ReplyDecision::Tag(MessageTag::HumanAgent))
                } else {
                    Err(WindowClosed::HumanAgentWindowClosed { closed_at })
                }
            }
            _ => Err(WindowClosed::StandardWindowClosed {
                closed_at: window_end,
            }),
        }
    }
}
