//! placeholder
pub struct LineIndex;
pub struct LineCol;
pub enum PositionEncoding { Utf8, Utf16, Utf32 }
