#ifndef TETHER_CGIT2_SHIM_H
#define TETHER_CGIT2_SHIM_H
#include <git2.h>

/*
 * git_libgit2_opts is variadic, which Swift cannot call; these typed wrappers
 * cover the options Tether sets. Each returns git_libgit2_opts' result (0 or -1).
 */

/** Sets the config search path of one level (GIT_OPT_SET_SEARCH_PATH); "" means none. */
static inline int tether_git_set_search_path(git_config_level_t level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, (int)level, path);
}

/** Reads the config search path of one level (GIT_OPT_GET_SEARCH_PATH). */
static inline int tether_git_get_search_path(git_config_level_t level, git_buf *out) {
    return git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, (int)level, out);
}

/** Sets the TLS trust anchors (GIT_OPT_SET_SSL_CERT_LOCATIONS): a PEM file, a directory, or both. */
static inline int tether_git_set_ssl_cert_locations(const char *file, const char *directory) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, directory);
}

/*
 * Shallow fetch: git_fetch_options.depth exists from libgit2 1.7. The soname pins the
 * runtime to the version of these headers, so the compile-time check is the capability.
 */
#if LIBGIT2_VER_MAJOR > 1 || (LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR >= 7)
#define TETHER_GIT_HAS_FETCH_DEPTH 1
#else
#define TETHER_GIT_HAS_FETCH_DEPTH 0
#endif

/** Whether these headers have git_fetch_options.depth (libgit2 1.7 and later). */
static inline int tether_git_fetch_depth_supported(void) { return TETHER_GIT_HAS_FETCH_DEPTH; }

/** Sets git_fetch_options.depth where it exists; returns -1 (and changes nothing) before 1.7. */
static inline int tether_git_fetch_options_set_depth(git_fetch_options *options, int depth) {
#if TETHER_GIT_HAS_FETCH_DEPTH
    options->depth = depth;
    return 0;
#else
    (void)options; (void)depth;
    return -1;
#endif
}

#endif
