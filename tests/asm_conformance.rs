//! Assembles the `-- asm` section of every bpf_conformance `.data` file (read
//! from `../shared/conformance/bpf_conformance/tests`, or the directory named by
//! `EBPFVM_CONFORMANCE_DIR`; skipped with a message when absent): each must
//! assemble, round-trip through the disassembler, and, where the file has a
//! `-- raw` section (`lddw.data`), equal those words.
#![cfg(feature = "asm")]

use std::path::PathBuf;

use ebpfvm::asm::{assemble, disassemble};

fn conformance_dir() -> PathBuf {
    match std::env::var_os("EBPFVM_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/conformance/bpf_conformance/tests"),
    }
}

/// The sections this test needs, read as the upstream parser reads them:
/// `#` starts a comment, a line containing `--` is a directive (matched by
/// substring, in upstream order), empty lines are skipped.
#[derive(Default)]
struct DataFile {
    asm: String,
    raw: Option<Vec<u64>>,
}

fn parse(text: &str) -> Result<DataFile, String> {
    #[derive(PartialEq)]
    enum Section {
        None,
        Asm,
        Raw,
        Other,
    }
    let mut section = Section::None;
    let mut file = DataFile::default();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let line = line.split('#').next().unwrap_or("");
        if line.contains("--") {
            section = if line.contains("asm") {
                Section::Asm
            } else if line.contains("raw") {
                file.raw.get_or_insert_with(Vec::new);
                Section::Raw
            } else if ["result", "mem", "no register offset", " c", "error"]
                .iter()
                .any(|d| line.contains(d))
            {
                Section::Other
            } else {
                return Err(format!("unknown directive {line:?}"));
            };
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match section {
            Section::Asm => {
                file.asm.push_str(line);
                file.asm.push('\n');
            }
            Section::Raw => {
                for word in line.split_whitespace() {
                    let value = match word.strip_prefix("0x") {
                        Some(h) => u64::from_str_radix(h, 16),
                        None => word.parse(),
                    }
                    .map_err(|e| format!("raw word {word:?}: {e}"))?;
                    file.raw.get_or_insert_with(Vec::new).push(value);
                }
            }
            Section::None | Section::Other => {}
        }
    }
    Ok(file)
}

#[test]
fn every_conformance_program_assembles_and_round_trips() {
    let dir = conformance_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "skipping: no conformance data at {} (set EBPFVM_CONFORMANCE_DIR)",
            dir.display()
        );
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "data"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let (mut assembled, mut raw_checked) = (0, 0);
    for path in &paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(path).expect("readable data file");
        let file = match parse(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let code = match assemble(&file.asm) {
            Ok(code) if !code.is_empty() => code,
            Ok(_) => {
                failures.push(format!("{name}: no instructions"));
                continue;
            }
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        assembled += 1;
        match disassemble(&code) {
            Ok(listing) if assemble(&listing).as_ref() == Ok(&code) => {}
            Ok(listing) => {
                failures.push(format!("{name}: listing does not round-trip:\n{listing}"))
            }
            Err(e) => failures.push(format!("{name}: disassemble: {e}")),
        }
        if let Some(raw) = &file.raw {
            let expected: Vec<u8> = raw.iter().flat_map(|w| w.to_le_bytes()).collect();
            if expected != code {
                failures.push(format!("{name}: assembled bytes differ from -- raw"));
            }
            raw_checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{assembled} conformance programs assembled and round-tripped; {raw_checked} checked against -- raw");
    assert!(
        assembled >= 300,
        "only {assembled} of {} files",
        paths.len()
    );
    assert!(
        raw_checked >= 1,
        "lddw.data's -- raw section was not checked"
    );
}

#[test]
fn data_file_parser_reads_raw_words() {
    let file = parse("# c\n-- asm\nexit # x\n-- raw\n0x95 12\n-- result\n0x1\n").expect("valid");
    assert_eq!(file.asm, "exit \n");
    assert_eq!(file.raw, Some(vec![0x95, 12]));
    assert!(parse("-- bogus\n").is_err());
}
