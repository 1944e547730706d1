use clap::Parser;

// A faster general-purpose allocator: the rules and the AI allocate many small strings and vectors.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Mesa's software renderer (llvmpipe) splits a frame into tiles for one thread per core;
    // with two cores, two more threads even out the tiles and cut the frame time by about a
    // tenth (docs/PERFORMANCE.md). A GPU driver ignores the variable; a value set by the user
    // stands.
    if std::env::var_os("LP_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // SAFETY: nothing else runs yet; no thread can read the environment meanwhile.
        unsafe { std::env::set_var("LP_NUM_THREADS", cores.max(4).to_string()) };
    }
    let cli = detente::cli::Cli::parse();
    std::process::exit(detente::cli::run(cli));
}
