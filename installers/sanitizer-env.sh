# Sourced (not run) before CTest in a -DFEEDBACK_SANITIZE=ON build, by
# installers/run-tests.sh and by hand:
#   source installers/sanitizer-env.sh && ctest --test-dir build-asan
# Every process the tests start (our executables included, e.g. the
# feedback-central that a Python end-to-end test spawns) inherits these.
_feedback_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# AddressSanitizer with LeakSanitizer at exit; a report fails the test.
# check_initialization_order: static-init-order bugs across our libraries.
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=0:abort_on_error=0:halt_on_error=1:exitcode=23"
# Leaks from third-party libraries only (SDL/Mesa/X11/fontconfig), each commented.
export LSAN_OPTIONS="suppressions=${_feedback_root}/tests/sanitizers/lsan.supp:print_suppressions=0"
# The build uses -fno-sanitize-recover=all: the first UB report aborts the process.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
unset _feedback_root
