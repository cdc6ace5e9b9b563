//! The page's entry point (Trunk builds this binary to wasm).

fn main() {
    ui::start();
}
