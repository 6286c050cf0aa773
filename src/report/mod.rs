//! Report model.
