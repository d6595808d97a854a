use serde::Serialize;

use super::header::Header;
use super::interactive::{Action, Frame};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate::{self, Unique};
use crate::Error;
use crate::ValidationProblem;
use crate::limits::Limit;

/// A list message (`interactive.type: list`), made by
/// [`Interactive::list`](super::Interactive::list): a button that opens up to ten rows grouped
/// in sections.
///
/// The user's choice arrives as a `list_reply` webhook with the row's id.
///
/// ```
/// use metabiz_whatsapp::WaId;
/// use metabiz_whatsapp::send::{Interactive, Row, Section};
///
/// let message = Interactive::list(
///     WaId::new("16505551234"),
///     "Which shipping option do you prefer?",
///     "Shipping Options",
///     [Section::new("I want it ASAP!", [
///         Row::new("priority_express", "Priority Mail Express").description("Next Day to 2 Days"),
///         Row::new("priority_mail", "Priority Mail").description("1–3 Days"),
///     ])],
/// )
/// .build()?;
/// assert_eq!(message.kind(), "interactive");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    envelope: Envelope,
    frame: Frame,
    action: ListAction,
}

/// `action` of a list message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ListAction {
    button: String,
    sections: Vec<Section>,
}

/// A section of a list message: an optional title over its rows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Section {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    rows: Vec<Row>,
}

impl Section {
    /// A section titled `title` (at most
    /// [`LIST_SECTION_TITLE_MAX_CHARS`](crate::limits::LIST_SECTION_TITLE_MAX_CHARS)
    /// characters) with at least one row.
    pub fn new(title: impl Into<String>, rows: impl IntoIterator<Item = Row>) -> Self {
        Self {
            title: Some(title.into()),
            rows: rows.into_iter().collect(),
        }
    }

    /// A section without a title: allowed only when it is the list's single section.
    pub fn untitled(rows: impl IntoIterator<Item = Row>) -> Self {
        Self {
            title: None,
            rows: rows.into_iter().collect(),
        }
    }
}

/// A row of a list message: one option the user can choose.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Row {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl Row {
    /// A row titled `title` (at most
    /// [`LIST_ROW_TITLE_MAX_CHARS`](crate::limits::LIST_ROW_TITLE_MAX_CHARS) characters) whose
    /// choice answers with `id` (at most
    /// [`LIST_ROW_ID_MAX_CHARS`](crate::limits::LIST_ROW_ID_MAX_CHARS), unique in the list).
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            description: None,
        }
    }

    /// A line under the title: at most
    /// [`LIST_ROW_DESCRIPTION_MAX_CHARS`](crate::limits::LIST_ROW_DESCRIPTION_MAX_CHARS)
    /// characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl List {
    /// A list under `body` (at most [`LIST_BODY_MAX_CHARS`](crate::limits::LIST_BODY_MAX_CHARS)
    /// characters), opened by a button labeled `button` (at most
    /// [`LIST_BUTTON_MAX_CHARS`](crate::limits::LIST_BUTTON_MAX_CHARS)), with one to
    /// [`LIST_SECTIONS_MAX`](crate::limits::LIST_SECTIONS_MAX) sections holding one to
    /// [`LIST_ROWS_MAX`](crate::limits::LIST_ROWS_MAX) rows in all.
    pub fn new(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        button: impl Into<String>,
        sections: impl IntoIterator<Item = Section>,
    ) -> Self {
        Self {
            envelope: Envelope::new(to),
            frame: Frame::new(body),
            action: ListAction {
                button: button.into(),
                sections: sections.into_iter().collect(),
            },
        }
    }

    /// A text header (list messages take no media header): at most
    /// [`HEADER_TEXT_MAX_CHARS`](crate::limits::HEADER_TEXT_MAX_CHARS) characters.
    pub fn header(mut self, text: impl Into<String>) -> Self {
        self.frame.header = Some(Header::Text(text.into()));
        self
    }

    /// A footer: at most [`FOOTER_MAX_CHARS`](crate::limits::FOOTER_MAX_CHARS) characters.
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.frame.footer = Some(footer.into());
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        let ListAction { button, sections } = &self.action;
        validate::required(button, Limit::ListButton, || {
            "interactive.action.button".to_owned()
        })?;
        validate::count(sections.len(), Limit::ListSections, || {
            "interactive.action.sections".to_owned()
        })?;
        let total_rows = sections.iter().map(|section| section.rows.len()).sum();
        validate::max_items(total_rows, Limit::ListRows, || {
            "interactive.action.sections[].rows".to_owned()
        })?;
        let mut ids = Unique::new();
        for (s, section) in sections.iter().enumerate() {
            let section_field = |part: &str| format!("interactive.action.sections[{s}].{part}");
            match &section.title {
                Some(title) => {
                    validate::required(title, Limit::ListSectionTitle, || section_field("title"))?;
                }
                // Meta requires a title as soon as there are two sections.
                None if sections.len() > 1 => {
                    return validate::fail(|| section_field("title"), ValidationProblem::Empty);
                }
                None => {}
            }
            if section.rows.is_empty() {
                return validate::fail(|| section_field("rows"), ValidationProblem::Empty);
            }
            for (r, row) in section.rows.iter().enumerate() {
                let field = |part: &str| section_field(&format!("rows[{r}].{part}"));
                validate::required(&row.id, Limit::ListRowId, || field("id"))?;
                validate::required(&row.title, Limit::ListRowTitle, || field("title"))?;
                validate::optional(
                    row.description.as_deref(),
                    Limit::ListRowDescription,
                    || field("description"),
                )?;
                ids.check(&row.id, || field("id"))?;
            }
        }
        let body = self
            .frame
            .finish("list", Limit::ListBody, Action::List(self.action))?;
        self.envelope.seal(Content::Interactive(body))
    }
}
