crate::define_id! {
    /// Where the next [`Page`](crate::Page) starts: an opaque position that only the platform
    /// that issued it can read.
    ///
    /// For the Graph API it is the `paging.cursors.after` value. Pass it back unchanged to the
    /// same platform and account; it means nothing elsewhere and may stop working after a while.
    pub struct Cursor;
}
