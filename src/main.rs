use clap::Parser;

fn main() {
    let cli = detente::cli::Cli::parse();
    std::process::exit(detente::cli::run(cli));
}
