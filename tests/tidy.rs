//! Project rules a compiler cannot enforce (after rust-analyzer's tidy):
//! the pure core knows nothing of LSP, async or ropey and does no I/O, and
//! the README's rule table is generated from the rules' own source.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_core_is_pure() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let forbidden =
        ["tower_lsp", "lsp_types", "tokio", "ropey", "std::fs", "std::net", "std::process", "std::io", "File::"];
    let mut bad = Vec::new();
    for module in ["report", "schema", "rules", "fix", "text"] {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        assert!(!files.is_empty(), "src/{module} is missing");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for word in forbidden {
                    if code.contains(word) {
                        bad.push(format!("{}:{}: uses {word}", f.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "the pure core must not do I/O or know the protocol:\n{}", bad.join("\n"));
}

#[test]
fn readme_rule_table_is_generated_from_the_rules() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = nianbao::rules::markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's rule table drifted from src/rules/registry.rs; replace it with:\n\n{table}"
    );
}

#[test]
fn every_module_says_what_it_is() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.trim_start().starts_with("//!"), "{} lacks a //! module comment", f.display());
    }
}

/// Only `src/server` knows the protocol, the async runtime and ropey; within
/// it, only `documents.rs` knows ropey (style.md).
#[test]
fn only_the_server_knows_the_protocol() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&f).unwrap();
        let in_server = rel.starts_with("server/");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in ["tower_lsp", "lsp_types", "tokio", "ropey"] {
                let allowed = in_server && (word != "ropey" || rel == "server/documents.rs");
                if code.contains(word) && !allowed {
                    bad.push(format!("src/{rel}:{}: uses {word}", n + 1));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
