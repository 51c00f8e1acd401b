#ifndef TETHER_CGIT2_SHIM_H
#define TETHER_CGIT2_SHIM_H
#include <git2.h>
#endif
