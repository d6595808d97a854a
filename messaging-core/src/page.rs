use serde::{Deserialize, Serialize};

use crate::Cursor;

/// One page of a list the platform returns in pieces, such as conversations or messages.
///
/// Keep asking while [`Page::next`] is `Some`: the Graph API can return an empty page that
/// still has a next cursor, so an empty `items` does not mean the end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page, in the order the platform gave them.
    pub items: Vec<T>,
    /// The cursor of the next page, `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A page of `items` followed by the page at `next`, if any.
    pub fn new(items: Vec<T>, next: Option<Cursor>) -> Self {
        Self { items, next }
    }

    /// The last page: `items` and no next cursor.
    pub fn last(items: Vec<T>) -> Self {
        Self::new(items, None)
    }

    /// Whether this is the last page.
    pub fn is_last(&self) -> bool {
        self.next.is_none()
    }

    /// The cursor to fetch the next page with, if any.
    pub fn next_cursor(&self) -> Option<&Cursor> {
        self.next.as_ref()
    }

    /// Converts every item, keeping the cursor: how a platform turns its own types into the
    /// normalized ones.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }

    /// Splits the page into its items and the next cursor.
    pub fn into_parts(self) -> (Vec<T>, Option<Cursor>) {
        (self.items, self.next)
    }

    /// Iterates over the items of this page.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<T> Default for Page<T> {
    /// An empty last page.
    fn default() -> Self {
        Self::last(Vec::new())
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
