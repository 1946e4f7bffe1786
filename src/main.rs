fn main() -> std::process::ExitCode {
    clausewise::cli::main()
}
