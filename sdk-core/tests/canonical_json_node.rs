//! Differential test of `canonical_json` against JavaScript itself: node computes
//! `JSON.stringify(canonicalize(JSON.parse(body)))` (`fuzz/canonical_json_node.mjs`) for the
//! committed seeds of the `canonical_json` fuzz target, the response-hash vectors' bodies, and
//! every body in `$OLUMI_CANONICAL_CORPUS` (the corpus the fuzz target writes out when run with
//! that variable set: `scripts/fuzz.sh` does it). Both must accept the same bodies and give the
//! same text; the one allowed difference is nesting deeper than `MAX_DEPTH`, which we refuse.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use olumi::canonical_json::{JsonError, canonical_json};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_in(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .iter()
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

fn bodies() -> Vec<Vec<u8>> {
    let mut bodies = files_in(&repo().join("fuzz/corpus/canonical_json"));
    assert!(bodies.len() >= 5, "the committed seeds are there");
    let vectors: Value = serde_json::from_slice(
        &std::fs::read(repo().join("tests/vectors/response-hash.json")).unwrap(),
    )
    .unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        if let Some(body) = case["raw_body"].as_str() {
            bodies.push(body.as_bytes().to_vec());
        }
    }
    if let Some(dir) = std::env::var_os("OLUMI_CANONICAL_CORPUS") {
        let written = files_in(Path::new(&dir));
        assert!(!written.is_empty(), "OLUMI_CANONICAL_CORPUS has no files");
        bodies.extend(written);
    }
    // Hand-picked edges the fuzzer may take long to find.
    for edge in [
        r#"{"__proto__":{"a":1},"b":2}"#,
        r#"{"a":1,"a":2}"#,
        r#"{"10":1,"9":2,"4294967295":3,"4294967294":4,"-1":5,"01":6,"b":7}"#,
        r#"[1e21,1e-7,-0,0.1,123456789012345680000,5e-324,1.7976931348623157e308]"#,
        r#""\ud800\udc00\ud800x\u2028\u0000\u001f\u007f""#,
        r#"{"\ud83d\ude00":1,"\uffff":2,"é":3}"#,
        "\u{feff}{}",
        " \t\r\n[ ]\n",
        "[1,]",
        "01",
        "1.",
        "-",
        r#"{"a" 1}"#,
        "nul",
        "1e400",
    ] {
        bodies.push(edge.as_bytes().to_vec());
    }
    bodies
}

/// node's answer for each body: `Ok(canonical)` or `Err(why JSON.parse refused it)`.
fn node_canonical(bodies: &[Vec<u8>]) -> Vec<Result<String, String>> {
    let hex: Vec<String> = bodies
        .iter()
        .map(|b| b.iter().map(|byte| format!("{byte:02x}")).collect())
        .collect();
    let mut child = Command::new("node")
        .arg(repo().join("fuzz/canonical_json_node.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (20 or later) runs: this test compares with JavaScript itself");
    let mut stdin = child.stdin.take().unwrap();
    let input = serde_json::to_vec(&hex).unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "node failed");
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    results
        .into_iter()
        .map(|r| match (r["ok"].as_str(), r["error"].as_str()) {
            (Some(ok), _) => Ok(ok.to_owned()),
            (None, Some(error)) => Err(error.to_owned()),
            _ => panic!("unexpected answer from node: {r}"),
        })
        .collect()
}

#[test]
fn canonical_json_agrees_with_node_on_the_fuzz_corpus() {
    let bodies = bodies();
    let theirs = node_canonical(&bodies);
    assert_eq!(theirs.len(), bodies.len());
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for (body, theirs) in bodies.iter().zip(&theirs) {
        let ours = canonical_json(body);
        compared += usize::from(ours.is_ok() && theirs.is_ok());
        let same = match (&ours, theirs) {
            (Ok(ours), Ok(theirs)) => ours == theirs,
            (Err(_), Err(_)) | (Err(JsonError::TooDeep { .. }), Ok(_)) => true,
            _ => false,
        };
        if !same {
            disagreements.push(format!(
                "body {:?}\n  ours: {ours:?}\n  node: {theirs:?}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ));
        }
    }
    assert!(compared >= 20, "only {compared} bodies accepted by both");
    assert!(
        disagreements.is_empty(),
        "{} of {} bodies differ:\n{}",
        disagreements.len(),
        bodies.len(),
        disagreements.join("\n")
    );
}
