/* The C API table (capi.c), wrapped in a capsule by _ufuncs.pyx. */
#ifndef QUAKE_CAPI_EXPORT_H
#define QUAKE_CAPI_EXPORT_H

#include "quake/capi.h"

extern const qk_capi qk_capi_table;

#endif
