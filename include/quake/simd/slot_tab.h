/* A table of 32 slots with up to eight float32 values each (a centre and the
 * polynomial coefficients of the precise float32 tanh and gelu:
 * consts/tanh_f32.h, consts/gelu_f32.h, kernels/slot_poly_f32.h), written
 * twice by its generator (tools/_piecewise_fit.py): by value, col[k][slot],
 * for the SIMD layers that pick a value's 32 slots with in-register permutes
 * (AVX-512: one vpermi2ps each), and by slot, row[slot][k], for those that load
 * each lane's eight values at once and transpose them in registers (scalar,
 * AVX2, NEON: fewer shuffles than permuting 32 entries with 8 or 4 lanes). */
#ifndef QUAKE_SIMD_SLOT_TAB_H
#define QUAKE_SIMD_SLOT_TAB_H

typedef struct {
    _Alignas(64) float col[8][32];
    _Alignas(32) float row[32][8];
} qk_slot_tab;

#endif
