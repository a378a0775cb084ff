//! The tables agree with the facts the module docs state.

use super::*;

#[test]
fn ebpf_is_the_default_and_rfc_9669() {
    let rules = Config::default().dialect.rules();
    assert_eq!(rules.name, "ebpf");
    assert_eq!(rules.division_by_zero, DivisionByZero::RfcResult);
    assert_eq!(rules.alu32_extension, Alu32Extension::ZeroExtend);
    assert!(rules.r2_input_length && rules.jmp32 && rules.lddw);
    assert_eq!(rules.extend_arith32(0x8000_0000), 0x8000_0000);
}

use crate::Config;

#[test]
fn names_round_trip_and_are_distinct() {
    for v in SbpfVersion::ALL {
        assert_eq!(SbpfVersion::from_name(v.name()), Some(v));
        assert_eq!(Dialect::Sbpf(v).rules().name, v.name());
    }
    assert_eq!(SbpfVersion::from_name("sbpf-v9"), None);
}

#[test]
fn e_flags_select_the_version() {
    assert_eq!(SbpfVersion::from_rbpf_e_flags(0), SbpfVersion::Rbpf1);
    assert_eq!(SbpfVersion::from_rbpf_e_flags(0x20), SbpfVersion::Rbpf2);
    for v in [
        SbpfVersion::V0,
        SbpfVersion::V1,
        SbpfVersion::V2,
        SbpfVersion::V3,
        SbpfVersion::V4,
    ] {
        let flags = Dialect::Sbpf(v).rules().e_flags;
        assert_eq!(flags.and_then(SbpfVersion::from_sbpf_e_flags), Some(v));
    }
    assert_eq!(SbpfVersion::from_sbpf_e_flags(5), None);
}

#[test]
fn legacy_sign_extends_arithmetic_and_explicit_does_not() {
    let v1 = Dialect::Sbpf(SbpfVersion::Rbpf1).rules();
    assert_eq!(v1.extend_arith32(0xffff_fffe), 0xffff_ffff_ffff_fffe);
    assert_eq!(v1.mov32_reg(0xffff_ffff), 0xffff_ffff);
    let v2 = Dialect::Sbpf(SbpfVersion::V2).rules();
    assert_eq!(v2.extend_arith32(0xffff_fffe), 0xffff_fffe);
    assert_eq!(v2.mov32_reg(0x8000_0000), 0xffff_ffff_8000_0000);
    assert_eq!(v2.extend_lmul32(0x8000_0000), 0x8000_0000);
    let r2 = Dialect::Sbpf(SbpfVersion::Rbpf2).rules();
    assert_eq!(r2.extend_lmul32(0x8000_0000), 0xffff_ffff_8000_0000);
}

#[test]
fn sub_imm_swaps_only_where_stated() {
    for v in SbpfVersion::ALL {
        let rules = Dialect::Sbpf(v).rules();
        let swapped = matches!(v, SbpfVersion::Rbpf2 | SbpfVersion::V2);
        assert_eq!(rules.swap_sub_imm, swapped, "{}", rules.name);
        let expect = if swapped { 7u64.wrapping_sub(10) } else { 3 };
        assert_eq!(rules.sub64_imm(10, 7), expect, "{}", rules.name);
    }
}

#[test]
fn callx_register_per_version() {
    let pick = |v| Dialect::Sbpf(v).rules().callx_register(1, 2, 3);
    assert_eq!(pick(SbpfVersion::Rbpf1), Some(3));
    assert_eq!(pick(SbpfVersion::Rbpf2), Some(2));
    assert_eq!(pick(SbpfVersion::V0), Some(3));
    assert_eq!(pick(SbpfVersion::V2), Some(2));
    assert_eq!(pick(SbpfVersion::V3), Some(1));
    let rules = Dialect::Sbpf(SbpfVersion::V0).rules();
    assert_eq!(rules.callx_register(0, 0, 11), None);
    assert_eq!(rules.callx_register(0, 0, -1), None);
}

#[test]
fn pqr_and_lddw_are_exclusive_with_their_replacements() {
    for v in SbpfVersion::ALL {
        let rules = Dialect::Sbpf(v).rules();
        // PQR shares class 0x06 with JMP32: never both.
        assert!(!(rules.pqr && rules.jmp32), "{}", rules.name);
        assert_eq!(rules.frame_size(512), 4096);
        assert_eq!(rules.call_depth(8), 64);
        assert!(!rules.r2_input_length);
        assert_eq!(rules.division_by_zero, DivisionByZero::Error);
    }
}
