// Preloaded into the plugin under valgrind by `scripts/benchmark --profile`.
//
// A Swift program with an async main (or dispatchMain) ends its main thread in libdispatch's
// _dispatch_sig_thread, which calls sigsuspend() with a signal mask in read-only memory; valgrind 3.19
// (Debian 12) writes into that mask while handling the system call and dies of SIGSEGV. This sigsuspend
// hands the kernel a writable copy instead, and changes nothing else.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, (size_t)(_NSIG / 8));
}
