//! The `const` [`Rules`] of every dialect: RFC 9669 eBPF and each SBPF
//! version of the two reference crates (see the table in the module docs).

use super::rules::{Alu32Extension, CallImm, CallxOperand, DivisionByZero, Rules, StackFrames};

/// RFC 9669 eBPF, ebpfvm's default semantics.
pub(super) const EBPF: Rules = Rules {
    name: "ebpf",
    stack_frames: StackFrames::Ebpf,
    stack_frame_size: None,
    max_call_depth: None,
    swap_sub_imm: false,
    pqr: false,
    rfc_signed_division: true,
    alu32_extension: Alu32Extension::ZeroExtend,
    lmul32_sign_extends: false,
    lddw: true,
    le: true,
    neg: true,
    moved_memory_classes: false,
    jmp32: true,
    isa_v4_extensions: true,
    atomics: true,
    packet_loads: true,
    callx: Some(CallxOperand::Dst),
    reject_callx_r10: false,
    call_imm: CallImm::Helper,
    division_by_zero: DivisionByZero::RfcResult,
    reject_zero_divisor_imm: false,
    signed_division_overflow_error: false,
    reject_out_of_range_shift_imm: false,
    r2_input_length: true,
    exit_checks_meter: false,
    rodata_at_zero: false,
    strict_elf_headers: false,
    elf_vaddr: false,
    aligned_memory_only: false,
    e_flags: None,
};

/// The SBPF legacy format, shared by `solana_rbpf` V1 and `solana-sbpf` V0.
const SBPF_LEGACY: Rules = Rules {
    name: "sbpf-v0",
    stack_frames: StackFrames::Fixed { gaps: true },
    stack_frame_size: Some(4096),
    max_call_depth: Some(64),
    swap_sub_imm: false,
    pqr: false,
    rfc_signed_division: false,
    alu32_extension: Alu32Extension::SignExtendArithmetic,
    lmul32_sign_extends: false,
    lddw: true,
    le: true,
    neg: true,
    moved_memory_classes: false,
    jmp32: false,
    isa_v4_extensions: false,
    atomics: false,
    packet_loads: false,
    callx: Some(CallxOperand::Imm),
    reject_callx_r10: true,
    call_imm: CallImm::Hashed,
    division_by_zero: DivisionByZero::Error,
    reject_zero_divisor_imm: true,
    signed_division_overflow_error: false,
    reject_out_of_range_shift_imm: true,
    r2_input_length: false,
    exit_checks_meter: true,
    rodata_at_zero: false,
    strict_elf_headers: false,
    elf_vaddr: false,
    aligned_memory_only: false,
    e_flags: Some(0),
};

/// `solana_rbpf` 0.8.5 V1.
pub(super) const RBPF_V1: Rules = Rules {
    name: "rbpf-v1",
    ..SBPF_LEGACY
};

/// `solana_rbpf` 0.8.5 V2.
pub(super) const RBPF_V2: Rules = Rules {
    name: "rbpf-v2",
    stack_frames: StackFrames::Dynamic { bump_register: 11 },
    swap_sub_imm: true,
    pqr: true,
    lmul32_sign_extends: true,
    lddw: false,
    le: false,
    neg: false,
    callx: Some(CallxOperand::Src),
    call_imm: CallImm::StaticByKey,
    signed_division_overflow_error: true,
    elf_vaddr: true,
    e_flags: Some(0x20),
    ..SBPF_LEGACY
};

/// `solana-sbpf` V0.
pub(super) const SBPF_V0: Rules = SBPF_LEGACY;

/// `solana-sbpf` V1: V0 with dynamic stack frames (SIMD-0166).
pub(super) const SBPF_V1: Rules = Rules {
    name: "sbpf-v1",
    stack_frames: StackFrames::Dynamic { bump_register: 10 },
    e_flags: Some(1),
    ..SBPF_LEGACY
};

/// `solana-sbpf` V2: V1 with SIMD-0173/0174.
pub(super) const SBPF_V2: Rules = Rules {
    name: "sbpf-v2",
    swap_sub_imm: true,
    pqr: true,
    alu32_extension: Alu32Extension::Explicit,
    lmul32_sign_extends: false,
    lddw: false,
    le: false,
    neg: false,
    moved_memory_classes: true,
    callx: Some(CallxOperand::Src),
    signed_division_overflow_error: true,
    e_flags: Some(2),
    ..SBPF_V1
};

/// `solana-sbpf` V3: fixed frames without gaps, static syscalls,
/// pc-relative calls, strict ELF, JMP32, `callx` in `dst`.
pub(super) const SBPF_V3: Rules = Rules {
    name: "sbpf-v3",
    stack_frames: StackFrames::Fixed { gaps: false },
    jmp32: true,
    callx: Some(CallxOperand::Dst),
    call_imm: CallImm::StaticPcRelative,
    rodata_at_zero: true,
    strict_elf_headers: true,
    elf_vaddr: true,
    e_flags: Some(3),
    ..SBPF_LEGACY
};

/// `solana-sbpf` V4: V3 with aligned memory only (SIMD-0177).
pub(super) const SBPF_V4: Rules = Rules {
    name: "sbpf-v4",
    aligned_memory_only: true,
    e_flags: Some(4),
    ..SBPF_V3
};
