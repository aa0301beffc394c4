//! `loadgen`: see `loadgen --help`.

fn main() {}
