//! Every `fixtures/**/*.txt` has its diagnostics snapshot beside it
//! (`*.txt.snap`). Run with `UPDATE_EXPECT=1` to rewrite them after a
//! deliberate change, then read the diff.

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

#[test]
fn fixtures_match_their_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    walk(&root, &mut files);
    // CLI inputs are exercised by tests/cli.rs.
    files.retain(|p| !p.starts_with(root.join("cli")));
    assert!(files.len() >= 50, "only {} fixtures", files.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let analysis = nianbao::analyze(&text, &nianbao::Config::default());
        let actual = nianbao::rules::snapshot::render(&text, &analysis);
        let snap = PathBuf::from(format!("{}.snap", f.display()));
        if update {
            std::fs::write(&snap, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&snap) {
            Ok(expected) if expected == actual => {}
            Ok(_) => failures.push(format!("{} differs from its snapshot", f.display())),
            Err(_) => failures.push(format!("{} has no snapshot", f.display())),
        }
    }
    assert!(failures.is_empty(), "{}\n(rerun with UPDATE_EXPECT=1 and review the diff)", failures.join("\n"));
}
