media_message! {
    /// A sticker message (`type: sticker`): a WebP sticker (static up to 100 KB, animated up to
    /// 500 KB). Stickers take no caption, so this builder has none.
    ///
    /// ```compile_fail
    /// # use metabiz_whatsapp::{MediaId, WaId};
    /// # use metabiz_whatsapp::send::Sticker;
    /// Sticker::new(WaId::new("16505551234"), MediaId::new("1")).caption("Hi");
    /// ```
    pub struct Sticker => "sticker", Sticker;
}
