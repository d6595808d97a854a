use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::ValidationProblem;
use crate::limits::Limit;
use crate::model::ContactCard;

/// A contacts message (`type: contacts`): one or more contact cards the user can save or
/// message.
///
/// Each card needs `name.formatted_name`, the name shown in the chat; everything else is
/// optional. When a phone has a `wa_id`, WhatsApp adds "Message" and "Save contact" buttons.
///
/// ```
/// use metabiz_whatsapp::WaId;
/// use metabiz_whatsapp::model::{ContactCard, ContactName, ContactPhone};
/// use metabiz_whatsapp::send::Contacts;
///
/// let mut name = ContactName::default();
/// name.formatted_name = Some("Barbara J. Johnson".to_owned());
/// name.first_name = Some("Barbara".to_owned());
/// let mut phone = ContactPhone::default();
/// phone.phone = Some("+16505559999".to_owned());
/// phone.wa_id = Some(WaId::new("16505559999"));
/// let mut card = ContactCard::default();
/// card.name = Some(name);
/// card.phones.push(phone);
///
/// let message = Contacts::new(WaId::new("16505551234"), [card]).build()?;
/// assert_eq!(message.kind(), "contacts");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contacts {
    envelope: Envelope,
    cards: ContactsBody,
}

pub(crate) type ContactsBody = Vec<ContactCard>;

impl Contacts {
    /// A message with `cards`: at least one, at most
    /// [`CONTACTS_MAX`](crate::limits::CONTACTS_MAX).
    pub fn new(to: impl Into<Recipient>, cards: impl IntoIterator<Item = ContactCard>) -> Self {
        Self {
            envelope: Envelope::new(to),
            cards: cards.into_iter().collect(),
        }
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        validate::count(self.cards.len(), Limit::Contacts, || "contacts".to_owned())?;
        for (i, card) in self.cards.iter().enumerate() {
            let formatted_name = card
                .name
                .as_ref()
                .and_then(|name| name.formatted_name.as_deref())
                .unwrap_or_default();
            validate::not_blank(formatted_name, || {
                format!("contacts[{i}].name.formatted_name")
            })?;
            if card
                .birthday
                .as_deref()
                .is_some_and(|birthday| !is_date(birthday))
            {
                return validate::fail(
                    || format!("contacts[{i}].birthday"),
                    ValidationProblem::Invalid("not a YYYY-MM-DD date"),
                );
            }
        }
        self.envelope.seal(Content::Contacts(self.cards))
    }
}

/// `YYYY-MM-DD` with a month of 1 to 12 and a day of 1 to 31: Meta's birthday format.
fn is_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .filter(|part| part.iter().all(u8::is_ascii_digit))
            .map(|part| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    bytes.len() == 10
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|month| (1..=12).contains(&month))
        && digits(8..10).is_some_and(|day| (1..=31).contains(&day))
}
