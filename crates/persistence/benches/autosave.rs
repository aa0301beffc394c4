//! Autosave benchmark (written in a following commit).

fn main() {}
