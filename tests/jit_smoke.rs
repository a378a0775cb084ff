mod common;
use std::sync::Arc;
use ebpfvm::{Budget, Config, Executable, Loader};

fn exe(code: &[u8]) -> Executable<Budget> {
    Executable::from_bytecode(code, Arc::new(Loader::new(Config::default()))).unwrap()
}

#[test]
fn smoke() {
    let code = [
        0xb7u8, 0, 0, 0, 6, 0, 0, 0,
        0x27, 0, 0, 0, 7, 0, 0, 0,
        0x95, 0, 0, 0, 0, 0, 0, 0,
    ];
    let mut e = exe(&code);
    for b in 0..5 {
        let o = common::engines::run_all(&mut e, &[], b);
        println!("{b}: {o:?}");
    }
}
