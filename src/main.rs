// mimalloc: a third less CPU than the system allocator on a run over thousands of files, where
// parsing allocates many small nodes. See docs/architecture.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (libmimalloc-sys names no constant
/// for it). 0 returns freed memory to the system at once instead of after a second (mimalloc
/// 3's default): a run is short, and each file's text is freed as soon as its findings are
/// placed, so waiting would hold every file's text at once.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // SAFETY: reading and setting an option only reads and stores an integer.
    unsafe {
        debug_assert_eq!(
            libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
            1000,
            "mimalloc's option numbering or default changed"
        );
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
    sceplint::cli::main()
}
