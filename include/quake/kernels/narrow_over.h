/* Overflow of narrowing float32 results to a 16-bit type: a finite y whose
 * magnitude is at least the type's first value that rounds to inf
 * (float16: 65520, bits 0x477ff000; bfloat16: bits 0x7f7f8000).  In bits,
 * a = |y| in [base, 0x7f800000) <=> a - base < 0x7f800000 - base unsigned
 * (NaN and inf fall outside), so a vector of running minima of a - base
 * and one compare at the end say whether any lane overflowed.  Used by the
 * bfloat16 kernels (driver_bf16.h) and by the row ops' block narrowing
 * (the targets' f2h, driver_bf16.h's f2b), which report it as they convert. */
#ifndef QUAKE_KERNELS_NARROW_OVER_H
#define QUAKE_KERNELS_NARROW_OVER_H

#define QK_F16_OVER_BASE 0x477ff000
#define QK_BF16_OVER_BASE 0x7f7f8000

QK_INLINE vi qk_narrow_over(vi over, vf y, int base)
{
    return vi_minu(over, vi_sub(vf_as_vi(vf_abs(y)), vi_set(base)));
}

QK_INLINE int qk_narrow_over_status(vi over, int base)
{
    return vi_any_ltu(over, 0x7f800000u - (unsigned)base) ? QK_FE_OVERFLOW : 0;
}

/* the scalar tail's test, same rule */
QK_INLINE int qk_narrow_over1(float y, int base)
{
    uint32_t a;
    memcpy(&a, &y, sizeof a);
    return (a & 0x7fffffffu) - (uint32_t)base < 0x7f800000u - (uint32_t)base ? QK_FE_OVERFLOW : 0;
}

#endif
