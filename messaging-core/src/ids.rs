/// Defines string id newtypes, so ids of different kinds cannot be mixed up.
///
/// Each type wraps a `String` exactly as the platform gives it: Meta documents no id format,
/// and ids keep changing shape (WhatsApp user ids moving from phone numbers to business-scoped
/// ids, for instance), so nothing is validated. Every type gets `new`, `as_str`,
/// `into_string`, `Clone`, `Debug`, `Eq`, `Hash`, `Ord`, `Display`, `AsRef<str>`,
/// `Borrow<str>` (so a `HashMap<Id, _>` can be searched with a `&str`), `From<String>`,
/// `From<&str>`, `FromStr`, comparison with `str`, `&str` and `String` in both directions, and a
/// serde form that is the bare JSON string (like `#[serde(transparent)]`). Deserializing
/// anything but a JSON string fails: Meta sends ids as strings, and a number would lose
/// digits past 2^53.
///
/// The macro works from other crates without a direct serde dependency.
///
/// ```
/// messaging_core::define_id! {
///     /// A WhatsApp message id (`wamid.…`).
///     pub struct Wamid;
///
///     /// A Messenger Page id.
///     pub struct PageId;
/// }
///
/// let id = Wamid::new("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
/// assert_eq!(id, "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
/// assert_eq!(
///     serde_json::to_string(&PageId::from("106540352242922")).unwrap(),
///     r#""106540352242922""#,
/// );
/// ```
#[macro_export]
macro_rules! define_id {
    ($(
        $(#[$attr:meta])*
        $vis:vis struct $name:ident;
    )+) => {$(
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(::std::string::String);

        impl $name {
            /// Wraps the string exactly as the platform gives it.
            #[must_use]
            $vis fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }

            /// The string slice inside.
            #[must_use]
            $vis fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the string.
            #[must_use]
            $vis fn into_string(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // Sound because the derived `Hash`, `Eq` and `Ord` look only at the inner string.
        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(id: ::std::string::String) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }

        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl ::std::cmp::PartialEq<::std::string::String> for $name {
            fn eq(&self, other: &::std::string::String) -> bool {
                self.0 == *other
            }
        }

        impl ::std::cmp::PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl ::std::cmp::PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl ::std::cmp::PartialEq<$name> for ::std::string::String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        // Written out rather than derived: serde's `crate = "…"` attribute takes a string
        // literal, into which `macro_rules!` cannot splice `$crate`. The result is what
        // `#[serde(transparent)]` would give.
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <::std::string::String as $crate::__private::serde::Deserialize<'de>>::deserialize(
                    deserializer,
                )
                .map(Self)
            }
        }
    )+};
}

crate::define_id! {
    /// The business side of a conversation: a WhatsApp phone number id, a Facebook Page id or an
    /// Instagram professional account id. A [`Platform`](crate::Platform) acts for one account.
    pub struct AccountId;

    /// A conversation (thread) id as the Conversations API returns it.
    pub struct ConversationId;

    /// A message id: a WhatsApp `wamid`, or a Messenger or Instagram `mid`.
    pub struct MessageId;

    /// A person on the other side of a conversation: a WhatsApp user id (`wa_id`), a Page-scoped
    /// id (PSID) or an Instagram-scoped id (IGSID).
    pub struct UserId;
}
