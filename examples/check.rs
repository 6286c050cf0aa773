//! `cargo run --example check FILE...`: prints diagnostics in the snapshot format.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("read");
        let a = nianbao::analyze(&text, &nianbao::Config::default());
        eprintln!("== {path}");
        eprint!("{}", nianbao::rules::snapshot::render(&text, &a));
    }
}
