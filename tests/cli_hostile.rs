//! Hostile files for the CLI (issue 6): a file the user may not read, a
//! write that fails half way, a 200 MB file. (A directory with a symlink
//! loop: `tests/cli.rs::symlink_loops_end`; a file that changes between
//! `fix`'s read and its write: `src/cli/fix.rs`'s tests.) Each names the file
//! and the reason, exits 2, checks the other files, and leaves every file as
//! it was.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

fn seed_with_wrong_total() -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cli/seed_bad_total.txt")).unwrap()
}

extern "C" {
    fn geteuid() -> u32;
    fn setgid(gid: u32) -> i32;
    fn setuid(uid: u32) -> i32;
    fn setrlimit(resource: i32, rlim: *const [u64; 2]) -> i32;
    fn signal(sig: i32, handler: usize) -> usize;
}

const NOBODY: u32 = 65534;
const RLIMIT_FSIZE: i32 = 1;
const SIGXFSZ: i32 = 25;
const SIG_IGN: usize = 1;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    // A binary just copied may still be open for writing in a child another
    // test thread forked meanwhile (until that child execs): exec then fails
    // with ETXTBSY, which says nothing about us. Try again.
    let mut tries = 0;
    let out = loop {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(26) && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.unwrap(),
        }
    };
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A directory everyone may enter (tempdir makes its own 0700).
fn open_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn a_file_without_read_permission_is_named_and_the_rest_checked() {
    let dir = open_dir();
    let locked = dir.path().join("locked.txt");
    fs::write(&locked, seed_with_wrong_total()).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::write(dir.path().join("open.txt"), seed_with_wrong_total()).unwrap();
    fs::set_permissions(dir.path().join("open.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    // Root reads anything: run as nobody to be refused like a user, from a
    // copy of the binary nobody may run (the build may sit under /root).
    let root = unsafe { geteuid() } == 0;
    let bin = if root {
        let copy = dir.path().join("nianbao");
        fs::copy(BIN, &copy).unwrap();
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
        copy
    } else {
        BIN.into()
    };
    for args in [&["check", "locked.txt", "open.txt"][..], &["fix", "locked.txt"][..]] {
        let mut cmd = Command::new(&bin);
        cmd.args(args).current_dir(dir.path());
        // SAFETY: only async-signal-safe calls between fork and exec.
        if root {
            unsafe {
                cmd.pre_exec(|| {
                    if setgid(NOBODY) != 0 || setuid(NOBODY) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("nianbao: locked.txt: Permission denied"), "{args:?}: {}", r.stderr);
        if args[0] == "check" {
            assert!(r.stdout.contains("open.txt:"), "the readable file is still checked: {}", r.stdout);
        }
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(fs::read_to_string(&locked).unwrap(), seed_with_wrong_total(), "untouched");
}

#[test]
fn a_write_that_fails_half_way_leaves_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    let original = seed_with_wrong_total();
    assert!(original.len() > 4096);
    fs::write(&path, &original).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["fix", "report.txt"]).current_dir(dir.path());
    // Files may grow to 4 KiB only: the temporary copy fails part way
    // through (EFBIG; the signal that would kill the process is ignored).
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            signal(SIGXFSZ, SIG_IGN);
            if setrlimit(RLIMIT_FSIZE, &[4096, 4096]) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let r = run(&mut cmd);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.starts_with("nianbao: report.txt: cannot write "), "{}", r.stderr);
    assert!(r.stderr.contains("File too large"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), original, "the original is intact");
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["report.txt"], "the temporary file is removed");
    // Without the limit the same command fixes the file.
    let r = run(Command::new(BIN).args(["fix", "report.txt"]).current_dir(dir.path()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_ne!(fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn a_200_mb_file_is_refused_by_its_size_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    // Sparse: 200 MB that take no disk and would read as zero bytes.
    fs::File::create(&big).unwrap().set_len(200_000_000).unwrap();
    fs::write(dir.path().join("small.txt"), seed_with_wrong_total()).unwrap();
    let expected = "nianbao: big.txt: file too large (200000000 bytes, 190.7 MiB; the limit is 64 MiB)";
    let r = run(Command::new(BIN).args(["check", "big.txt", "small.txt"]).current_dir(dir.path()));
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains(expected), "{}", r.stderr);
    assert!(r.stdout.contains("small.txt:"), "{}", r.stdout);
    let r = run(Command::new(BIN).args(["fix", "big.txt"]).current_dir(dir.path()));
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains(expected), "{}", r.stderr);
    assert_eq!(fs::metadata(&big).unwrap().len(), 200_000_000);
    // The same through the walk of a directory.
    let r = run(Command::new(BIN).args(["check", "."]).current_dir(dir.path()));
    assert!(r.stderr.contains("nianbao: ./big.txt: file too large"), "{}", r.stderr);
}
