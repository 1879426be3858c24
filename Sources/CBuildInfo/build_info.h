// What the build itself knows: the git commit it was built from, given by scripts/install as
// -Xcc -DCHAOSTOOLKIT_PROMETHEUS_COMMIT="\"<commit>\"", and empty for any other build.
#ifndef CHAOSTOOLKIT_PROMETHEUS_BUILD_INFO_H
#define CHAOSTOOLKIT_PROMETHEUS_BUILD_INFO_H

static inline const char *chaostoolkit_prometheus_build_commit(void) {
#ifdef CHAOSTOOLKIT_PROMETHEUS_COMMIT
    return CHAOSTOOLKIT_PROMETHEUS_COMMIT;
#else
    return "";
#endif
}

#endif
