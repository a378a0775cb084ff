//! What the loader produces: placement, each relocation type, the entry
//! rule and the function table.

use alloc::vec;
use alloc::vec::Vec;

use super::builder::*;
use super::*;
use crate::elf::relocate::*;
use crate::memory::{MM_DATA_START, MM_PROGRAM_START};

#[test]
fn code_sections_are_concatenated_in_section_order() {
    let mut b = ObjectBuilder::new();
    let text = b.code(".text", &[mov64(0, 2), mov64(0, 3), exit()]);
    let prog = b.code("prog", &[mov64(0, 1), exit()]);
    b.func("helper", text, 0);
    b.func("start", prog, 8);
    let image = load(&b.build()).unwrap();
    assert_eq!(image.text_len, 40);
    assert_eq!(image.ro_section.len(), 40);
    assert_eq!(slot(&image, 3), mov64(0, 1).to_bytes());
    let names: Vec<(usize, &str)> = image
        .functions
        .iter()
        .map(|f| (f.pc, f.name.as_str()))
        .collect();
    assert_eq!(names, [(0, "helper"), (4, "start")]);
    // Rule 3: a program section before `.text`.
    assert_eq!(image.entry_pc, 4);
}

#[test]
fn read_only_and_writable_data_are_placed_aligned() {
    let (mut b, _) = minimal();
    let str1 = b.rodata(".rodata.str1.1", b"hi\0");
    b.sections[str1].align = 1;
    let rodata = b.rodata(".rodata", &[1, 2, 3, 4]);
    b.sections[rodata].align = 16;
    let data = b.data(".data", &[9, 9, 9]);
    b.sections[data].align = 1;
    let bss = b.bss(".bss", 5);
    b.sections[bss].align = 4;
    let debug = b.section(".debug_info", SHT_PROGBITS, 0, vec![0xee; 8]);
    let image = load(&b.build()).unwrap();
    let _ = debug;
    // Code 16 bytes, then "hi\0" at 16, then .rodata aligned to 32.
    assert_eq!(image.text_len, 16);
    assert_eq!(&image.ro_section[16..19], b"hi\0");
    assert_eq!(&image.ro_section[19..32], &[0; 13]);
    assert_eq!(&image.ro_section[32..], &[1, 2, 3, 4]);
    // .data at 0, .bss aligned to 4, zero-filled; .debug_info not loaded.
    assert_eq!(image.data, [9, 9, 9, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn lddw_relocations_hold_virtual_addresses() {
    let mut b = ObjectBuilder::new();
    let [a0, a1] = lddw(1, 3); // .rodata + 3 (implicit addend)
    let [b0, b1] = lddw(2, 0); // counter (a .data symbol at 4)
    let [c0, c1] = lddw(3, 8); // .bss + 8
    let [d0, d1] = lddw(4, 0); // the function `other`
    let [e0, e1] = lddw(5, -4); // .rodata - 4 + 4 via a symbol at 4
    let prog = b.code(
        "prog",
        &[a0, a1, b0, b1, c0, c1, d0, d1, e0, e1, exit(), exit()],
    );
    let rodata = b.rodata(".rodata", &[0; 8]);
    let data = b.data(".data", &[0; 8]);
    let bss = b.bss(".bss", 16);
    b.func("start", prog, 0);
    let other = b.func("other", prog, 88);
    let ro_sym = b.section_symbol(rodata);
    let counter = b.symbol("counter", STB_GLOBAL, STT_OBJECT, data as u16, 4);
    let bss_sym = b.section_symbol(bss);
    let ro_item = b.symbol("item", STB_LOCAL, STT_OBJECT, rodata as u16, 4);
    b.rel(
        prog,
        &[
            (0, ro_sym, R_BPF_64_64),
            (16, counter, R_BPF_64_64),
            (32, bss_sym, R_BPF_64_64),
            (48, other, R_BPF_64_64),
            (64, ro_item, R_BPF_64_64),
        ],
    );
    let image = load(&b.build()).unwrap();
    let rodata_at = MM_PROGRAM_START + image.text_len as u64;
    assert_eq!(lddw_value(&image, 0), rodata_at + 3);
    assert_eq!(lddw_value(&image, 2), MM_DATA_START + 4);
    assert_eq!(lddw_value(&image, 4), MM_DATA_START + 8 + 8);
    assert_eq!(
        lddw_value(&image, 6),
        crate::Executable::<()>::function_address(11)
    );
    assert_eq!(lddw_value(&image, 8), rodata_at);
    assert!(image
        .functions
        .iter()
        .any(|f| f.pc == 11 && f.name == "other"));
}

#[test]
fn data_relocations_patch_pointers() {
    let (mut b, prog) = minimal();
    // .rodata: a pointer to .data + 2 (addend in place), then a 32-bit
    // absolute value.
    let mut ro = 2u64.to_le_bytes().to_vec();
    ro.extend_from_slice(&1u32.to_le_bytes());
    let rodata = b.rodata(".rodata", &ro);
    // .data: a pointer to the function `start` (a function table).
    let data = b.data(".data", &[0; 8]);
    let data_sym = b.section_symbol(data);
    let abs = b.symbol("LIMIT", STB_GLOBAL, STT_NOTYPE, SHN_ABS, 0x1234);
    b.rel(
        rodata,
        &[(0, data_sym, R_BPF_64_ABS64), (8, abs, R_BPF_64_ABS32)],
    );
    b.rel(data, &[(0, 1, R_BPF_64_ABS64)]); // symbol 1 is `start`
    let image = load(&b.build()).unwrap();
    let ro = &image.ro_section[image.text_len..];
    assert_eq!(ro[..8], (MM_DATA_START + 2).to_le_bytes());
    assert_eq!(ro[8..12], 0x1235u32.to_le_bytes());
    assert_eq!(image.data, MM_PROGRAM_START.to_le_bytes());
    let _ = prog;
}

#[test]
fn call_relocations_become_local_calls_or_builtin_ids() {
    let mut b = ObjectBuilder::new();
    let text = b.code(".text", &[mov64(0, 5), exit(), mov64(0, 6), exit()]);
    let prog = b.code(
        "prog",
        &[call(1, -1), call(1, 1), call(1, -1), call(1, 3), exit()],
    );
    b.func("five", text, 0);
    let text_sym = b.section_symbol(text);
    let five = b.symbol("five", STB_GLOBAL, STT_FUNC, text as u16, 0);
    let trace = b.symbol("trace", STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0);
    b.func("start", prog, 0);
    b.rel(
        prog,
        &[
            (0, five, R_BPF_64_32),     // five (pc 0)
            (8, text_sym, R_BPF_64_32), // .text instruction 0 + 1 + 1 = 2
            (16, trace, R_BPF_64_32),   // the builtin `trace`
            (24, 0, R_BPF_NONE),        // nothing: stays `call 3`
        ],
    );
    let image = load(&b.build()).unwrap();
    // The program section starts at pc 4: calls at pcs 4, 5, 6, 7.
    assert_eq!(call_fields(&image, 4), (1, 0 - 5));
    assert_eq!(call_fields(&image, 5), (1, 2 - 6));
    assert_eq!(call_fields(&image, 6), (0, TRACE_ID as i32));
    assert_eq!(call_fields(&image, 7), (1, 3));
}

#[test]
fn relocations_of_unloaded_sections_are_skipped() {
    let (mut b, prog) = minimal();
    let btf_ext = b.section(".BTF.ext", SHT_PROGBITS, 0, vec![0; 16]);
    // Types a loaded section would reject; symbol indices beyond the table.
    b.rel(btf_ext, &[(0, 1, R_BPF_64_NODYLD32), (4, 99, 77)]);
    let rela = b.rel(btf_ext, &[(0, 1, R_BPF_64_ABS64)]);
    b.sections[rela].sh_type = SHT_RELA;
    b.sections[rela].entsize = 24;
    // NODYLD32 and NONE on loaded code change nothing.
    b.rel(prog, &[(0, 1, R_BPF_64_NODYLD32), (8, 1, R_BPF_NONE)]);
    let image = load(&b.build()).unwrap();
    assert_eq!(slot(&image, 0), mov64(0, 1).to_bytes());
    assert_eq!(slot(&image, 1), exit().to_bytes());
}

#[test]
fn default_entry_rule() {
    let build = |names: &[(&str, usize, u64)], globals: bool| {
        let mut b = ObjectBuilder::new();
        let text = b.code(".text", &[exit(), exit()]);
        let first = b.code("first", &[exit(), exit()]);
        let second = b.code("second", &[exit()]);
        let sections = [text, first, second];
        for &(name, section, value) in names {
            let bind = if globals { STB_GLOBAL } else { STB_LOCAL };
            b.symbol(name, bind, STT_FUNC, sections[section] as u16, value);
        }
        load(&b.build())
    };
    let entry = |names: &[(&str, usize, u64)]| {
        let image = build(names, true).unwrap();
        let f = image.functions.iter().find(|f| f.pc == image.entry_pc);
        f.unwrap().name.clone()
    };
    // The lowest global function of the first program section...
    let funcs = [("t", 0, 0), ("f2", 1, 8), ("f1", 1, 0), ("s", 2, 0)];
    assert_eq!(entry(&funcs), "f1");
    // ... `.text` only when no program section has one ...
    assert_eq!(entry(&[("t2", 0, 8), ("t1", 0, 0)]), "t1");
    // ... after `main`, after `entrypoint`.
    assert_eq!(entry(&[("f1", 1, 0), ("main", 0, 8)]), "main");
    assert_eq!(
        entry(&[("main", 1, 0), ("entrypoint", 2, 0), ("t", 0, 0)]),
        "entrypoint"
    );
    // Local functions are never picked by position.
    assert_eq!(build(&[("f1", 1, 0)], false), Err(ElfError::NoEntryPoint));
    // But any function can be named.
    let mut b = ObjectBuilder::new();
    let text = b.code(".text", &[exit(), exit()]);
    b.symbol("hidden", STB_LOCAL, STT_FUNC, text as u16, 8);
    assert_eq!(load_entry(&b.build(), "hidden").unwrap().entry_pc, 1);
}

#[test]
fn function_table_names_each_pc_once() {
    let (mut b, prog) = minimal();
    // A local alias of `start`, and a global assembly label (NOTYPE).
    b.symbol("alias", STB_LOCAL, STT_FUNC, prog as u16, 0);
    b.symbol("label", STB_GLOBAL, STT_NOTYPE, prog as u16, 8);
    b.symbol("local_label", STB_LOCAL, STT_NOTYPE, prog as u16, 8);
    let image = load(&b.build()).unwrap();
    let names: Vec<(usize, &str)> = image
        .functions
        .iter()
        .map(|f| (f.pc, f.name.as_str()))
        .collect();
    assert_eq!(names, [(0, "start"), (1, "label")]);
}

#[test]
fn code_pointers_without_a_symbol_become_functions() {
    let mut b = ObjectBuilder::new();
    let [l0, l1] = lddw(1, 24); // .text + 24: pc 3, which no symbol names
    let text = b.code(".text", &[l0, l1, exit(), mov64(0, 1), exit()]);
    b.func("start", text, 0);
    let text_sym = b.section_symbol(text);
    b.rel(text, &[(0, text_sym, R_BPF_64_64)]);
    let image = load(&b.build()).unwrap();
    assert_eq!(lddw_value(&image, 0), MM_PROGRAM_START + 24);
    assert!(image
        .functions
        .iter()
        .any(|f| f.pc == 3 && f.name == "fn_3"));
}
