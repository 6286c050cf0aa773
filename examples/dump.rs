//! `cargo run --example dump FILE`: prints the parsed model of a UTF-8 report.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("read");
        let report = nianbao::report::parse(&text);
        eprintln!("== {path}");
        eprint!("{}", nianbao::report::dump::dump(&text, &report));
    }
}
