use std::fmt;

/// What is wrong with a value that breaks one of Meta's documented limits, as reported by
/// [`ValidationError::problem`](super::ValidationError::problem).
///
/// Lengths are counted in characters (Unicode scalar values), sizes in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationProblem {
    /// The value is empty but Meta requires at least one character or item.
    Empty,
    /// A required value is absent.
    Missing,
    /// The text is longer than Meta allows.
    TooLong {
        /// The most characters Meta allows.
        max: usize,
        /// The characters the value has.
        actual: usize,
    },
    /// There are more items (components, buttons, parameters, websites) than Meta allows.
    TooMany {
        /// The most items Meta allows.
        max: usize,
        /// The items there are.
        actual: usize,
    },
    /// A file is larger than Meta accepts for its media type.
    TooLarge {
        /// The largest size Meta accepts, in bytes.
        max: u64,
        /// The file's size, in bytes.
        actual: u64,
    },
    /// The value contains characters Meta does not allow there.
    InvalidCharacters {
        /// The characters that are allowed.
        allowed: &'static str,
    },
    /// A parameter placeholder (`{{1}}`, `{{first_name}}`) has no example value; Meta rejects
    /// templates whose parameters lack examples.
    MissingExample {
        /// The placeholder's name or number, without braces.
        parameter: String,
    },
    /// The value must be an absolute `http://` or `https://` URL.
    NotHttpUrl,
    /// Meta does not accept this MIME type for any media category.
    UnsupportedMimeType {
        /// The MIME type as given.
        mime_type: String,
    },
}

impl fmt::Display for ValidationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("must not be empty"),
            Self::Missing => f.write_str("is required"),
            Self::TooLong { max, actual } => {
                write!(f, "has {actual} characters, Meta allows at most {max}")
            }
            Self::TooMany { max, actual } => {
                write!(f, "has {actual} items, Meta allows at most {max}")
            }
            Self::TooLarge { max, actual } => {
                write!(f, "is {actual} bytes, Meta accepts at most {max}")
            }
            Self::InvalidCharacters { allowed } => write!(f, "may only contain {allowed}"),
            Self::MissingExample { parameter } => {
                write!(f, "parameter {{{{{parameter}}}}} has no example value")
            }
            Self::NotHttpUrl => f.write_str("must start with http:// or https://"),
            Self::UnsupportedMimeType { mime_type } => {
                write!(f, "MIME type {mime_type:?} is not accepted by WhatsApp")
            }
        }
    }
}
