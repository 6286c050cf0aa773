//! The one place the CLI writes to stdout and stderr.
//!
//! The library denies `clippy::print_stdout` so that nothing but protocol
//! messages can reach the language server's stdout; the CLI writes through a
//! locked, buffered [`Stdout`] here instead of `println!`. A closed pipe
//! (`nianbao check dir | head`) is not an error: output stops quietly and the
//! exit code still reflects the check. Any other write error is reported.

use std::io::{self, BufWriter, ErrorKind, StdoutLock, Write};

/// Buffered stdout that swallows `BrokenPipe`.
pub struct Stdout {
    inner: BufWriter<StdoutLock<'static>>,
    closed: bool,
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout { inner: BufWriter::new(io::stdout().lock()), closed: false }
    }

    /// Writes `s`; after the reader went away, does nothing.
    pub fn write(&mut self, s: &str) -> io::Result<()> {
        self.write_bytes(s.as_bytes())
    }

    /// Writes `bytes`; after the reader went away, does nothing.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.write_all(bytes);
        self.absorb_broken_pipe(result)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb_broken_pipe(result)
    }

    fn absorb_broken_pipe(&mut self, result: io::Result<()>) -> io::Result<()> {
        match result {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl Drop for Stdout {
    fn drop(&mut self) {
        // BufWriter would flush on drop too, but could hit the closed pipe;
        // errors here have nowhere left to go.
        let _ = self.flush();
    }
}

/// Writes `s` to stderr; failures to write diagnostics about failures are
/// ignored (there is no better channel).
pub fn stderr(s: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(s.as_bytes());
    let _ = err.flush();
}

/// `nianbao: path: reason` on stderr.
pub fn file_error(path: &str, message: &str) {
    stderr(&format!("nianbao: {path}: {message}\n"));
}

/// `nianbao: message` on stderr.
pub fn error(message: &str) {
    stderr(&format!("nianbao: {message}\n"));
}
