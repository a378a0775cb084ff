//! Compiles the C kernels (`c/*.c`) for the host, the native baseline of the
//! clang-compiled benchmarks: the same source as the checked-in BPF objects,
//! at the same optimisation level.

fn main() {
    let mut build = cc::Build::new();
    // The BPF objects come from clang-19: prefer the same compiler for the
    // host unless the user chose one (`CC`).
    let clang = std::process::Command::new("clang-19")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if std::env::var_os("CC").is_none() && clang {
        build.compiler("clang-19");
    }
    build
        .opt_level(2)
        .flag("-fno-strict-aliasing")
        .flag("-fno-builtin")
        .warnings(true);
    let mut sources: Vec<_> = std::fs::read_dir("c")
        .expect("benches/compare/c exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    for source in &sources {
        build.file(source);
    }
    build.compile("ebpfvm_bench_kernels");
    println!("cargo:rerun-if-changed=c");
    println!("cargo:rerun-if-env-changed=CC");
}
