//! The one macro for string enums Meta may extend.

/// Defines an enum of the string values Meta documents, plus `Unknown(String)` that keeps any
/// value Meta adds later, with `as_str`, `From<&str>`, `From<String>`, `Display`, and serde
/// (de)serialization as the bare string. Known values deserialize without allocating.
///
/// The platform crates use it for every enum Meta may extend.
///
/// ```
/// messaging_core::string_enum! {
///     /// A template's quality.
///     pub enum Quality {
///         /// High.
///         Green = "GREEN",
///         /// Low.
///         Red = "RED",
///     }
/// }
///
/// let known: Quality = serde_json::from_str(r#""GREEN""#).unwrap();
/// assert_eq!(known, Quality::Green);
/// let later: Quality = serde_json::from_str(r#""PURPLE""#).unwrap();
/// assert_eq!(later, Quality::Unknown("PURPLE".into()));
/// assert_eq!(serde_json::to_string(&later).unwrap(), r#""PURPLE""#);
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know yet, exactly as Meta sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as Meta spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl $crate::__private::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: $crate::__private::serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::from(value))
                    }

                    fn visit_string<E: $crate::__private::serde::de::Error>(self, value: String) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}
