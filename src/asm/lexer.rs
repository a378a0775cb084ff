//! Splitting one source line into tokens.
//!
//! Comments start at the first `#`, `;` or `//` and run to the end of the line.
//! What remains is split into words (mnemonics, registers, labels), numbers
//! (kept as text; the parser converts them once it knows the field) and the
//! punctuation `, : + - [ ]`. Whitespace separates tokens and is otherwise
//! ignored. Nothing here interprets a word.

use alloc::vec::Vec;

use super::error::AsmError;

/// One token of a line. Words and numbers borrow the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// Starts with a letter, `_`, `.` or `%`; continues with letters, digits, `_` and `.`.
    Word(&'a str),
    /// Starts with a digit; continues with letters and digits (`0x1f`, `42`).
    Number(&'a str),
    Comma,
    Colon,
    Plus,
    Minus,
    LBracket,
    RBracket,
}

/// The line without its comment.
pub(super) fn strip_comment(line: &str) -> &str {
    let mut end = line.len();
    for marker in ["#", ";", "//"] {
        if let Some(i) = line.find(marker) {
            end = end.min(i);
        }
    }
    &line[..end]
}

fn word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '.' || c == '%'
}

fn word_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Splits a line (comment included) into tokens. `line_no` is only used in errors.
pub(super) fn tokenize(line: &str, line_no: usize) -> Result<Vec<Token<'_>>, AsmError> {
    let text = strip_comment(line);
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let punct = match c {
            ',' => Some(Token::Comma),
            ':' => Some(Token::Colon),
            '+' => Some(Token::Plus),
            '-' => Some(Token::Minus),
            '[' => Some(Token::LBracket),
            ']' => Some(Token::RBracket),
            _ => None,
        };
        if let Some(tok) = punct {
            tokens.push(tok);
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let number = c.is_ascii_digit();
        if !number && !word_start(c) {
            return Err(AsmError::UnexpectedCharacter {
                line: line_no,
                ch: c,
            });
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            let more = if number {
                next.is_ascii_alphanumeric()
            } else {
                word_continue(next)
            };
            if !more {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        let s = &text[start..end];
        tokens.push(if number {
            Token::Number(s)
        } else {
            Token::Word(s)
        });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::Token::*;
    use super::*;

    #[test]
    fn comments_of_all_three_dialects_are_stripped() {
        assert_eq!(strip_comment("mov r0, 1 # x ; y"), "mov r0, 1 ");
        assert_eq!(strip_comment("exit ; done"), "exit ");
        assert_eq!(strip_comment("exit // done # again"), "exit ");
        assert_eq!(strip_comment("# only"), "");
    }

    #[test]
    fn memory_operand_and_signed_target() {
        assert_eq!(
            tokenize("stxdw [%r10 - 8], r1", 1),
            Ok(alloc::vec![
                Word("stxdw"),
                LBracket,
                Word("%r10"),
                Minus,
                Number("8"),
                RBracket,
                Comma,
                Word("r1"),
            ])
        );
        assert_eq!(
            tokenize("ja +0x1f", 1),
            Ok(alloc::vec![Word("ja"), Plus, Number("0x1f")])
        );
    }

    #[test]
    fn label_definition_and_stray_characters() {
        assert_eq!(tokenize("lbb_3:", 1), Ok(alloc::vec![Word("lbb_3"), Colon]));
        assert_eq!(
            tokenize("mov r0, @", 7),
            Err(AsmError::UnexpectedCharacter { line: 7, ch: '@' })
        );
        assert_eq!(
            tokenize("mov r0, é", 2),
            Err(AsmError::UnexpectedCharacter { line: 2, ch: 'é' })
        );
    }
}
