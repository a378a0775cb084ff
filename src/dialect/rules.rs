//! [`Rules`]: the fields of one dialect's semantic table, and the small enums
//! that name the alternatives of a rule. The values per dialect live in
//! `tables.rs`; the meaning of each rule is documented here, once.

/// How the result of a 32-bit ALU operation becomes the 64-bit register value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Alu32Extension {
    /// RFC 9669: every 32-bit result is zero-extended.
    ZeroExtend,
    /// SBPF legacy: `add32`, `sub32` and `mul32` (and `lmul32` where
    /// [`Rules::lmul32_sign_extends`]) sign-extend their 32-bit result; the
    /// other 32-bit operations zero-extend.
    SignExtendArithmetic,
    /// SBPF with explicit sign extension (SIMD-0174): every 32-bit result is
    /// zero-extended, and `mov32 dst, src` sign-extends instead.
    Explicit,
}

/// Where `callx` finds the register holding its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CallxOperand {
    /// The register number is the `imm` field.
    Imm,
    /// The register is the `src` field.
    Src,
    /// The register is the `dst` field.
    Dst,
}

/// What the `imm` of `call imm` means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CallImm {
    /// RFC 9669: `src = 0` calls helper `imm`, `src = 1` the local function at
    /// `pc + 1 + imm`.
    Helper,
    /// SBPF legacy: `imm` is a key; a syscall registered under that key is
    /// called first, else the function registered under it (the ELF loader
    /// keys functions by Murmur3-32 of their pc). Neither: unsupported
    /// instruction at run time.
    Hashed,
    /// `solana_rbpf` 0.8.5 V2 static syscalls: `src = 0` calls the syscall
    /// keyed `imm`, any other `src` the function keyed `imm`.
    StaticByKey,
    /// `solana-sbpf` V3+: `src = 0` calls the syscall keyed `imm`, `src = 1`
    /// the function at `pc + 1 + imm`.
    StaticPcRelative,
}

/// What an integer division (or remainder) by zero does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DivisionByZero {
    /// RFC 9669: the quotient is 0, the remainder is the dividend.
    RfcResult,
    /// SBPF: the program stops with a division-by-zero error (a zero
    /// immediate divisor is refused by the verifier).
    Error,
}

/// How call frames are laid out on the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum StackFrames {
    /// RFC 9669 (ebpfvm's layout): each call gets the next frame of
    /// [`Config::stack_frame_size`](crate::Config) bytes, growing downwards.
    Ebpf,
    /// SBPF fixed frames: frames ascend from the stack's start; each call
    /// moves `r10` up by one frame (two when `gaps`: every other frame is an
    /// unmapped gap, so an overflow faults).
    Fixed {
        /// Whether frames are separated by gaps of one frame.
        gaps: bool,
    },
    /// SBPF dynamic frames: the stack is one descending region; calls leave
    /// the frame pointer alone and the program moves it itself with
    /// `add64 rN, imm` on the register named here.
    Dynamic {
        /// The register `add64 reg, imm` moves the stack pointer through
        /// (`r11` in `solana_rbpf` 0.8.5, `r10` in `solana-sbpf`).
        bump_register: u8,
    },
}

/// One dialect's semantic table: every rule on which the verifier, the
/// interpreters and the JIT must agree. Obtained with
/// [`Dialect::rules`](super::Dialect::rules); the values are `const`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct Rules {
    /// Short name (`ebpf`, `rbpf-v1`, `sbpf-v2`, …).
    pub name: &'static str,
    /// Call frame layout.
    pub stack_frames: StackFrames,
    /// Fixed stack frame size, if the dialect fixes one (SBPF: 4096);
    /// `None`: [`Config::stack_frame_size`](crate::Config).
    pub stack_frame_size: Option<usize>,
    /// Fixed maximum call depth, entry frame included (SBPF: 64);
    /// `None`: [`Config::max_call_depth`](crate::Config).
    pub max_call_depth: Option<usize>,
    /// `sub dst, imm` computes `imm - dst` (SIMD-0174).
    pub swap_sub_imm: bool,
    /// The PQR class (`0x06`): `lmul`, `uhmul`, `shmul`, `udiv`, `urem`,
    /// `sdiv`, `srem`; and `mul`/`div`/`mod` removed from the ALU classes.
    pub pqr: bool,
    /// RFC 9669's signed `sdiv`/`smod` (ALU `div`/`mod` with `offset = 1`).
    pub rfc_signed_division: bool,
    /// How 32-bit results are extended.
    pub alu32_extension: Alu32Extension,
    /// `lmul32` sign-extends its result (only meaningful with [`Self::pqr`]).
    pub lmul32_sign_extends: bool,
    /// `lddw` (two slots) exists; when `false`, `hor64` (`0xf7`: `dst |= imm << 32`) replaces it.
    pub lddw: bool,
    /// `le` (`0xd4`) exists.
    pub le: bool,
    /// `neg32`/`neg64` exist.
    pub neg: bool,
    /// Loads and stores are encoded in the ALU classes (SIMD-0173).
    pub moved_memory_classes: bool,
    /// The JMP32 class exists.
    pub jmp32: bool,
    /// RFC 9669 sign-extending loads (`ldxs*`), `movsx`, `bswap` and the
    /// other ISA v4 additions.
    pub isa_v4_extensions: bool,
    /// Atomic operations exist.
    pub atomics: bool,
    /// The legacy packet loads (`ldabs*`/`ldind*`) exist.
    pub packet_loads: bool,
    /// Where `callx` takes its target register from (`None`: no `callx`).
    pub callx: Option<CallxOperand>,
    /// Whether `callx r10` is refused by the verifier.
    pub reject_callx_r10: bool,
    /// What `call imm` means.
    pub call_imm: CallImm,
    /// What division by a zero register does.
    pub division_by_zero: DivisionByZero,
    /// The verifier refuses `div`/`mod`/`udiv`/`urem`/`sdiv`/`srem` by a zero immediate.
    pub reject_zero_divisor_imm: bool,
    /// Signed division `MIN / -1` (and remainder) stops with a
    /// division-overflow error instead of wrapping.
    pub signed_division_overflow_error: bool,
    /// The verifier refuses a shift by an immediate not below the operand
    /// width; register shift amounts are always masked to the width.
    pub reject_out_of_range_shift_imm: bool,
    /// `r2` at entry holds the input length (ebpfvm's RFC convention); when
    /// `false` it is 0, as in the SBPF references.
    pub r2_input_length: bool,
    /// `exit` at depth 0 with an exhausted meter fails (SBPF checks the
    /// meter before returning).
    pub exit_checks_meter: bool,
    /// Read-only data is mapped at address 0 (SIMD-0189 "lower rodata
    /// vaddr"); otherwise together with the text at `0x1_0000_0000`.
    pub rodata_at_zero: bool,
    /// The loader enforces the strict ELF header layout (SIMD-0189).
    pub strict_elf_headers: bool,
    /// Sections may have `sh_addr != sh_offset` (`solana_rbpf` V2 "elf vaddr").
    pub elf_vaddr: bool,
    /// The mapping is aligned-only (each region starts at `slot << 32`, SIMD-0177).
    pub aligned_memory_only: bool,
    /// `e_flags` the references write for this version (`None`: not SBPF).
    pub e_flags: Option<u32>,
}

impl Rules {
    /// Stack bytes per frame under `config`.
    pub const fn frame_size(&self, config_frame_size: usize) -> usize {
        match self.stack_frame_size {
            Some(size) => size,
            None => config_frame_size,
        }
    }

    /// Maximum call depth under `config`.
    pub const fn call_depth(&self, config_call_depth: usize) -> usize {
        match self.max_call_depth {
            Some(depth) => depth,
            None => config_call_depth,
        }
    }

    /// The 64-bit value an `add32`/`sub32`/`mul32` 32-bit result becomes.
    #[inline(always)]
    pub const fn extend_arith32(&self, value: u32) -> u64 {
        match self.alu32_extension {
            Alu32Extension::SignExtendArithmetic => value as i32 as i64 as u64,
            Alu32Extension::ZeroExtend | Alu32Extension::Explicit => value as u64,
        }
    }

    /// The 64-bit value `mov32 dst, src` writes.
    #[inline(always)]
    pub const fn mov32_reg(&self, src: u64) -> u64 {
        match self.alu32_extension {
            Alu32Extension::Explicit => src as u32 as i32 as i64 as u64,
            Alu32Extension::ZeroExtend | Alu32Extension::SignExtendArithmetic => src as u32 as u64,
        }
    }

    /// The 64-bit value an `lmul32` result becomes.
    #[inline(always)]
    pub const fn extend_lmul32(&self, value: u32) -> u64 {
        if self.lmul32_sign_extends {
            value as i32 as i64 as u64
        } else {
            value as u64
        }
    }

    /// `sub dst, imm` on 64 bits.
    #[inline(always)]
    pub const fn sub64_imm(&self, dst: u64, imm: i32) -> u64 {
        if self.swap_sub_imm {
            (imm as i64 as u64).wrapping_sub(dst)
        } else {
            dst.wrapping_sub(imm as i64 as u64)
        }
    }

    /// `sub32 dst, imm`, extended as this dialect extends it.
    #[inline(always)]
    pub const fn sub32_imm(&self, dst: u64, imm: i32) -> u64 {
        let value = if self.swap_sub_imm {
            (imm as u32).wrapping_sub(dst as u32)
        } else {
            (dst as u32).wrapping_sub(imm as u32)
        };
        self.extend_arith32(value)
    }

    /// The register a `callx` with these fields calls through.
    #[inline(always)]
    pub const fn callx_register(&self, dst: u8, src: u8, imm: i32) -> Option<u8> {
        match self.callx {
            Some(CallxOperand::Dst) => Some(dst),
            Some(CallxOperand::Src) => Some(src),
            Some(CallxOperand::Imm) => {
                if imm >= 0 && imm <= 10 {
                    Some(imm as u8)
                } else {
                    None
                }
            }
            None => None,
        }
    }
}
