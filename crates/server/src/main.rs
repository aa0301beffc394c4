//! The Kindling game server binary.

fn main() {
    println!("kindling server: not wired yet (issue #5)");
}
