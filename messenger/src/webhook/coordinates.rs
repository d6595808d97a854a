use serde::Deserialize;

/// The point of a `location` attachment (`payload.coordinates`).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Coordinates {
    /// Latitude in degrees.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude in degrees.
    #[serde(default)]
    pub long: Option<f64>,
}
