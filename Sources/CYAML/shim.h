#ifndef TETHER_CYAML_SHIM_H
#define TETHER_CYAML_SHIM_H
#include <yaml.h>
#endif
