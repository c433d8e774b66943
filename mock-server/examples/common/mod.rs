//! Helpers shared by the examples (a subdirectory, so cargo does not build it as an example).

/// The value after `name` on the command line, parsed, or `default` when the flag is absent.
pub(crate) fn flag<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}: cannot read {v:?}"))
        })
}
