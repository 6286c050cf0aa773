//! The command line: `check`, `fix` and `explain` (product-spec §5).
//!
//! This is the edge where files are read and written and results printed;
//! the core it calls does no I/O. So far: [`encoding`] (bytes ↔ text).

pub mod encoding;
