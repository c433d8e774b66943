//! The mock's fixture loader, through its only public entry point: a fixture file's bytes in a
//! fixtures directory, then `MockServer::builder().fixtures_dir(..).start()`. Loading never
//! panics; a file it refuses gives `StartError::Fixture` naming the file. A fixture it accepts
//! starts a server on 127.0.0.1 (port 0), which is shut down at once.
//!
//! Slower than the others (a file write per input and, for accepted fixtures, a server start):
//! a few thousand executions per second.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use olumi_mock::{MockServer, StartError};

struct Env {
    runtime: tokio::runtime::Runtime,
    dir: PathBuf,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        // Inside fuzz/target (ignored by git), one directory per fuzzing process.
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/fixture_loader")
            .join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).expect("create the fixtures directory");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        Env { runtime, dir }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let env = env();
    std::fs::write(env.dir.join("fuzzed.json"), bytes).expect("write the fixture");
    let started = env.runtime.block_on(
        MockServer::builder()
            .host([127, 0, 0, 1].into())
            .port(0)
            .builtin_fixtures(false)
            .fixtures_dir(&env.dir)
            .start(),
    );
    match started {
        Ok(server) => env.runtime.block_on(server.shutdown()),
        Err(StartError::Fixture(err)) => {
            assert!(
                err.file.contains("fuzzed.json"),
                "error names another file: {err}"
            );
            assert!(!err.message.is_empty(), "error without a message: {err:?}");
        }
        // Not the loader's doing (the machine ran out of ports, say).
        Err(StartError::Bind { .. }) => {}
        Err(other) => panic!("fixture bytes gave a non-fixture error: {other}"),
    }
});
