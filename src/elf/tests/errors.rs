//! One test per [`ElfError`] variant: a valid object with exactly one thing
//! broken, and the error that names it.

use alloc::vec;
use alloc::vec::Vec;

use super::builder::*;
use super::*;
use crate::elf::relocate::*;
use crate::elf::MAX_REGION_SIZE;
use crate::error::SymbolName;

/// The minimal object, built.
fn valid() -> Built {
    minimal().0.build()
}

fn name(s: &str) -> SymbolName {
    SymbolName::new(s)
}

#[test]
fn not_elf_and_truncated_header() {
    assert_eq!(
        super::super::load(b"MZ\x90\0", &registry(), None),
        Err(ElfError::NotElf)
    );
    assert_eq!(
        super::super::load(b"\x7fEL", &registry(), None),
        Err(ElfError::TruncatedHeader { len: 3 })
    );
    let bytes = valid().bytes;
    assert_eq!(
        super::super::load(&bytes[..63], &registry(), None),
        Err(ElfError::TruncatedHeader { len: 63 })
    );
}

#[test]
fn unsupported_identification_and_header() {
    let mut built = valid();
    built.bytes[4] = 1;
    assert_eq!(load(&built), Err(ElfError::UnsupportedClass { class: 1 }));
    let mut built = valid();
    built.bytes[5] = 2;
    assert_eq!(
        load(&built),
        Err(ElfError::UnsupportedByteOrder { data: 2 })
    );
    let mut built = valid();
    built.bytes[6] = 0; // EI_VERSION: EV_NONE
    assert_eq!(
        load(&built),
        Err(ElfError::UnsupportedVersion {
            ident: 0,
            version: 1
        })
    );
    let mut built = valid();
    built.bytes[20..24].copy_from_slice(&2u32.to_le_bytes()); // e_version
    assert_eq!(
        load(&built),
        Err(ElfError::UnsupportedVersion {
            ident: 1,
            version: 2
        })
    );
    let mut built = valid();
    built.put_u16(18, 62); // EM_X86_64
    assert_eq!(
        load(&built),
        Err(ElfError::UnsupportedMachine { machine: 62 })
    );
    for e_type in [2, 3] {
        // ET_EXEC, ET_DYN
        let mut built = valid();
        built.put_u16(16, e_type);
        assert_eq!(load(&built), Err(ElfError::UnsupportedFileType { e_type }));
    }
}

#[test]
fn invalid_section_header_table() {
    let built = valid();
    let (shoff, count) = (built.shoff as u64, (built.strtab + 1) as u64);
    let mut b = valid();
    b.put_u64(40, 0);
    assert_eq!(
        load(&b),
        Err(ElfError::InvalidSectionHeaderTable { offset: 0, count })
    );
    let mut b = valid();
    b.put_u64(40, shoff + 8); // the last header runs past the end
    assert_eq!(
        load(&b),
        Err(ElfError::InvalidSectionHeaderTable {
            offset: shoff + 8,
            count
        })
    );
    let mut b = valid();
    b.put_u16(58, 40); // e_shentsize of ELF32
    assert_eq!(
        load(&b),
        Err(ElfError::InvalidSectionHeaderTable {
            offset: shoff,
            count
        })
    );
}

#[test]
fn invalid_section_index() {
    let mut b = valid();
    b.put_u16(62, 99); // e_shstrndx
    assert_eq!(load(&b), Err(ElfError::InvalidSectionIndex { index: 99 }));
    let mut b = valid();
    let at = b.shdr_field(b.symtab, shdr::LINK);
    b.put_u32(at, 1); // the symbol table's strings in a code section
    assert_eq!(load(&b), Err(ElfError::InvalidSectionIndex { index: 1 }));
    let (mut o, prog) = minimal();
    let rel = o.rel(prog, &[(0, 1, R_BPF_64_32)]);
    let mut b = o.build();
    let at = b.shdr_field(rel, shdr::INFO);
    b.put_u32(at, 1000);
    assert_eq!(load(&b), Err(ElfError::InvalidSectionIndex { index: 1000 }));
}

#[test]
fn section_out_of_bounds() {
    let mut b = valid();
    let size = b.bytes.len() as u64;
    let at = b.shdr_field(1, shdr::OFFSET);
    b.put_u64(at, size - 8);
    assert_eq!(
        load(&b),
        Err(ElfError::SectionOutOfBounds {
            section: 1,
            offset: size - 8,
            size: 16
        })
    );
    let mut b = valid();
    let at = b.shdr_field(1, shdr::OFFSET);
    b.put_u64(at, u64::MAX - 4); // offset + size overflows
    assert!(matches!(
        load(&b),
        Err(ElfError::SectionOutOfBounds { section: 1, .. })
    ));
}

#[test]
fn overlapping_sections() {
    let (mut o, _) = minimal();
    let second = o.code("second", &[exit()]);
    let mut b = o.build();
    let first_offset = b.offsets[1] as u64;
    let at = b.shdr_field(second, shdr::OFFSET);
    b.put_u64(at, first_offset + 8);
    assert_eq!(
        load(&b),
        Err(ElfError::OverlappingSections { first: 1, second })
    );
}

#[test]
fn unsupported_section_type() {
    let (mut o, _) = minimal();
    let note = o.section(".note", 7, SHF_ALLOC, vec![0; 8]); // SHT_NOTE
    assert_eq!(
        load(&o.build()),
        Err(ElfError::UnsupportedSectionType {
            section: note,
            sh_type: 7
        })
    );
    let (mut o, _) = minimal();
    let code = o.section("nocode", SHT_NOBITS, SHF_ALLOC | SHF_EXECINSTR, vec![]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::UnsupportedSectionType {
            section: code,
            sh_type: SHT_NOBITS
        })
    );
}

#[test]
fn invalid_alignment() {
    for align in [3, 8192] {
        let (mut o, _) = minimal();
        let ro = o.rodata(".rodata", &[1]);
        o.sections[ro].align = align;
        assert_eq!(
            load(&o.build()),
            Err(ElfError::InvalidAlignment { section: ro, align })
        );
    }
}

#[test]
fn misaligned_code() {
    let mut o = ObjectBuilder::new();
    let mut bytes = code(&[exit()]);
    bytes.extend_from_slice(&[0; 4]);
    let prog = o.section("prog", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::MisalignedCode {
            section: prog,
            size: 12
        })
    );
}

#[test]
fn image_too_large() {
    let (mut o, _) = minimal();
    o.bss(".bss", 1 << 40);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::ImageTooLarge {
            size: 1 << 40,
            max: MAX_REGION_SIZE
        })
    );
    let (mut o, _) = minimal();
    o.bss(".bss", u64::MAX);
    assert!(matches!(
        load(&o.build()),
        Err(ElfError::ImageTooLarge { .. })
    ));
}

#[test]
fn invalid_string() {
    let mut b = valid();
    let strtab_len = b.bytes.len() - b.shoff; // larger than the table itself
    let at = b.shdr_field(1, shdr::NAME);
    b.put_u32(at, strtab_len as u32);
    let strtab = b.strtab;
    assert!(matches!(load(&b), Err(ElfError::InvalidString { section, .. }) if section == strtab));
    // A name that is not UTF-8.
    let (mut o, prog) = minimal();
    o.symbols[1].name = "st\u{e9}rt".into();
    let mut b = o.build();
    let name_at = b.offsets[b.strtab]
        + b.bytes[b.offsets[b.strtab]..]
            .windows(2)
            .position(|w| w == [0xc3, 0xa9])
            .unwrap();
    b.bytes[name_at] = 0xff;
    let _ = prog;
    assert!(matches!(load(&b), Err(ElfError::InvalidString { .. })));
}

#[test]
fn invalid_entry_size() {
    let mut b = valid();
    let at = b.shdr_field(b.symtab, shdr::ENTSIZE);
    b.put_u64(at, 16);
    let symtab = b.symtab;
    assert_eq!(
        load(&b),
        Err(ElfError::InvalidEntrySize {
            section: symtab,
            entsize: 16
        })
    );
    let (mut o, prog) = minimal();
    let rel = o.rel(prog, &[(0, 1, R_BPF_NONE)]);
    o.sections[rel].entsize = 24;
    assert_eq!(
        load(&o.build()),
        Err(ElfError::InvalidEntrySize {
            section: rel,
            entsize: 24
        })
    );
}

#[test]
fn missing_symbol_table() {
    let (mut o, prog) = minimal();
    let rel = o.rel(prog, &[(0, 1, R_BPF_NONE)]);
    let mut b = o.build();
    let at = b.shdr_field(rel, shdr::LINK);
    b.put_u32(at, 0);
    assert_eq!(load(&b), Err(ElfError::MissingSymbolTable { section: rel }));
}

#[test]
fn unsupported_relocation_section() {
    let (mut o, prog) = minimal();
    let rel = o.rel(prog, &[]);
    o.sections[rel].sh_type = SHT_RELA;
    assert_eq!(
        load(&o.build()),
        Err(ElfError::UnsupportedRelocationSection { section: rel })
    );
}

#[test]
fn invalid_symbol_index() {
    let (mut o, prog) = minimal();
    o.rel(prog, &[(0, 50, R_BPF_64_32)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::InvalidSymbolIndex {
            section: prog,
            offset: 0,
            symbol: 50
        })
    );
}

#[test]
fn invalid_symbol() {
    // A function beyond its section, or between instructions.
    for value in [16, 4] {
        let (mut o, prog) = minimal();
        o.func("bad", prog, value);
        assert_eq!(
            load(&o.build()),
            Err(ElfError::InvalidSymbol {
                name: name("bad"),
                value
            })
        );
    }
    // A data symbol beyond its section, used by a relocation.
    let mut o = ObjectBuilder::new();
    let [l0, l1] = lddw(1, 0);
    let prog = o.code("prog", &[l0, l1, exit()]);
    o.func("start", prog, 0);
    let data = o.data(".data", &[0; 4]);
    let var = o.symbol("var", STB_GLOBAL, STT_OBJECT, data as u16, 5);
    o.rel(prog, &[(0, var, R_BPF_64_64)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::InvalidSymbol {
            name: name("var"),
            value: 5
        })
    );
}

#[test]
fn unsupported_symbol() {
    let lddw_object = |shndx: Option<u16>| {
        let mut o = ObjectBuilder::new();
        let [l0, l1] = lddw(1, 0);
        let prog = o.code("prog", &[l0, l1, exit()]);
        o.func("start", prog, 0);
        let debug = o.section(".debug_str", SHT_PROGBITS, 0, vec![0; 8]);
        let var = o.symbol(
            "var",
            STB_GLOBAL,
            STT_OBJECT,
            shndx.unwrap_or(debug as u16),
            0,
        );
        o.rel(prog, &[(0, var, R_BPF_64_64)]);
        (o.build(), debug)
    };
    let (common, _) = lddw_object(Some(SHN_COMMON));
    assert_eq!(
        load(&common),
        Err(ElfError::UnsupportedSymbol {
            name: name("var"),
            shndx: SHN_COMMON as usize
        })
    );
    let (unloaded, debug) = lddw_object(None);
    assert_eq!(
        load(&unloaded),
        Err(ElfError::UnsupportedSymbol {
            name: name("var"),
            shndx: debug
        })
    );
}

#[test]
fn undefined_symbol() {
    // A call to a function the object lacks and the registry does not hold.
    let mut o = ObjectBuilder::new();
    let prog = o.code("prog", &[call(1, -1), exit()]);
    o.func("start", prog, 0);
    let ext = o.symbol("missing_helper", STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0);
    o.rel(prog, &[(0, ext, R_BPF_64_32)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::UndefinedSymbol {
            name: name("missing_helper"),
            section: prog,
            offset: 0
        })
    );
    // Data references are never bound to builtins, even to registered names.
    let mut o = ObjectBuilder::new();
    let [l0, l1] = lddw(1, 0);
    let prog = o.code("prog", &[l0, l1, exit()]);
    o.func("start", prog, 0);
    let ext = o.symbol("trace", STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0);
    o.rel(prog, &[(0, ext, R_BPF_64_64)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::UndefinedSymbol {
            name: name("trace"),
            section: prog,
            offset: 0
        })
    );
}

#[test]
fn unsupported_relocation() {
    let (mut o, prog) = minimal();
    o.rel(prog, &[(8, 1, 7)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::UnsupportedRelocation {
            section: prog,
            offset: 8,
            r_type: 7
        })
    );
}

#[test]
fn relocation_out_of_bounds() {
    let (mut o, prog) = minimal();
    o.rel(prog, &[(16, 1, R_BPF_64_32)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::RelocationOutOfBounds {
            section: prog,
            offset: 16
        })
    );
    // An lddw relocation on the last slot: its second half is missing.
    let (mut o, prog) = minimal();
    o.rel(prog, &[(8, 1, R_BPF_64_64)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::RelocationOutOfBounds {
            section: prog,
            offset: 8
        })
    );
    let (mut o, _) = minimal();
    let data = o.data(".data", &[0; 8]);
    o.rel(data, &[(u64::MAX - 2, 1, R_BPF_64_ABS64)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::RelocationOutOfBounds {
            section: data,
            offset: u64::MAX - 2
        })
    );
}

#[test]
fn invalid_relocation_site() {
    let site = |section, offset, r_type| ElfError::InvalidRelocationSite {
        section,
        offset,
        r_type,
    };
    // R_BPF_64_64 on a `mov`, R_BPF_64_32 on a `mov`, and on half a slot.
    let mut o = ObjectBuilder::new();
    let prog = o.code("prog", &[mov64(0, 1), mov64(0, 2), exit()]);
    o.func("start", prog, 0);
    let rel = o.rel(prog, &[(0, 1, R_BPF_64_64)]);
    assert_eq!(load(&o.build()), Err(site(prog, 0, R_BPF_64_64)));
    o.sections.truncate(rel);
    o.rel(prog, &[(8, 1, R_BPF_64_32)]);
    assert_eq!(load(&o.build()), Err(site(prog, 8, R_BPF_64_32)));
    o.sections.truncate(rel);
    o.rel(prog, &[(4, 1, R_BPF_64_32)]);
    assert_eq!(load(&o.build()), Err(site(prog, 4, R_BPF_64_32)));
    // A data relocation in code, an instruction relocation in data, and
    // anything in .bss.
    o.sections.truncate(rel);
    o.rel(prog, &[(0, 1, R_BPF_64_ABS64)]);
    assert_eq!(load(&o.build()), Err(site(prog, 0, R_BPF_64_ABS64)));
    o.sections.truncate(rel);
    let data = o.data(".data", &[0; 16]);
    o.rel(data, &[(0, 1, R_BPF_64_64)]);
    assert_eq!(load(&o.build()), Err(site(data, 0, R_BPF_64_64)));
    o.sections.truncate(rel);
    let bss = o.bss(".bss", 16);
    o.rel(bss, &[(0, 1, R_BPF_64_ABS64)]);
    assert_eq!(load(&o.build()), Err(site(bss, 0, R_BPF_64_ABS64)));
}

#[test]
fn relocation_overflow() {
    // A data address does not fit a 32-bit field.
    let (mut o, _) = minimal();
    let data = o.data(".data", &[0; 8]);
    let data_sym = o.section_symbol(data);
    o.rel(data, &[(0, data_sym, R_BPF_64_ABS32)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::RelocationOverflow {
            section: data,
            offset: 0
        })
    );
    // An absolute symbol plus a negative addend below zero.
    let mut o = ObjectBuilder::new();
    let [l0, l1] = lddw(1, -8);
    let prog = o.code("prog", &[l0, l1, exit()]);
    o.func("start", prog, 0);
    let abs = o.symbol("ZERO", STB_GLOBAL, STT_NOTYPE, SHN_ABS, 0);
    o.rel(prog, &[(0, abs, R_BPF_64_64)]);
    assert_eq!(
        load(&o.build()),
        Err(ElfError::RelocationOverflow {
            section: prog,
            offset: 0
        })
    );
}

#[test]
fn invalid_call_target() {
    let call_object = |imm: i32, target_in_data: bool| {
        let mut o = ObjectBuilder::new();
        let text = o.code(".text", &[exit(), exit()]);
        let prog = o.code("prog", &[call(1, imm), exit()]);
        o.func("start", prog, 0);
        let data = o.data(".data", &[0; 8]);
        let sym = o.section_symbol(if target_in_data { data } else { text });
        o.rel(prog, &[(0, sym, R_BPF_64_32)]);
        (o.build(), prog)
    };
    for imm in [1, -2, i32::MAX] {
        // .text has instructions 0 and 1: imm + 1 must be one of them.
        let (b, prog) = call_object(imm, false);
        assert_eq!(
            load(&b),
            Err(ElfError::InvalidCallTarget {
                section: prog,
                offset: 0
            })
        );
    }
    let (b, prog) = call_object(-1, true);
    assert_eq!(
        load(&b),
        Err(ElfError::InvalidCallTarget {
            section: prog,
            offset: 0
        })
    );
    let (b, _) = call_object(0, false);
    assert!(load(&b).is_ok());
}

#[test]
fn entry_not_found_and_no_entry_point() {
    assert_eq!(
        load_entry(&valid(), "nope"),
        Err(ElfError::EntryNotFound { name: name("nope") })
    );
    let mut o = ObjectBuilder::new();
    o.code("prog", &[exit()]);
    assert_eq!(load(&o.build()), Err(ElfError::NoEntryPoint));
}

#[test]
fn every_error_displays_its_cause() {
    let errors = [
        ElfError::UndefinedSymbol {
            name: name("fnv1a_step"),
            section: 3,
            offset: 0x48,
        },
        ElfError::EntryNotFound {
            name: name("a_name_much_longer_than_thirty_bytes"),
        },
    ];
    let text: Vec<alloc::string::String> = errors.iter().map(|e| alloc::format!("{e}")).collect();
    assert_eq!(
        text[0],
        "section 3 offset 0x48: undefined symbol `fnv1a_step` (not in the object, not a registered builtin)"
    );
    assert_eq!(
        text[1],
        "no function named `a_name_much_longer_than_thirty…`"
    );
}
