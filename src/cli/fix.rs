//! `nianbao fix [--dry-run]`: apply the safe total fixes in place.
//!
//! The edits come from [`crate::fix::fix_all`]; this module only makes writing
//! them safe. A file is written only when (1) its original bytes re-encode
//! exactly from the decoded text, so nothing but the edited numbers can
//! change, (2) the new text survives an encode/decode round trip, and (3) the
//! file has not changed since it was read. The write is atomic: a temporary
//! file in the same directory, written, synced, given the original's
//! permissions and renamed over the original (through a symlink, onto its
//! target). Ownership and hard links are not preserved: rename makes a new
//! inode. `--dry-run` prints a unified diff and writes nothing.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::args::FixArgs;
use crate::cli::check::has_extension;
use crate::cli::diff;
use crate::cli::encoding::{self, Enc};
use crate::cli::output::{self, Stdout};
use crate::cli::walk;
use crate::rules::{Config, TextEdit};

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
enum Done {
    Unchanged,
    /// Fixed (or, with `--dry-run`, would be), with this many edits.
    Fixed(usize),
}

/// Runs `fix` and returns the exit code.
pub fn run(args: &FixArgs) -> i32 {
    let mut out = Stdout::new();
    let mut failed = false;
    let (mut files, mut cells) = (0, 0);
    for entry in walk::walk(&args.paths, false) {
        let result = match &entry.error {
            Some(message) => Err(message.clone()),
            None => fix_file(&entry.path, &entry.display, args.dry_run, &mut out),
        };
        match result {
            Ok(Done::Unchanged) => {}
            Ok(Done::Fixed(n)) => {
                files += 1;
                cells += n;
            }
            Err(message) => {
                let _ = out.flush();
                output::file_error(&entry.display, &message);
                failed = true;
            }
        }
    }
    if let Err(e) = out.flush() {
        output::error(&format!("cannot write the diff: {e}"));
        failed = true;
    }
    let verb = if args.dry_run { "would fix" } else { "fixed" };
    output::stderr(&format!(
        "{verb} {files} file{} ({cells} cell{})\n",
        if files == 1 { "" } else { "s" },
        if cells == 1 { "" } else { "s" },
    ));
    if failed {
        2
    } else {
        0
    }
}

fn fix_file(path: &Path, display: &str, dry_run: bool, out: &mut Stdout) -> Result<Done, String> {
    if has_extension(path, "docx") {
        return Err("fix does not write Word (.docx) files; fix the totals in Word".into());
    }
    let (bytes, decoded) = encoding::read_text(path)?;
    let edits = crate::fix::fix_all(&decoded.text, &Config::default());
    if edits.is_empty() {
        return Ok(Done::Unchanged);
    }
    let new_bytes = plan(&bytes, &decoded.text, decoded.encoding, &edits)?;
    if new_bytes == bytes {
        return Ok(Done::Unchanged);
    }
    if dry_run {
        let new_text = crate::fix::apply_edits(&decoded.text, &edits);
        out.write(&diff::unified(display, &decoded.text, &new_text))
            .map_err(|e| format!("cannot write the diff: {e}"))?;
    } else {
        write_atomically(path, &bytes, &new_bytes)?;
    }
    Ok(Done::Fixed(edits.len()))
}

/// The bytes to write: the fixed text in the original encoding, after the
/// round-trip checks of the module doc.
fn plan(bytes: &[u8], text: &str, enc: Enc, edits: &[TextEdit]) -> Result<Vec<u8>, String> {
    let reencoded = encoding::encode(text, enc);
    if reencoded != bytes {
        let at = first_difference(&reencoded, bytes);
        return Err(format!(
            "refusing to write: the file does not re-encode to the same bytes as {enc} \
             (first difference at byte offset {at}), so writing it could change more than \
             the totals; file left untouched"
        ));
    }
    let new_text = crate::fix::apply_edits(text, edits);
    let new_bytes = encoding::encode(&new_text, enc);
    match encoding::decode(&new_bytes) {
        Ok(back) if back.text == new_text && back.encoding == enc => Ok(new_bytes),
        _ => Err(format!(
            "refusing to write: the fixed text would not read back identically as {enc}; \
             file left untouched"
        )),
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()))
}

/// Replaces `path`'s content `old` by `new` atomically; refuses if the file no
/// longer holds `old`.
fn write_atomically(path: &Path, old: &[u8], new: &[u8]) -> Result<(), String> {
    // Write onto a symlink's target, not over the link.
    let target = fs::canonicalize(path).map_err(|e| e.to_string())?;
    let dir = target.parent().ok_or_else(|| "cannot find the file's directory".to_owned())?;
    let permissions = fs::metadata(&target).map_err(|e| e.to_string())?.permissions();
    let (tmp_path, mut tmp) = create_temp(dir, &target)?;
    let written = (|| -> std::io::Result<()> {
        tmp.write_all(new)?;
        tmp.set_permissions(permissions)?;
        tmp.sync_all()
    })();
    drop(tmp);
    let result = written.map_err(|e| format!("cannot write {}: {e}", tmp_path.display())).and_then(|()| {
        // Last check before the rename: an editor may have saved meanwhile.
        let now = encoding::read_limited(&target)?;
        if now != old {
            return Err("the file changed while it was being fixed; left untouched".into());
        }
        fs::rename(&tmp_path, &target).map_err(|e| format!("cannot replace the file: {e}"))
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
        return result;
    }
    sync_dir(dir);
    Ok(())
}

/// A new file `.NAME.nianbao-PID-N.tmp` beside `target`.
fn create_temp(dir: &Path, target: &Path) -> Result<(PathBuf, File), String> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut last_error = None;
    for n in 0..100 {
        let candidate = dir.join(format!(".{name}.nianbao-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(format!("cannot create a temporary file in {}: {e}", dir.display())),
        }
    }
    Err(format!(
        "cannot create a temporary file in {}: {}",
        dir.display(),
        last_error.map_or_else(String::new, |e| e.to_string())
    ))
}

/// Makes the rename durable. Best effort: not every platform can open a
/// directory, and the file itself is already synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextRange;

    fn edit(text: &str, find: &str, new: &str) -> TextEdit {
        let at = text.find(find).unwrap();
        TextEdit { range: TextRange::new(at, at + find.len()), new_text: new.into() }
    }

    #[test]
    fn plan_keeps_encoding_and_line_ends() {
        let text = "总计\r\n11\r甲";
        for enc in [Enc::Utf8, Enc::Utf8Bom, Enc::Utf16Le, Enc::Utf16Be, Enc::Gb18030] {
            let bytes = encoding::encode(text, enc);
            let new = plan(&bytes, text, enc, &[edit(text, "11", "12")]).unwrap();
            let back = encoding::decode(&new).unwrap();
            assert_eq!(back.encoding, enc);
            assert_eq!(back.text, "总计\r\n12\r甲");
        }
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt");
        fs::write(&path, "总计\t12\n").unwrap();
        // What `fix` read was "总计\t11": an editor saved meanwhile.
        let err = write_atomically(&path, "总计\t11\n".as_bytes(), "总计\t13\n".as_bytes()).unwrap_err();
        assert_eq!(err, "the file changed while it was being fixed; left untouched");
        assert_eq!(fs::read_to_string(&path).unwrap(), "总计\t12\n");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["r.txt"], "the temporary file is removed");
        // Unchanged, it is replaced.
        write_atomically(&path, "总计\t12\n".as_bytes(), "总计\t13\n".as_bytes()).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "总计\t13\n");
    }

    #[test]
    fn no_temporary_file_means_no_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt");
        fs::write(&path, "11").unwrap();
        // Every name `create_temp` would try is taken.
        for n in 0..100 {
            fs::write(dir.path().join(format!(".r.txt.nianbao-{}-{n}.tmp", std::process::id())), "").unwrap();
        }
        let err = write_atomically(&path, b"11", b"12").unwrap_err();
        assert!(err.starts_with("cannot create a temporary file in "), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "11");
    }

    #[test]
    fn plan_refuses_bytes_that_do_not_round_trip() {
        // encoding_rs decodes GB18030 0x80 as €, but encodes € as A2 E3.
        let bytes = b"\x80\xd7\xdc";
        let decoded = encoding::decode(bytes).unwrap();
        assert_eq!(decoded.encoding, Enc::Gb18030);
        let err = plan(bytes, &decoded.text, decoded.encoding, &[]).unwrap_err();
        assert!(err.contains("byte offset 0"), "{err}");
    }
}
