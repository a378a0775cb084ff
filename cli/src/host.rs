//! The host side of the CLI: the context object and the builtins every
//! program run by the tool can call.
//!
//! | id | name | behaviour |
//! |---|---|---|
//! | 5 | `unwind` | returns `r1` (the bpf_conformance suite's helper 5) |
//! | 6 | `bpf_trace_printk` | prints the format string at `r1` (length `r2`) with `%d %u %x %s`-style conversions of `r3..r5`; returns the bytes printed |
//! | 0x100 | `log_u64` | prints `r1` in decimal and hex; returns 0 |
//! | 0x101 | `log_str` | prints the string at `r1` of length `r2`; returns 0 |

use std::io::Write;

use ebpfvm::conformance::{unwind_helper, UNWIND_HELPER_ID};
use ebpfvm::error::BuiltinError;
use ebpfvm::memory::MemoryMapping;
use ebpfvm::{Config, Runtime};

use crate::interrupt::RunContext;

/// Error code of a builtin given a guest buffer it cannot read.
const BAD_POINTER: u64 = 1;

/// The tool's builtins: id, name, function.
type Entry = (u32, &'static str, ebpfvm::builtins::BuiltinFn<RunContext>);

const BUILTINS: [Entry; 4] = [
    (UNWIND_HELPER_ID, "unwind", unwind_helper::<RunContext>),
    (6, "bpf_trace_printk", trace_printk),
    (0x100, "log_u64", log_u64),
    (0x101, "log_str", log_str),
];

/// The name of the tool's builtin `id`.
pub fn builtin_name(id: u32) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.0 == id).map(|b| b.1)
}

/// The tool's builtins as `id name, ...` for messages.
pub fn builtin_list() -> String {
    BUILTINS
        .iter()
        .map(|(id, name, _)| format!("{id:#x} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A runtime with `config` and the CLI's builtins.
pub fn runtime(config: Config) -> Runtime<RunContext> {
    let mut runtime = Runtime::new(config);
    for (id, name, func) in BUILTINS {
        // Fixed, distinct ids and names in a fresh registry: cannot fail.
        let _ = runtime.register(id, name, func);
    }
    runtime
}

fn log_u64(
    _: &mut RunContext,
    _: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    println!("log: {} ({:#x})", a[0], a[0]);
    Ok(0)
}

fn log_str(
    _: &mut RunContext,
    m: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let bytes = m
        .slice(a[0], a[1])
        .ok_or(BuiltinError { code: BAD_POINTER })?;
    println!("log: {}", String::from_utf8_lossy(bytes));
    Ok(0)
}

fn trace_printk(
    _: &mut RunContext,
    m: &mut MemoryMapping<'_>,
    a: [u64; 5],
) -> Result<u64, BuiltinError> {
    let fmt = m
        .slice(a[0], a[1])
        .ok_or(BuiltinError { code: BAD_POINTER })?;
    let fmt = fmt.split(|&b| b == 0).next().unwrap_or(&[]);
    let text = format_printk(fmt, [a[2], a[3], a[4]], m);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = out.write_all(b"\n");
    }
    Ok(text.len() as u64)
}

/// Formats a `bpf_trace_printk` format string: `%d %i %u %x %p %s %c %%`
/// with optional `l`/`ll` length modifiers; at most three arguments.
fn format_printk(fmt: &[u8], args: [u64; 3], memory: &MemoryMapping<'_>) -> String {
    let mut out = String::new();
    let mut next = args.into_iter();
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' {
            out.push(c as char);
            continue;
        }
        let mut long = 0;
        while fmt.get(i) == Some(&b'l') {
            long += 1;
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else { break };
        i += 1;
        let mut arg = || next.next().unwrap_or(0);
        match conv {
            b'%' => out.push('%'),
            b'd' | b'i' if long == 0 => out.push_str(&(arg() as i32).to_string()),
            b'd' | b'i' => out.push_str(&(arg() as i64).to_string()),
            b'u' if long == 0 => out.push_str(&(arg() as u32).to_string()),
            b'u' => out.push_str(&arg().to_string()),
            b'x' if long == 0 => out.push_str(&format!("{:x}", arg() as u32)),
            b'x' => out.push_str(&format!("{:x}", arg())),
            b'p' => out.push_str(&format!("{:#x}", arg())),
            b'c' => out.push(arg() as u8 as char),
            b's' => {
                let addr = arg();
                let s = (0..256u64)
                    .map_while(|k| memory.load::<1>(addr.wrapping_add(k)).map(|b| b[0]))
                    .take_while(|&b| b != 0)
                    .collect::<Vec<u8>>();
                out.push_str(&String::from_utf8_lossy(&s));
            }
            other => {
                out.push('%');
                out.push(other as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ebpfvm::memory::{MemoryRegion, MM_INPUT_START};

    #[test]
    fn printk_conversions() {
        let mut s = *b"hi\0";
        let m = MemoryMapping::new([MemoryRegion::writable(&mut s, MM_INPUT_START)]).unwrap();
        let out = format_printk(b"%d %u %x", [(-1i64) as u64, 7, 255], &m);
        assert_eq!(out, "-1 7 ff");
        let out = format_printk(b"%lld %s %% %q", [(-5i64) as u64, MM_INPUT_START, 0], &m);
        assert_eq!(out, "-5 hi % %q");
    }
}
