/* Instantiates the generic kernel file QK_GENERIC (a string) for float32
 * and float64: sets simd/generic.h's aliases for QK_T = 32, includes the
 * file, then again for QK_T = 64.  Include it once per generic file, as
 * kernels/all.h does; it undefines QK_GENERIC. */
#define QK_T 32
#include "quake/simd/generic.h"
#include QK_GENERIC
#undef QK_T
#define QK_T 64
#include "quake/simd/generic.h"
#include QK_GENERIC
#undef QK_T
#undef QK_GENERIC
