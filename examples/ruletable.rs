//! `cargo run --example ruletable`: prints the README's rule table.
use std::io::Write;
fn main() {
    let _ = std::io::stdout().write_all(nianbao::rules::markdown_table().as_bytes());
}
