//! Ctrl-C: the run's context object reports no budget left once the user
//! interrupts, so the engine stops with its instruction count.
//!
//! The `ctrlc` crate runs the handler on an ordinary thread (no code runs in
//! signal context); the handler only sets a flag. The engines consult the
//! context's budget when a run starts and after every builtin call, so a
//! program that calls builtins stops at the next call and the tool reports
//! the exact count. A loop that calls no builtin is not observed: if the run
//! has not stopped a second after Ctrl-C, the handler ends the process with
//! status 130 and says that the count is unknown.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ebpfvm::{Budget, ContextObject};

use crate::report::{Json, EXIT_INTERRUPTED};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static FINISHED: AtomicBool = AtomicBool::new(false);

/// How long the handler waits for the engine to notice.
const GRACE: Duration = Duration::from_secs(1);

/// Installs the Ctrl-C handler for one `run` command.
pub fn install(json: bool) {
    // Fails only if a handler is already installed; then Ctrl-C keeps the
    // default behaviour (terminate), which is still a stop.
    let _ = ctrlc::set_handler(move || {
        INTERRUPTED.store(true, Ordering::SeqCst);
        std::thread::sleep(GRACE);
        if FINISHED.load(Ordering::SeqCst) {
            return;
        }
        let message = "interrupted; the program made no builtin call since, so the engine \
                       did not stop and its instruction count is unknown";
        if json {
            println!(
                "{}",
                Json::new()
                    .str("result", "interrupted")
                    .str("message", message)
                    .finish()
            );
        } else {
            println!("interrupted: {message}");
        }
        std::process::exit(EXIT_INTERRUPTED.into());
    });
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Marks the runs as finished: the handler leaves reporting to the caller.
pub fn finished() {
    FINISHED.store(true, Ordering::SeqCst);
}

/// The context object of the tool's runs: an instruction budget that reads
/// as exhausted once Ctrl-C is pressed.
#[derive(Clone, Copy, Debug)]
pub struct RunContext {
    budget: Budget,
}

impl RunContext {
    /// A context with `instructions` to spend.
    pub fn new(instructions: u64) -> Self {
        RunContext {
            budget: Budget::new(instructions),
        }
    }
}

impl ContextObject for RunContext {
    fn consume(&mut self, amount: u64) {
        self.budget.consume(amount);
    }

    fn remaining(&self) -> u64 {
        if interrupted() {
            0
        } else {
            self.budget.remaining()
        }
    }
}
