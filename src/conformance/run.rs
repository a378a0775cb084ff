//! Running one parsed test case in one engine and judging the outcome.

use alloc::string::ToString;
use alloc::vec;
use core::fmt;

use super::{runtime, Expected, TestCase};
use crate::config::Config;
use crate::engine::{Budget, Engine, Trap};
use crate::program::Executable;
use crate::verifier::VerifierError;
use crate::vm::{EbpfVm, Prepared};

/// Why a case did not pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The assembly did not assemble.
    Assemble(crate::asm::AsmError),
    /// The verifier rejected a program that should run.
    Rejected(VerifierError),
    /// The engine could not be prepared (e.g. JIT compilation failed).
    Engine(crate::error::Error),
    /// The program trapped instead of returning the expected value.
    Trapped {
        /// The expected `r0`.
        expected: u64,
        /// The trap.
        trap: Trap,
    },
    /// The program returned the wrong value.
    WrongResult {
        /// The expected `r0`.
        expected: u64,
        /// The actual `r0`.
        actual: u64,
    },
    /// The program ran to completion although an error was expected.
    UnexpectedSuccess {
        /// The actual `r0`.
        actual: u64,
    },
    /// The program failed, but not with the expected error message.
    WrongError,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Assemble(e) => write!(f, "assembly error: {e}"),
            Failure::Rejected(e) => write!(f, "rejected by the verifier: {e}"),
            Failure::Engine(e) => write!(f, "engine unavailable: {e}"),
            Failure::Trapped { expected, trap } => {
                write!(f, "expected {expected:#x}, trapped: {trap}")
            }
            Failure::WrongResult { expected, actual } => {
                write!(f, "expected {expected:#x}, got {actual:#x}")
            }
            Failure::UnexpectedSuccess { actual } => {
                write!(f, "expected an error, got {actual:#x}")
            }
            Failure::WrongError => write!(f, "failed with a different error than expected"),
        }
    }
}

/// The judgement of one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The outcome matched the expectation.
    Passed,
    /// It did not.
    Failed(Failure),
    /// The suite's own rules skip the file (no expectation, or no program).
    Skipped(&'static str),
}

/// Runs `case` with `config` (and helper 5) in `engine`, with a budget of
/// `budget` instructions, and judges the outcome. An `-- error` case passes
/// when the program is rejected or traps with a message that contains the
/// expected text.
pub fn run_case(case: &TestCase, config: Config, engine: Engine, budget: u64) -> Verdict {
    let Some(expected) = &case.expected else {
        return Verdict::Skipped("no result or error section");
    };
    if !case.has_program() {
        return Verdict::Skipped("no instructions");
    }
    let expects_error = matches!(expected, Expected::Error(_));
    let code = match case.bytecode() {
        Ok(code) => code,
        Err(e) if expects_error => return judge_error(expected, &e),
        Err(e) => return Verdict::Failed(Failure::Assemble(e)),
    };
    let runtime = runtime::<Budget>(config);
    let exe = match Executable::from_bytecode(&code, &runtime) {
        Ok(exe) => exe,
        Err(e) if expects_error => return judge_error(expected, &e),
        Err(e) => return Verdict::Failed(Failure::Rejected(e)),
    };
    let prepared = match Prepared::new(engine, &exe) {
        Ok(prepared) => prepared,
        Err(e) => return Verdict::Failed(Failure::Engine(e.into())),
    };
    let mut stack = vec![0u8; config.stack_size()];
    let mut data = exe.data_template().to_vec();
    let mut input = case.mem.clone();
    let mut context = Budget::new(budget);
    let outcome = match exe.standard_mapping(&mut stack, &mut data, &mut input) {
        Ok(mapping) => EbpfVm::new(&exe, &mut context, mapping).execute(&prepared),
        Err(e) => return Verdict::Failed(Failure::Engine(e.into())),
    };
    judge(expected, outcome.result)
}

fn judge(expected: &Expected, result: Result<u64, Trap>) -> Verdict {
    match (expected, result) {
        (Expected::Result(e), Ok(actual)) if *e == actual => Verdict::Passed,
        (Expected::Result(e), Ok(actual)) => Verdict::Failed(Failure::WrongResult {
            expected: *e,
            actual,
        }),
        (Expected::Result(e), Err(trap)) => {
            Verdict::Failed(Failure::Trapped { expected: *e, trap })
        }
        (Expected::Error(_), Err(trap)) => judge_error(expected, &trap),
        (Expected::Error(_), Ok(actual)) => Verdict::Failed(Failure::UnexpectedSuccess { actual }),
    }
}

/// Passes when the error's message contains the expected text.
fn judge_error(expected: &Expected, error: &dyn fmt::Display) -> Verdict {
    match expected {
        Expected::Error(text) if error.to_string().contains(text.trim()) => Verdict::Passed,
        _ => Verdict::Failed(Failure::WrongError),
    }
}
