/* Kernel-level checker: every compiled-in target that this CPU supports
 * must reproduce the scalar reference bit for bit, for every unary op/tier
 * (float32, float64, float16), for the float16 conversions, for every length 0..67
 * (tails), out of place and in place, without writing outside its output.
 *
 * Built natively (x86-64: scalar/avx2/avx512) and cross-compiled for
 * AArch64 and run under qemu (scalar/neon) by tools/check_kernels.sh; also the
 * program run under valgrind and the sanitizers.  Exit status 0 = all equal.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/status.h"
#include "quake/consts/underflow.h"
#include "quake/kernels/bf16.h"

static const char *const unary_names[QK_N_UNARY] = {
#define QK_UNARY(op, tier) #tier "." #op,
#include "quake/ops.def"
#undef QK_UNARY
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t next_u64(void) /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}
static double uniform(double lo, double hi) { return lo + (hi - lo) * ((next_u64() >> 11) * 0x1p-53); }

#define N32 (1 << 20)
#define N64 (1 << 19)
#define GUARD 16

static float *make_f32(size_t *count)
{
    float *x = malloc(N32 * sizeof(float));
    size_t k = 0;
    const float special[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-45f, -1e-45f,
                             1.17549435e-38f, 3.40282347e38f, -3.40282347e38f,
                             88.72283f, 88.72284f, -87.33654f, -87.33655f, -103.972084f,
                             -103.97209f, 11.0859375f, -9.703125f, 0.5f, -0.5f, 1.0f};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        x[k++] = special[i];
    for (int i = 0; i < 4096; i++) { /* dense runs around the edges */
        const float c[] = {88.72283f, -87.33654f, -103.972084f, -87.0f, 88.3f, 0.0f, 6.931472f, 11.0859375f};
        float v = c[i % 8];
        uint32_t b;
        memcpy(&b, &v, 4);
        b += (uint32_t)(i / 8) - 256u;
        memcpy(&x[k++], &b, 4);
    }
    while (k < N32 / 2)
        x[k++] = (float)uniform(-110.0, 95.0);
    while (k < 3 * (N32 / 4))
        x[k++] = (float)uniform(-3.0, 3.0);
    while (k < N32) { /* raw bit patterns: all exponents, NaN payloads, denormals */
        uint32_t b = (uint32_t)next_u64();
        memcpy(&x[k++], &b, 4);
    }
    *count = k;
    return x;
}

static double *make_f64(size_t *count)
{
    double *x = malloc(N64 * sizeof(double));
    size_t k = 0;
    const double special[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 5e-324, -5e-324,
                              2.2250738585072014e-308, 1.7976931348623157e308, 709.782712893384,
                              709.7827128933841, -708.3964185322641, -745.1332191019412, -745.14};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        x[k++] = special[i];
    while (k < N64 / 2)
        x[k++] = uniform(-760.0, 720.0);
    while (k < 3 * (N64 / 4))
        x[k++] = uniform(-3.0, 3.0);
    while (k < N64) {
        uint64_t b = next_u64();
        memcpy(&x[k++], &b, 8);
    }
    *count = k;
    return x;
}

static int failures = 0;

static void report(const char *what, const char *target, size_t i, uint64_t in, uint64_t a, uint64_t b)
{
    if (failures < 20)
        fprintf(stderr, "MISMATCH %s on %s at %zu: input %#llx scalar %#llx target %#llx\n", what,
                target, i, (unsigned long long)in, (unsigned long long)a, (unsigned long long)b);
    failures++;
}

/* the half-width element x through kernel k's vector-pair path: 64 copies,
 * each must give want with status st */
static void check_x64(qk_unary_f16_fn k, const char *what, int op, size_t i, uint16_t x,
                      uint16_t want, int st)
{
    uint16_t rep[64], out[64];
    for (int r = 0; r < 64; r++)
        rep[r] = x;
    const int sb = k(rep, out, 64);
    for (int r = 0; r < 64; r++)
        if (st != sb || out[r] != want) {
            report(unary_names[op], what, i, x, (uint64_t)st, (uint64_t)sb);
            break;
        }
}

/* every unary kernel of type T (bits as U) on target t against ref: n inputs,
 * every length 0..67 from a few offsets with guard zones, in place */
#define QK_DEFINE_CHECK_UNARY(sfx, T, U)                                                       \
    static void check_##sfx(const qk_target *ref, const qk_target *t, const T *x, size_t n)   \
    {                                                                                          \
        T *a = malloc(n * sizeof(T)), *b = malloc((n + 2 * GUARD) * sizeof(T));                \
        for (int op = 0; op < QK_N_UNARY; op++) {                                              \
            ref->unary_##sfx[op](x, a, (qk_size)n);                                            \
            t->unary_##sfx[op](x, b, (qk_size)n);                                              \
            for (size_t i = 0; i < n; i++)                                                     \
                if (memcmp(&a[i], &b[i], sizeof(T))) {                                         \
                    U u, v, w;                                                                 \
                    memcpy(&u, &x[i], sizeof(T)), memcpy(&v, &a[i], sizeof(T)),                \
                        memcpy(&w, &b[i], sizeof(T));                                          \
                    report(unary_names[op], t->name, i, u, v, w);                              \
                }                                                                              \
            for (size_t off = 0; off < 3; off++)                                               \
                for (size_t len = 0; len < 68; len++) {                                        \
                    for (size_t g = 0; g < n + 2 * GUARD && g < len + 2 * GUARD; g++)          \
                        b[g] = (T)-7.0;                                                        \
                    t->unary_##sfx[op](x + off * 1000 + len, b + GUARD, (qk_size)len);         \
                    ref->unary_##sfx[op](x + off * 1000 + len, a, (qk_size)len);               \
                    if (memcmp(a, b + GUARD, len * sizeof(T)))                                 \
                        report(unary_names[op], "tail " #sfx, len, 0, 0, 0);                   \
                    for (size_t g = 0; g < GUARD; g++)                                         \
                        if (b[g] != (T)-7.0 || b[GUARD + len + g] != (T)-7.0)                  \
                            report(unary_names[op], "guard " #sfx, len, 0, 0, 0);              \
                }                                                                              \
            ref->unary_##sfx[op](x, a, (qk_size)n);                                            \
            memcpy(b, x, n * sizeof(T));                                                       \
            t->unary_##sfx[op](b, b, (qk_size)n);                                              \
            if (memcmp(a, b, n * sizeof(T)))                                                   \
                report(unary_names[op], "in-place " #sfx, 0, 0, 0, 0);                         \
        }                                                                                      \
        free(a);                                                                               \
        free(b);                                                                               \
    }

QK_DEFINE_CHECK_UNARY(f32, float, uint32_t)
QK_DEFINE_CHECK_UNARY(f64, double, uint64_t)

/* the overflow status the 16-bit narrowings return (f2h: float16, f2b:
 * bfloat16; kernels/narrow_over.h): on pieces of every length 0..67 (vector
 * body and tail), the same on both targets and equal to the rule, any finite
 * |x| at or above the first value that rounds to inf; f2b's bits too. */
static void check_narrow_status(const qk_target *ref, const qk_target *t, const float *x, size_t n)
{
    uint16_t ha[67], hb[67];
    for (size_t o = 0; o + 67 <= n; o += 4099)
        for (size_t len = 0; len <= 67; len++)
            for (int bf = 0; bf < 2; bf++) {
                const uint32_t base = bf ? 0x7f7f8000u : 0x477ff000u;
                int want = 0;
                for (size_t i = 0; i < len; i++) {
                    uint32_t u;
                    memcpy(&u, &x[o + i], 4);
                    want |= (u & 0x7fffffffu) - base < 0x7f800000u - base;
                }
                const int sa = (bf ? ref->f2b : ref->f2h)(x + o, ha, (qk_size)len);
                const int sb = (bf ? t->f2b : t->f2h)(x + o, hb, (qk_size)len);
                if (sa != (want ? QK_FE_OVERFLOW : 0) || sb != sa)
                    report(bf ? "f2b status" : "f2h status", t->name, o, len, (uint64_t)sa, (uint64_t)sb);
                if (bf && memcmp(ha, hb, len * 2))
                    report("f2b", t->name, o, len, 0, 0);
            }
}

static void check_half(const qk_target *ref, const qk_target *t, const float *x, size_t n)
{
    uint16_t *h = malloc(65536 * sizeof(uint16_t));
    float *fa = malloc(65536 * sizeof(float)), *fb = malloc(65536 * sizeof(float));
    for (uint32_t i = 0; i < 65536; i++)
        h[i] = (uint16_t)i;
    ref->h2f(h, fa, 65536);
    t->h2f(h, fb, 65536);
    for (uint32_t i = 0; i < 65536; i++)
        if (memcmp(&fa[i], &fb[i], 4))
            report("h2f", t->name, i, i, 0, 0);
    uint16_t *ha = malloc(n * 2), *hb = malloc(n * 2);
    ref->f2h(x, ha, (qk_size)n);
    t->f2h(x, hb, (qk_size)n);
    for (size_t i = 0; i < n; i++)
        if (ha[i] != hb[i]) {
            uint32_t u;
            memcpy(&u, &x[i], 4);
            report("f2h", t->name, i, u, ha[i], hb[i]);
        }
    free(h), free(fa), free(fb), free(ha), free(hb);
    check_narrow_status(ref, t, x, n);
}

/* ---- float16 kernels ----
 * The specification: widen (h2f), the float32 kernel, then exp q1/q2's
 * half edge fix-ups or the half overflow status of the float32 result, the
 * underflow rule on the inputs, and round (f2h).  This is the loop quake ran before the fused
 * per-target float16 kernels, kept here as plain C. */
static uint32_t bits_of(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static int32_t order_key(uint32_t b) { return (int32_t)(b ^ ((uint32_t)((int32_t)b >> 31) >> 1)); }

static int spec_exp_edges(const float *x, float *y, size_t n)
{
    const int32_t kmax = order_key(bits_of(11.0859375f)), knorm = order_key(bits_of(-9.703125f));
    uint32_t over = 0, under = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t b = bits_of(x[i]), r = bits_of(y[i]);
        const uint32_t nan = (b & 0x7fffffffu) > 0x7f800000u;
        const int32_t k = order_key(b);
        const uint32_t big = !nan & (k > kmax), small = !nan & (k < knorm);
        over |= big & (b != 0x7f800000u);
        under |= small & (b != 0xff800000u);
        uint32_t c = r < 0x38800000u ? 0x38800000u : r;
        c = c > 0x477fe000u ? 0x477fe000u : c;
        r = big ? 0x7f800000u : small ? 0u : nan ? r : c;
        memcpy(&y[i], &r, 4);
    }
    return (over ? QK_FE_OVERFLOW : 0) | (under ? QK_FE_UNDERFLOW : 0);
}

static int spec_half_status(const float *y, size_t n)
{
    uint32_t over = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = bits_of(y[i]) & 0x7fffffffu;
        over |= (uint32_t)(a - 0x477ff000u < 0x7f800000u - 0x477ff000u);
    }
    return over ? QK_FE_OVERFLOW : 0;
}

/* Underflow by the rule of consts/underflow.h: finite x < T, with the op's
 * float16 threshold. */
static const float under_tail_f16[] = {
#define QK_UNARY(op, tier) QK_UNDER_T_##op##_F16,
#include "quake/ops.def"
#undef QK_UNARY
};

static int spec_half_underflow(int op, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] < under_tail_f16[op] && x[i] > -INFINITY)
            return QK_FE_UNDERFLOW;
    return 0;
}

static int spec_f16(const qk_target *ref, int op, const uint16_t *x, uint16_t *y, size_t n)
{
    float *f = malloc((n + 1) * sizeof(float)), *g = malloc((n + 1) * sizeof(float));
    ref->h2f(x, f, (qk_size)n);
    int st = ref->unary_f32[op](f, g, (qk_size)n) & ~QK_FE_UNDERFLOW;
    st |= (op == QK_U_exp_q1 || op == QK_U_exp_q2) ? spec_exp_edges(f, g, n) & ~QK_FE_UNDERFLOW
                                                     : spec_half_status(g, n);
    st |= spec_half_underflow(op, f, n);
    ref->f2h(g, y, (qk_size)n);
    free(f), free(g);
    return st;
}

/* bfloat16 (kernels/driver_bf16.h): the spec is the scalar float32 kernel on
 * the widened input, each result rounded by qk_float_to_bf16, with overflow
 * added where a finite float32 result rounds to +-inf. */
static int spec_bf16(const qk_target *ref, int op, const uint16_t *x, uint16_t *y, size_t n)
{
    float *f = calloc(n + 1, sizeof *f);
    for (size_t i = 0; i < n; i++)
        f[i] = qk_bf16_to_float(x[i]);
    int st = ref->unary_f32[op](f, f, (qk_size)n);
    for (size_t i = 0; i < n; i++) {
        uint32_t a;
        memcpy(&a, &f[i], sizeof a);
        a &= 0x7fffffffu;
        if (a >= 0x7f7f8000u && a < 0x7f800000u)
            st |= QK_FE_OVERFLOW;
        y[i] = qk_float_to_bf16(f[i]);
    }
    free(f);
    return st;
}

/* The 16-bit formats' references: the scalar target's kernels, or (spec) the
 * float32 kernel on the widened input with the format's rounding and status. */
typedef int (*ref16_fn)(const qk_target *ref, int op, int spec, const uint16_t *x, uint16_t *y,
                        size_t n);
static int ref_f16(const qk_target *ref, int op, int spec, const uint16_t *x, uint16_t *y, size_t n)
{
    return spec ? spec_f16(ref, op, x, y, n) : ref->unary_f16[op](x, y, (qk_size)n);
}
static int ref_bf16(const qk_target *ref, int op, int spec, const uint16_t *x, uint16_t *y, size_t n)
{
    return spec ? spec_bf16(ref, op, x, y, n) : ref->unary_bf16[op](x, y, (qk_size)n);
}

/* 16-bit kernels k (float16, or bfloat16: t's integer set or its AVX512_BF16
 * set) against refk: every bit pattern, values and the status of the whole
 * array and of each element alone (the tail path) and as 64 copies (the
 * vector-pair path); lengths 0..67 from a few offsets with guards; in place.
 * fmt ("f16", "bf16") prefixes the reports. */
static void check_16bit(const char *fmt, ref16_fn refk, const qk_target *ref,
                        const qk_unary_f16_fn *k, const char *who, int spec)
{
    const size_t n = 65536;
    char element[32], x64[32], tail[32], guard[32], inplace[32];
    snprintf(element, sizeof element, "%s element", fmt);
    snprintf(x64, sizeof x64, "%s element x64", fmt);
    snprintf(tail, sizeof tail, "%s tail", fmt);
    snprintf(guard, sizeof guard, "%s guard", fmt);
    snprintf(inplace, sizeof inplace, "%s in-place", fmt);
    uint16_t *h = malloc(n * 2), *a = malloc(n * 2), *b = malloc((n + 2 * GUARD) * 2);
    for (size_t i = 0; i < n; i++) /* a permutation mixing edges and NaNs into every block */
        h[i] = (uint16_t)(i * 40503u);
    for (int op = 0; op < QK_N_UNARY; op++) {
        int s1 = refk(ref, op, spec, h, a, n), s2 = k[op](h, b, (qk_size)n);
        if (s1 != s2)
            report(unary_names[op], who, n, 0, (uint64_t)s1, (uint64_t)s2);
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                report(unary_names[op], who, i, h[i], a[i], b[i]);
        for (size_t i = 0; i < n; i++) {
            uint16_t ya, yb;
            int sa = refk(ref, op, spec, h + i, &ya, 1), sb = k[op](h + i, &yb, 1);
            if (sa != sb || ya != yb)
                report(unary_names[op], element, i, h[i], (uint64_t)sa, (uint64_t)sb);
            check_x64(k[op], x64, op, i, h[i], ya, sa);
        }
        for (size_t off = 0; off < 3; off++)
            for (size_t len = 0; len < 68; len++) {
                const uint16_t *x = h + off * 1000 + 97 * len;
                for (size_t g = 0; g < len + 2 * GUARD; g++)
                    b[g] = 0xdead;
                s2 = k[op](x, b + GUARD, (qk_size)len);
                s1 = refk(ref, op, spec, x, a, len);
                if (s1 != s2 || memcmp(a, b + GUARD, len * 2))
                    report(unary_names[op], tail, len, off, (uint64_t)s1, (uint64_t)s2);
                for (size_t g = 0; g < GUARD; g++)
                    if (b[g] != 0xdead || b[GUARD + len + g] != 0xdead)
                        report(unary_names[op], guard, len, off, 0, 0);
            }
        s1 = refk(ref, op, spec, h, a, n);
        memcpy(b, h, n * 2);
        s2 = k[op](b, b, (qk_size)n);
        if (s1 != s2 || memcmp(a, b, n * 2))
            report(unary_names[op], inplace, 0, 0, (uint64_t)s1, (uint64_t)s2);
    }
    free(h), free(a), free(b);
}

/* ---- row operations (rowops.def): whole rows, in place, and segmented ---- */
static const char *const row_names[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) #tier "." #op,
#include "quake/rowops.def"
#undef QK_ROWOP
};
static const int row_scalar_out[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) sizeof(sig) == sizeof("(n)->()"),
#include "quake/rowops.def"
#undef QK_ROWOP
};
#define ROW_CHUNK 192 /* segment length: a multiple of every lane grouping (64) */

#define DEFINE_CHECK_ROWS(sfx, T, NEG_INF)                                                      \
    static void check_rows_##sfx(const qk_target *ref, const qk_target *t, const T *x, size_t n) \
    {                                                                                          \
        static const size_t lens[] = {0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64,    \
                                      65, 67, 127, 129, 200, 1000, 4099};                      \
        const size_t maxlen = 4099;                                                            \
        T *in = malloc(maxlen * sizeof(T)), *a = malloc(maxlen * sizeof(T));                   \
        T *b = malloc((maxlen + 2 * GUARD) * sizeof(T));                                       \
        for (int op = 0; op < QK_N_ROWOP; op++)                                                \
            for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++)                       \
                for (int var = 0; var < 4; var++) {                                            \
                    const size_t len = lens[li], outn = row_scalar_out[op] ? 1 : len;          \
                    const size_t base = (var == 1 ? n / 2 : var == 3 ? 3 * (n / 4) : 8192) +   \
                                        li * 37;                                               \
                    if (base + len > n)                                                        \
                        continue;                                                              \
                    for (size_t i = 0; i < len; i++)                                           \
                        in[i] = (var == 2 && i % 3 == 1) ? NEG_INF : x[base + i];              \
                    ref->rows_##sfx[op]((const char *)in, (char *)a, (qk_size)len, 1, 0, 0);   \
                    for (size_t g = 0; g < outn + 2 * GUARD; g++)                              \
                        b[g] = -7;                                                             \
                    t->rows_##sfx[op]((const char *)in, (char *)(b + GUARD), (qk_size)len, 1,  \
                                      0, 0);                                                   \
                    if (memcmp(a, b + GUARD, outn * sizeof(T)))                                \
                        report(row_names[op], t->name, len, (uint64_t)var, 0, 0);              \
                    for (size_t g = 0; g < GUARD; g++)                                         \
                        if (b[g] != -7 || b[GUARD + outn + g] != -7)                           \
                            report(row_names[op], "row guard", len, (uint64_t)var, 0, 0);      \
                    if (!row_scalar_out[op]) { /* in place */                                  \
                        memcpy(b, in, len * sizeof(T));                                        \
                        t->rows_##sfx[op]((const char *)b, (char *)b, (qk_size)len, 1, 0, 0);  \
                        if (memcmp(a, b, len * sizeof(T)))                                     \
                            report(row_names[op], "row in-place", len, (uint64_t)var, 0, 0);   \
                    }                                                                          \
                    /* segmented: chunks of ROW_CHUNK through every phase */                   \
                    qk_rowstate_##sfx st;                                                      \
                    const qk_seg_##sfx##_fn seg = t->seg_##sfx[op];                            \
                    seg(&st, QK_PH_INIT, NULL, NULL, 0);                                       \
                    for (size_t i = 0; i < len; i += ROW_CHUNK)                                \
                        seg(&st, QK_PH_MAX, in + i, NULL,                                      \
                            (qk_size)(len - i < ROW_CHUNK ? len - i : ROW_CHUNK));             \
                    if (seg(&st, QK_PH_MID, NULL, NULL, 0) == QK_ROW_FINITE) {                 \
                        for (size_t i = 0; i < len; i += ROW_CHUNK)                            \
                            seg(&st, QK_PH_SUM, in + i, NULL,                                  \
                                (qk_size)(len - i < ROW_CHUNK ? len - i : ROW_CHUNK));         \
                        seg(&st, QK_PH_FIN, NULL, NULL, 0);                                    \
                    }                                                                          \
                    if (row_scalar_out[op]) {                                                  \
                        seg(&st, QK_PH_OUT, NULL, b, 0);                                       \
                    } else {                                                                   \
                        for (size_t i = 0; i < len; i += ROW_CHUNK)                            \
                            seg(&st, QK_PH_OUT, in + i, b + i,                                 \
                                (qk_size)(len - i < ROW_CHUNK ? len - i : ROW_CHUNK));         \
                    }                                                                          \
                    if (memcmp(a, b, outn * sizeof(T)))                                        \
                        report(row_names[op], "row segmented", len, (uint64_t)var, 0, 0);      \
                }                                                                              \
        free(in), free(a), free(b);                                                            \
    }
DEFINE_CHECK_ROWS(f32, float, -INFINITY)
DEFINE_CHECK_ROWS(f64, double, -INFINITY)

/* many rows in one call (the rows kernels work on groups of rows) against
 * the reference one row at a time: outputs, in place, and status, with
 * special rows, rows that leave exp's fast window and rows of both q1
 * fold decisions mixed into the groups */
#define DEFINE_CHECK_ROWS_MULTI(sfx, T)                                                        \
    static void check_rows_multi_##sfx(const qk_target *ref, const qk_target *t, const T *x,  \
                                       size_t n)                                               \
    {                                                                                          \
        /* every length the lanes path takes (n <= 63 on AVX-512), then longer */          \
        static const size_t lens[] = {                                                         \
            1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, \
            22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, \
            43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, \
            64, 65, 100, 128, 200};                                                            \
        enum { NR = 37 }; /* two groups of 16 rows and some */                                 \
        const size_t maxlen = 200;                                                             \
        T *in = malloc(NR * maxlen * sizeof(T)), *a = malloc(NR * maxlen * sizeof(T));         \
        T *b = malloc(NR * maxlen * sizeof(T));                                                \
        enum { XPAD = 5, YPAD = 2 }; /* rows apart by more than their length */                \
        T *px = malloc(NR * (maxlen + XPAD) * sizeof(T)), *py = malloc(NR * (maxlen + YPAD) * sizeof(T)); \
        for (int op = 0; op < QK_N_ROWOP; op++)                                                \
            for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++)                       \
                for (int var = 0; var < 4; var++) {                                            \
                    const size_t len = lens[li], outn = row_scalar_out[op] ? 1 : len;          \
                    const size_t base = 4096 + li * 131 + (size_t)var * 977;                   \
                    int s1 = 0, s2;                                                            \
                    if (base + NR * len > n)                                                   \
                        continue;                                                              \
                    for (size_t r = 0; r < NR; r++)                                            \
                        for (size_t i = 0; i < len; i++) {                                     \
                            T v = x[base + r * len + i];                                       \
                            if (var >= 1 && r % 3 == 1)                                        \
                                v += (T)(r % 2 ? 2000 : -1500); /* q1: no fold */              \
                            if (var == 2 && r == 4 && i % 3 == 2)                              \
                                v = -INFINITY;                                                 \
                            if (var == 3 && ((r == 5 && i == len / 2) || r == 2))              \
                                v = r == 2 ? -INFINITY : NAN;                                  \
                            if (var == 3 && r == 9 && i == 0)                                  \
                                v = INFINITY;                                                  \
                            in[r * len + i] = v;                                               \
                        }                                                                      \
                    for (size_t r = 0; r < NR; r++)                                            \
                        s1 |= ref->rows_##sfx[op]((const char *)(in + r * len),                \
                                                  (char *)(a + r * outn), (qk_size)len, 1, 0, 0); \
                    s2 = t->rows_##sfx[op]((const char *)in, (char *)b, (qk_size)len, NR,      \
                                           (qk_size)(len * sizeof(T)), (qk_size)(outn * sizeof(T))); \
                    if (s1 != s2 || memcmp(a, b, NR * outn * sizeof(T)))                       \
                        report(row_names[op], "rows", len, (uint64_t)var, (uint64_t)s1,        \
                               (uint64_t)s2);                                                  \
                    if (!row_scalar_out[op]) {                                                 \
                        memcpy(b, in, NR * len * sizeof(T));                                   \
                        s2 = t->rows_##sfx[op]((const char *)b, (char *)b, (qk_size)len, NR,   \
                                               (qk_size)(len * sizeof(T)),                     \
                                               (qk_size)(len * sizeof(T)));                    \
                        if (s1 != s2 || memcmp(a, b, NR * len * sizeof(T)))                    \
                            report(row_names[op], "rows in-place", len, (uint64_t)var,         \
                                   (uint64_t)s1, (uint64_t)s2);                                \
                    }                                                                          \
                    const size_t xl = len + XPAD, yl = outn + YPAD;                            \
                    for (size_t r = 0; r < NR; r++)                                            \
                        memcpy(px + r * xl, in + r * len, len * sizeof(T));                    \
                    s2 = t->rows_##sfx[op]((const char *)px, (char *)py, (qk_size)len, NR,     \
                                           (qk_size)(xl * sizeof(T)), (qk_size)(yl * sizeof(T))); \
                    int bad = s1 != s2;                                                        \
                    for (size_t r = 0; r < NR; r++)                                            \
                        bad |= memcmp(a + r * outn, py + r * yl, outn * sizeof(T)) != 0;       \
                    if (bad)                                                                   \
                        report(row_names[op], "rows strided", len, (uint64_t)var, (uint64_t)s1, \
                               (uint64_t)s2);                                                  \
                }                                                                              \
        free(in), free(a), free(b), free(px), free(py);                                        \
    }
DEFINE_CHECK_ROWS_MULTI(f32, float)
DEFINE_CHECK_ROWS_MULTI(f64, double)

/* the vertical kernels (rows side by side, kernels/softmax_vertical.h)
 * against the reference rows kernel one row at a time: nv vectors of W
 * rows, row c's element i at in[i * NC + c]; outputs, in place, and the
 * vectors declined (each must hold a special row or both q1 folds, and be
 * left unwritten) */
#define DEFINE_CHECK_VERT(sfx, T, WFIELD, FOLD)                                                    \
    static void check_vert_##sfx(const qk_target *ref, const qk_target *t, const T *x, size_t n) \
    {                                                                                          \
        static const size_t lens[] = {1,  2,  3,  5,  8,  15, 16,  17,  31,  32, 33,           \
                                      63, 64, 65, 70, 127, 128, 129, 200, 1000};               \
        enum { NV = 3 };                                                                       \
        const size_t W = (size_t)t->WFIELD, NC = NV * W, maxlen = 1000;                        \
        T *in = malloc(NC * maxlen * sizeof(T)), *rw = malloc(NC * maxlen * sizeof(T));        \
        T *a = malloc(NC * maxlen * sizeof(T)), *b = malloc(NC * maxlen * sizeof(T));          \
        void *scr = malloc((maxlen + 3) * NC * sizeof(T) + 64);                                \
        void *sb = (char *)scr + (-(uintptr_t)scr & 63);                                       \
        for (int op = 0; op < QK_N_ROWOP; op++)                                                \
            for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++)                       \
                for (int var = 0; var < 4; var++) {                                            \
                    const size_t len = lens[li], outn = row_scalar_out[op] ? 1 : len;          \
                    const size_t base = 2048 + li * 131 + (size_t)var * 977;                   \
                    int spec[NV] = {0}, folds[NV] = {0};                                       \
                    if (base + NC * len > n)                                                   \
                        continue;                                                              \
                    for (size_t c = 0; c < NC; c++)                                            \
                        for (size_t i = 0; i < len; i++) {                                     \
                            T v = x[base + c * len + i];                                       \
                            if (var >= 1 && c % 5 == 1 && c / W != 1)                          \
                                v += (T)(c % 2 ? 2000 : -1500); /* q1: no fold */              \
                            if (var == 2 && c == 4 && i % 3 == 2)                              \
                                v = -INFINITY;                                                 \
                            if (var == 3 && c == NC - 1 && i == len / 2)                       \
                                v = NAN;                                                       \
                            if (var == 3 && c == 0)                                            \
                                v = i == 0 ? INFINITY : v;                                     \
                            rw[c * len + i] = in[i * NC + c] = v;                              \
                        }                                                                      \
                    for (size_t c = 0; c < NC; c++) {                                          \
                        ref->rows_##sfx[op]((const char *)(rw + c * len), (char *)(a + c * outn), \
                                            (qk_size)len, 1, 0, 0);                            \
                        T mx = -INFINITY;                                                      \
                        int nan = 0;                                                           \
                        for (size_t i = 0; i < len; i++) {                                     \
                            const T v = rw[c * len + i];                                       \
                            nan |= v != v;                                                     \
                            mx = v > mx ? v : mx;                                              \
                        }                                                                      \
                        spec[c / W] |= nan || mx == INFINITY || mx == -INFINITY;               \
                        folds[c / W] |= (mx >= -FOLD && mx <= FOLD) ? 1 : 2;                   \
                    }                                                                          \
                    for (int inplace = 0; inplace < (row_scalar_out[op] ? 1 : 2); inplace++) { \
                        T *out = b;                                                            \
                        unsigned bad = 0;                                                      \
                        for (size_t g = 0; g < NC * len; g++)                                  \
                            b[g] = inplace ? in[g] : -7;                                       \
                        const int st = t->vert_##sfx[op](inplace ? (const char *)b : (const char *)in, \
                                                         (char *)out, (qk_size)len,            \
                                                         (qk_size)(NC * sizeof(T)),            \
                                                         (qk_size)(NC * sizeof(T)),            \
                                                         (qk_size)sizeof(T), NV, sb, &bad);    \
                        if (st != 0)                                                           \
                            report(row_names[op], "vert status", len, (uint64_t)var, 0,        \
                                   (uint64_t)st);                                              \
                        for (size_t c = 0; c < NC; c++) {                                      \
                            const size_t v = c / W;                                            \
                            const int want_bad = spec[v] || (op % 3 == 0 && folds[v] == 3);    \
                            if (((bad >> v) & 1u) != (unsigned)want_bad)                       \
                                report(row_names[op], "vert declined", len, (uint64_t)var,     \
                                       (uint64_t)c, (uint64_t)bad);                            \
                            for (size_t i = 0; i < outn; i++) {                                \
                                const size_t o = row_scalar_out[op] ? c : i * NC + c;          \
                                const T want = (bad >> v & 1u)                                 \
                                                   ? (inplace ? in[o] : (T)-7)                 \
                                                   : a[c * outn + i];                          \
                                if (memcmp(&want, &out[o], sizeof(T)))                         \
                                    report(row_names[op], inplace ? "vert in-place" : "vert",  \
                                           len, (uint64_t)var, (uint64_t)c, (uint64_t)i);      \
                            }                                                                  \
                        }                                                                      \
                    }                                                                          \
                }                                                                              \
        free(in), free(rw), free(a), free(b), free(scr);                                       \
    }
DEFINE_CHECK_VERT(f32, float, vert_wf, 1024.0f)
DEFINE_CHECK_VERT(f64, double, vert_wd, 0x1p20)

/* every row kernel of t against ref: whole rows, in place, segmented, many rows
 * (the lanes and groups paths), vertical (rows side by side) */
static void check_row_kernels(const qk_target *ref, const qk_target *t, const float *x32,
                              size_t n32, const double *x64, size_t n64)
{
    check_rows_f32(ref, t, x32, n32);
    check_rows_f64(ref, t, x64, n64);
    check_rows_multi_f32(ref, t, x32, n32);
    check_rows_multi_f64(ref, t, x64, n64);
    check_vert_f32(ref, t, x32, n32);
    check_vert_f64(ref, t, x64, n64);
}

int main(int argc, char **argv)
{
    size_t n32, n64;
    float *x32 = make_f32(&n32);
    double *x64 = make_f64(&n64);
    if (argc > 1) { /* quick mode (valgrind): fewer inputs, tails still complete */
        n32 = (size_t)atol(argv[1]);
        n64 = n32 / 2;
    }
    const qk_target *ref = qk_target_at(0);
    int checked = 0;
    for (int i = 1; i < qk_target_count(); i++) {
        const qk_target *t = qk_target_at(i);
        if (!qk_target_supported(t)) {
            printf("%-8s not supported on this CPU: skipped\n", t->name);
            continue;
        }
        int before = failures;
        check_f32(ref, t, x32, n32);
        check_f64(ref, t, x64, n64);
        check_half(ref, t, x32, n32);
        check_16bit("f16", ref_f16, ref, t->unary_f16, t->name, 0);
        check_16bit("bf16", ref_bf16, ref, t->unary_bf16, t->name, 0);
        if (t->unary_bf16_hw && (qk_cpu_features() & t->bf16_hw_requires) == t->bf16_hw_requires) {
            check_16bit("bf16", ref_bf16, ref, t->unary_bf16_hw, "bf16 hw", 0);
            printf("%-8s AVX512_BF16 bfloat16 kernels checked too\n", t->name);
        }
        check_row_kernels(ref, t, x32, n32, x64, n64);
        printf("%-8s vs scalar: %d row kernels (whole, in place, segmented, many rows, vertical), %d unary kernels x (%zu float32 + %zu float64 inputs, lengths 0..67,"
               " in place), float16 conversions and %d float16 kernels: %s\n",
               t->name, QK_N_ROWOP, QK_N_UNARY, n32, n64, QK_N_UNARY, failures == before ? "bit-identical" : "MISMATCH");
        checked++;
    }
    /* the reference itself must also handle every tail length, and its
     * float16 kernels must be the float32 kernels with h2f/f2h and fix-ups */
    check_f32(ref, ref, x32, n32 < 5000 ? n32 : 5000);
    check_16bit("f16", ref_f16, ref, ref->unary_f16, "f16 vs spec", 1);
    printf("scalar float16 kernels vs float32 kernel + conversions + fix-ups: %s\n",
           failures ? "MISMATCH (or earlier failures)" : "bit-identical");
    check_16bit("bf16", ref_bf16, ref, ref->unary_bf16, "bf16 vs spec", 1);
    printf("scalar bfloat16 kernels vs float32 kernel + rounding + status: %s\n",
           failures ? "MISMATCH (or earlier failures)" : "bit-identical");
    check_row_kernels(ref, ref, x32, n32, x64, n64);
    free(x32);
    free(x64);
    if (!checked)
        printf("no SIMD target supported here: only the scalar reference was exercised\n");
    return failures ? 1 : 0;
}
