//! Parser of the `.data` file format.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// What a test case expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// `r0` at exit.
    Result(u64),
    /// The program must be rejected or trap; the text is the suite's message.
    Error(String),
}

/// One parsed test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// The `-- asm` section (may be empty when `raw` is given).
    pub asm: String,
    /// The `-- raw` section as bytecode; replaces the assembly when present.
    pub raw: Option<Vec<u8>>,
    /// The `-- mem` section: the input memory.
    pub mem: Vec<u8>,
    /// The expectation, or `None` when the file has neither `result` nor `error`
    /// (the suite skips such files).
    pub expected: Option<Expected>,
}

impl TestCase {
    /// The program's bytecode: the raw words if present, else the assembly.
    #[cfg(feature = "asm")]
    pub fn bytecode(&self) -> Result<Vec<u8>, crate::asm::AsmError> {
        match &self.raw {
            Some(raw) => Ok(raw.clone()),
            None => crate::asm::assemble(&self.asm),
        }
    }

    /// Whether the file has no instructions (the suite skips such files).
    pub fn has_program(&self) -> bool {
        self.raw.as_ref().is_some_and(|r| !r.is_empty()) || !self.asm.trim().is_empty()
    }
}

/// Why a `.data` file could not be parsed (line numbers are 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ParseError {
    /// A `--` line with no known directive (the suite skips the whole file).
    UnknownDirective {
        /// The 1-based line number.
        line: usize,
    },
    /// A `-- raw` word that is not a decimal or `0x` hex u64.
    BadRawWord {
        /// The 1-based line number.
        line: usize,
    },
    /// A `-- mem` byte that is not two hex digits.
    BadMemByte {
        /// The 1-based line number.
        line: usize,
    },
    /// A `-- result` line that is not a u64.
    BadResult {
        /// The 1-based line number.
        line: usize,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParseError::UnknownDirective { line } => write!(f, "line {line}: unknown directive"),
            ParseError::BadRawWord { line } => write!(f, "line {line}: bad raw instruction word"),
            ParseError::BadMemByte { line } => write!(f, "line {line}: bad memory byte"),
            ParseError::BadResult { line } => write!(f, "line {line}: bad result value"),
        }
    }
}

impl core::error::Error for ParseError {}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Asm,
    Result,
    Mem,
    Raw,
    Ignored,
    Error,
}

fn directive(line: &str) -> Option<Section> {
    // Substring matching in the suite's order.
    [
        ("asm", Section::Asm),
        ("result", Section::Result),
        ("mem", Section::Mem),
        ("raw", Section::Raw),
        ("no register offset", Section::Ignored),
        (" c", Section::Ignored),
        ("error", Section::Error),
    ]
    .into_iter()
    .find(|(key, _)| line.contains(key))
    .map(|(_, s)| s)
}

fn parse_u64(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.contains("0x") {
        let hex = t.trim_start_matches("0x");
        u64::from_str_radix(hex, 16).ok()
    } else {
        t.parse().ok()
    }
}

/// Parses the text of one `.data` file.
///
/// ```
/// use ebpfvm::conformance::{parse, Expected};
/// let case = parse("-- asm\nmov %r0, 1\nexit\n-- mem\n00 ff\n-- result\n0x1\n")?;
/// assert_eq!(case.mem, vec![0x00, 0xff]);
/// assert_eq!(case.expected, Some(Expected::Result(1)));
/// # Ok::<(), ebpfvm::conformance::ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<TestCase, ParseError> {
    let mut section = Section::None;
    let mut asm = String::new();
    let mut raw: Option<Vec<u8>> = None;
    let mut mem = Vec::new();
    let mut result = None;
    let mut error: Option<String> = None;
    for (index, full) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = full.strip_suffix('\r').unwrap_or(full);
        let line = line.split('#').next().unwrap_or("");
        if line.contains("--") {
            section = directive(line).ok_or(ParseError::UnknownDirective { line: line_no })?;
            if section == Section::Raw {
                raw.get_or_insert_with(Vec::new);
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match section {
            Section::None | Section::Ignored => {}
            Section::Asm => {
                asm.push_str(line);
                asm.push('\n');
            }
            Section::Raw => {
                let words = raw.get_or_insert_with(Vec::new);
                for word in line.split_whitespace() {
                    let w = parse_u64(word).ok_or(ParseError::BadRawWord { line: line_no })?;
                    words.extend_from_slice(&w.to_le_bytes());
                }
            }
            Section::Mem => {
                for byte in line.split_whitespace() {
                    let b = u8::from_str_radix(byte, 16)
                        .map_err(|_| ParseError::BadMemByte { line: line_no })?;
                    mem.push(b);
                }
            }
            Section::Result => {
                result = Some(parse_u64(line).ok_or(ParseError::BadResult { line: line_no })?);
            }
            Section::Error => {
                let msg = error.get_or_insert_with(String::new);
                if !msg.is_empty() {
                    msg.push('\n');
                }
                msg.push_str(line.trim_end());
            }
        }
    }
    let expected = match (result, error) {
        (_, Some(msg)) => Some(Expected::Error(msg)),
        (Some(value), None) => Some(Expected::Result(value)),
        (None, None) => None,
    };
    Ok(TestCase {
        asm,
        raw,
        mem,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_comments_and_last_result_win() {
        let text = "# header -- not a directive? no: comments go first\n\
                    -- asm\nmov %r0, 2 # two\nexit\n\
                    -- raw\n0x00000002000000b7 149\n\
                    -- result\n5\n0x10\n";
        let case = parse(text).unwrap();
        assert_eq!(case.asm, "mov %r0, 2 \nexit\n");
        assert_eq!(case.raw.as_deref().map(|r| r.len()), Some(16), "two words");
        assert_eq!(case.raw.as_ref().unwrap()[8], 149);
        assert_eq!(case.expected, Some(Expected::Result(0x10)));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse("-- asm\nexit\n-- weird\n"),
            Err(ParseError::UnknownDirective { line: 3 })
        );
        assert_eq!(
            parse("-- mem\n0g\n"),
            Err(ParseError::BadMemByte { line: 2 })
        );
        assert_eq!(
            parse("-- result\nxyz\n"),
            Err(ParseError::BadResult { line: 2 })
        );
        assert_eq!(
            parse("-- raw\n0xzz\n"),
            Err(ParseError::BadRawWord { line: 2 })
        );
    }

    #[test]
    fn error_section_and_ignored_sections() {
        let case = parse("-- asm\nexit\n-- c\nint x;\n-- error\nbad thing\n").unwrap();
        assert_eq!(case.expected, Some(Expected::Error("bad thing".into())));
        assert_eq!(case.asm, "exit\n");
        let none = parse("-- asm\nexit\n").unwrap();
        assert_eq!(none.expected, None);
        assert!(!parse("-- result\n1\n").unwrap().has_program());
    }
}
