//! The official formats as data.
