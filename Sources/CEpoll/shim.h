// epoll, eventfd and naming a thread, which the Glibc module of Swift does not bring: the event loop's way to wait.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

/// Names the calling thread (at most 15 bytes show), as `top -H` and debuggers list it; prctl is variadic, which
/// Swift cannot call.
static inline void cepoll_name_thread(const char *name) {
    prctl(PR_SET_NAME, name, 0, 0, 0);
}
