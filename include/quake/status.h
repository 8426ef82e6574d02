/* Floating-point exception bits a kernel reports back to the ufunc loop,
 * which raises them with feraiseexcept() so that NumPy's np.errstate
 * machinery sees them exactly as it sees np.exp's. */
#ifndef QUAKE_STATUS_H
#define QUAKE_STATUS_H

#define QK_FE_OVERFLOW 1
#define QK_FE_UNDERFLOW 2
#define QK_FE_INVALID 4
#define QK_FE_DIVBYZERO 8

#endif
