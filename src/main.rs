fn main() -> std::process::ExitCode {
    sceplint::cli::main()
}
