//! How the tool reports: exit statuses, failures (plain or `--json`) and a
//! small JSON writer.
//!
//! Every failure is a [`Failure`]: the stage that rejected something, the pc
//! or source line when there is one, and a message naming what was rejected.
//! With `--json` it prints as one line on stdout,
//! `{"result":"error","stage":"verify","pc":3,"message":"..."}`; without, as
//! `ebpfvm: message` on stderr.

use std::fmt::Write;

/// Success.
pub const EXIT_OK: u8 = 0;
/// The program trapped (a fault, or the instruction budget ran out), or a
/// conformance case failed.
pub const EXIT_TRAP: u8 = 1;
/// The command line is wrong (clap's own usage errors use 2 as well).
pub const EXIT_USAGE: u8 = 2;
/// The program or its input was rejected: unreadable, does not assemble,
/// ELF or verifier error, JIT compilation error, input too large.
pub const EXIT_REJECTED: u8 = 3;
/// Output could not be produced: a file cannot be written, Graphviz `dot`
/// is missing or failed.
pub const EXIT_OUTPUT: u8 = 4;
/// Interrupted by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// The stage a failure happened in (the `stage` field of JSON errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The command line.
    Usage,
    /// Reading a file.
    Read,
    /// The input memory (`--mem`, `--mem-hex`).
    Input,
    /// The assembler.
    Assemble,
    /// The ELF loader.
    Load,
    /// The verifier.
    Verify,
    /// JIT compilation.
    Jit,
    /// Writing output or running a renderer.
    Output,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Usage => "usage",
            Stage::Read => "read",
            Stage::Input => "input",
            Stage::Assemble => "assemble",
            Stage::Load => "load",
            Stage::Verify => "verify",
            Stage::Jit => "jit",
            Stage::Output => "output",
        }
    }

    /// The exit status of a failure in this stage.
    pub fn exit_code(self) -> u8 {
        match self {
            Stage::Usage => EXIT_USAGE,
            Stage::Output => EXIT_OUTPUT,
            _ => EXIT_REJECTED,
        }
    }
}

/// A failure of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Where it happened.
    pub stage: Stage,
    /// The pc (slot index) of the offending instruction, if any.
    pub pc: Option<usize>,
    /// The 1-based source line (assembler), if any.
    pub line: Option<usize>,
    /// What was rejected and why.
    pub message: String,
}

impl Failure {
    /// A failure with neither pc nor line.
    pub fn new(stage: Stage, message: impl Into<String>) -> Self {
        Failure {
            stage,
            pc: None,
            line: None,
            message: message.into(),
        }
    }

    /// Adds the pc.
    pub fn at_pc(mut self, pc: Option<usize>) -> Self {
        self.pc = pc;
        self
    }

    /// Adds the source line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The one-line JSON form.
    pub fn to_json(&self) -> String {
        let mut json = Json::new();
        json.str("result", "error").str("stage", self.stage.name());
        if let Some(pc) = self.pc {
            json.num("pc", pc as u64);
        }
        if let Some(line) = self.line {
            json.num("line", line as u64);
        }
        json.str("message", &self.message);
        json.finish()
    }

    /// Prints the failure (JSON on stdout, or text on stderr) and returns
    /// its exit status.
    pub fn report(&self, json: bool) -> u8 {
        if json {
            println!("{}", self.to_json());
        } else {
            eprintln!("ebpfvm: {}", self.message);
        }
        self.stage.exit_code()
    }
}

/// Writes `text` to stdout; a closed pipe (`ebpfvm disasm x | head`) ends
/// the output quietly instead of panicking like `print!`.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Prints the outcome of a command: `Ok(status)` as is, a failure reported.
pub fn finish(result: Result<u8, Failure>, json: bool) -> u8 {
    match result {
        Ok(status) => status,
        Err(failure) => failure.report(json),
    }
}

/// Builds one JSON object, field by field, in order.
#[derive(Default)]
pub struct Json {
    out: String,
}

impl Json {
    /// An empty object.
    pub fn new() -> Self {
        Json::default()
    }

    fn key(&mut self, key: &str) -> &mut String {
        self.out.push(if self.out.is_empty() { '{' } else { ',' });
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        &mut self.out
    }

    /// A string field.
    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        let out = self.key(key);
        out.push('"');
        out.push_str(&escape(value));
        out.push('"');
        self
    }

    /// A number field.
    pub fn num(&mut self, key: &str, value: u64) -> &mut Self {
        let _ = write!(self.key(key), "{value}");
        self
    }

    /// A field whose value is already JSON (a number with a fraction, a
    /// boolean, an array or object).
    pub fn raw(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key).push_str(value);
        self
    }

    /// The object's text.
    pub fn finish(&mut self) -> String {
        if self.out.is_empty() {
            return "{}".into();
        }
        let mut out = std::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

/// A JSON array of already-encoded values.
pub fn array(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("[{}]", items.join(","))
}

/// Escapes a string for a JSON string literal.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escaping_and_error_shape() {
        assert_eq!(escape("a\"b\\c\n"), "a\\\"b\\\\c\\u000a");
        let f = Failure::new(Stage::Verify, "pc 3: bad \"x\"").at_pc(Some(3));
        assert_eq!(
            f.to_json(),
            r#"{"result":"error","stage":"verify","pc":3,"message":"pc 3: bad \"x\""}"#
        );
        assert_eq!(f.stage.exit_code(), EXIT_REJECTED);
        assert_eq!(Stage::Usage.exit_code(), EXIT_USAGE);
        assert_eq!(Json::new().finish(), "{}");
        assert_eq!(array(["1".into(), "2".into()]), "[1,2]");
    }
}
