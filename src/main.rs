use clap::Parser;

// A faster general-purpose allocator: the rules and the AI allocate many small strings and vectors.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = detente::cli::Cli::parse();
    std::process::exit(detente::cli::run(cli));
}
