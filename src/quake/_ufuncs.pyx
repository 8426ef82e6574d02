# cython: language_level=3, boundscheck=False, wraparound=False
"""Low-level registration of quake's NumPy ufuncs and the target switch.

Public API lives in quake/__init__.py; this module only creates ufunc
objects over the C loops (src/quake/_kern/loops.c) and exposes the CPU
dispatch state.  Everything it hands to NumPy (loop, data and type arrays,
names, docstrings) has static lifetime: NumPy keeps the pointers.
"""
cimport numpy as cnp

cnp.import_array()
cnp.import_umath()

cdef extern from "quake/dispatch.h":
    ctypedef struct qk_target:
        const char *name
        unsigned requires
    enum:
        QK_N_UNARY
        QK_N_ROWOP
        QK_CPU_SSE2, QK_CPU_AVX, QK_CPU_AVX2, QK_CPU_FMA, QK_CPU_F16C
        QK_CPU_AVX512F, QK_CPU_AVX512DQ, QK_CPU_AVX512BW, QK_CPU_AVX512VL
        QK_CPU_NEON, QK_CPU_FP16, QK_CPU_AVX512BF16
    unsigned qk_cpu_features() nogil
    int qk_target_count() nogil
    const qk_target *qk_target_at(int i) nogil
    int qk_target_supported(const qk_target *t) nogil
    const qk_target *qk_active_target() nogil
    int qk_set_active_target(const char *name) nogil
    void qk_set_bf16_hw(int on) nogil
    int qk_bf16_hw_active(const qk_target *t) nogil

cdef extern from "numpy/ndarraytypes.h":
    enum:
        NPY_HALF

cdef extern from "loops.h":
    ctypedef struct qk_op_data:
        int id
    const qk_op_data qk_unary_data[]
    const char *const qk_unary_op_names[]
    const char *const qk_unary_tier_names[]
    const char *const qk_unary_qualnames[]
    void qk_loop_unary_f16(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil
    void qk_loop_unary_bf16(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil
    void qk_loop_unary_f32(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil
    void qk_loop_unary_f64(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil

# One set of loops and type signatures serves every elementwise op; the
# per-op `data` pointer selects the kernel row.  Loop order e, f, d: NumPy
# picks the first loop the input casts to safely, like np.exp (int8 and bool
# give float16, int16 float32, int32/int64 float64).
cdef cnp.PyUFuncGenericFunction unary_loops[3]
cdef char unary_types[6]
cdef void *unary_data[QK_N_UNARY][3]

unary_loops[0] = <cnp.PyUFuncGenericFunction>qk_loop_unary_f16
unary_loops[1] = <cnp.PyUFuncGenericFunction>qk_loop_unary_f32
unary_loops[2] = <cnp.PyUFuncGenericFunction>qk_loop_unary_f64
unary_types[0] = NPY_HALF
unary_types[1] = NPY_HALF
unary_types[2] = cnp.NPY_FLOAT
unary_types[3] = cnp.NPY_FLOAT
unary_types[4] = cnp.NPY_DOUBLE
unary_types[5] = cnp.NPY_DOUBLE

_docstrings = []  # keeps docstring buffers alive: NumPy stores the pointer


def unary_ops():
    """[(op, tier), ...] in kernel-table order (include/quake/ops.def)."""
    return [(qk_unary_op_names[i].decode(), qk_unary_tier_names[i].decode())
            for i in range(QK_N_UNARY)]


def make_unary(int index, str doc):
    """Create the ufunc for row `index` of ops.def, named '<tier>.<op>'."""
    if not 0 <= index < QK_N_UNARY:
        raise IndexError(index)
    cdef bytes b = doc.encode()
    _docstrings.append(b)
    for k in range(3):
        unary_data[index][k] = <void *>&qk_unary_data[index]
    return cnp.PyUFunc_FromFuncAndData(
        unary_loops, unary_data[index], unary_types, 3, 1, 1, cnp.PyUFunc_None,
        qk_unary_qualnames[index], <char *>b, 0)


cdef extern from "rowloops.h":
    ctypedef struct qk_rowop_data:
        int id
    const qk_rowop_data qk_rowop_data_table[]
    const char *const qk_rowop_op_names[]
    const char *const qk_rowop_tier_names[]
    const char *const qk_rowop_qualnames[]
    const char *const qk_rowop_signatures[]
    void qk_loop_row_f16(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil
    void qk_loop_row_bf16(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil
    void qk_loop_row_f32(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil
    void qk_loop_row_f64(char **, const cnp.npy_intp *, const cnp.npy_intp *, void *) noexcept nogil

# Row operations (softmax, log_softmax, logsumexp) are generalized ufuncs
# with one set of e/f/d loops; `data` selects the rowops.def row.
cdef cnp.PyUFuncGenericFunction row_loops[3]
cdef void *row_data[QK_N_ROWOP][3]

row_loops[0] = <cnp.PyUFuncGenericFunction>qk_loop_row_f16
row_loops[1] = <cnp.PyUFuncGenericFunction>qk_loop_row_f32
row_loops[2] = <cnp.PyUFuncGenericFunction>qk_loop_row_f64


def row_ops():
    """[(op, tier, signature), ...] in kernel-table order (include/quake/rowops.def)."""
    return [(qk_rowop_op_names[i].decode(), qk_rowop_tier_names[i].decode(),
             qk_rowop_signatures[i].decode()) for i in range(QK_N_ROWOP)]


def make_rowop(int index, str doc):
    """Create the gufunc for row `index` of rowops.def, named '<tier>.<op>'."""
    if not 0 <= index < QK_N_ROWOP:
        raise IndexError(index)
    cdef bytes b = doc.encode()
    _docstrings.append(b)
    for k in range(3):
        row_data[index][k] = <void *>&qk_rowop_data_table[index]
    return cnp.PyUFunc_FromFuncAndDataAndSignature(
        row_loops, row_data[index], unary_types, 3, 1, 1, cnp.PyUFunc_None,
        <char *>qk_rowop_qualnames[index], <char *>b, 0, <char *>qk_rowop_signatures[index])


# bfloat16 (ml_dtypes.bfloat16, a user dtype): one loop per ufunc registered
# for its type number, when ml_dtypes is importable (_registry.py).  NumPy
# copies arg_types and keeps `data` (static: qk_unary_data / the row table).
cdef extern from "numpy/ufuncobject.h":
    ctypedef struct PyUFuncObject:
        pass
    int PyUFunc_RegisterLoopForType(PyUFuncObject *ufunc, int usertype,
                                    cnp.PyUFuncGenericFunction function,
                                    const int *arg_types, void *data) except -1

cdef int bf16_types[2]


def register_bf16(ufunc, int typenum, int index, bint row):
    """Register the bfloat16 loop of row `index` (ops.def, or rowops.def
    when `row`) on `ufunc` for the user dtype number `typenum`."""
    if not isinstance(ufunc, cnp.ufunc):
        raise TypeError("not a ufunc")
    bf16_types[0] = typenum
    bf16_types[1] = typenum
    if row:
        if not 0 <= index < QK_N_ROWOP:
            raise IndexError(index)
        PyUFunc_RegisterLoopForType(<PyUFuncObject *>ufunc, typenum,
                                    <cnp.PyUFuncGenericFunction>qk_loop_row_bf16, bf16_types,
                                    <void *>&qk_rowop_data_table[index])
    else:
        if not 0 <= index < QK_N_UNARY:
            raise IndexError(index)
        PyUFunc_RegisterLoopForType(<PyUFuncObject *>ufunc, typenum,
                                    <cnp.PyUFuncGenericFunction>qk_loop_unary_bf16, bf16_types,
                                    <void *>&qk_unary_data[index])


def set_bf16_hw(bint on):
    """Testing: allow (default) or forbid the AVX512_BF16 narrowing."""
    qk_set_bf16_hw(on)


def bf16_hw_active():
    """Whether the active target's bfloat16 kernels narrow with AVX512_BF16."""
    return bool(qk_bf16_hw_active(qk_active_target()))


_FEATURE_BITS = {
    "sse2": QK_CPU_SSE2, "avx": QK_CPU_AVX, "avx2": QK_CPU_AVX2, "fma": QK_CPU_FMA,
    "f16c": QK_CPU_F16C, "avx512f": QK_CPU_AVX512F, "avx512dq": QK_CPU_AVX512DQ,
    "avx512bw": QK_CPU_AVX512BW, "avx512vl": QK_CPU_AVX512VL, "neon": QK_CPU_NEON,
    "fp16": QK_CPU_FP16, "avx512bf16": QK_CPU_AVX512BF16,
}


def cpu_features():
    """{feature: bool} as detected once (cpuid/xgetbv on x86-64)."""
    cdef unsigned f = qk_cpu_features()
    return {name: bool(f & bit) for name, bit in _FEATURE_BITS.items()}


def targets():
    """[(name, supported_on_this_cpu, required_features)] from portable to fastest."""
    out = []
    cdef const qk_target *t
    for i in range(qk_target_count()):
        t = qk_target_at(i)
        req = [name for name, bit in _FEATURE_BITS.items() if t.requires & bit]
        out.append((t.name.decode(), bool(qk_target_supported(t)), req))
    return out


def active_target():
    return qk_active_target().name.decode()


def set_target(name):
    """Make `name` ('scalar', 'avx2', ... or 'best') the active target."""
    cdef bytes b = name.encode()
    cdef int rc = qk_set_active_target(b)
    if rc == -1:
        known = [t[0] for t in targets()]
        raise ValueError(f"unknown quake target {name!r}; compiled targets: {known}")
    if rc == -2:
        raise ValueError(f"quake target {name!r} is not supported by this CPU")


# How this extension was built: setup.py generates quake_build_info.h in the
# build directory; the compiler's own version comes from its predefined macros.
cdef extern from "quake_build_info.h":
    const char *QK_BUILD_COMPILER
    const char *QK_BUILD_FLAGS

cdef extern from *:
    """
    #define QK_STR_(x) #x
    #define QK_STR(x) QK_STR_(x)
    #if defined(__clang__)
    #define QK_COMPILER_VERSION "clang " __clang_version__
    #elif defined(__GNUC__)
    #define QK_COMPILER_VERSION "gcc " __VERSION__
    #elif defined(_MSC_FULL_VER)
    #define QK_COMPILER_VERSION "MSVC " QK_STR(_MSC_FULL_VER)
    #else
    #define QK_COMPILER_VERSION "unknown"
    #endif
    """
    const char *QK_COMPILER_VERSION


def build_info():
    """{"compiler": command, "version": the compiler's own, "flags": its flags}."""
    return {"compiler": QK_BUILD_COMPILER.decode(), "version": QK_COMPILER_VERSION.decode(),
            "flags": QK_BUILD_FLAGS.decode()}


# The C API for other extensions (include/quake/capi.h), e.g. quake's JAX FFI
# handlers: PyCapsule_Import("quake._ufuncs._C_API") returns the table.
from cpython.pycapsule cimport PyCapsule_New

cdef extern from "capi_export.h":
    ctypedef struct qk_capi:
        int version
    const qk_capi qk_capi_table

_C_API = PyCapsule_New(<void *>&qk_capi_table, b"quake._ufuncs._C_API", NULL)


# The worker pool (src/quake/_kern/pool.c): threads per call and the grains.
cdef extern from "pool.h":
    enum:
        QK_POOL_MAX
        QK_N_FAM
    cnp.npy_intp qk_pool_grain[]
    int qk_pool_get_threads() nogil
    void qk_pool_set_threads(int n) nogil
    int qk_pool_started() nogil

POOL_MAX = QK_POOL_MAX
GRAIN_FAMILIES = ("cheap", "precise", "rows")  # pool.h's QK_FAM_* order


def pool_threads():
    """Threads one ufunc call may use (the pool's size, the caller included)."""
    return qk_pool_get_threads()


def set_pool_threads(int n):
    """Set the threads per call (clamped to 1..POOL_MAX); returns the previous value."""
    cdef int old = qk_pool_get_threads()
    qk_pool_set_threads(n)
    return old


def pool_started():
    """Worker threads started so far (0 before the first split call, and after fork)."""
    return qk_pool_started()


def grains():
    """{family: minimum elements per thread} (pool.c, tools/measure_grain.py)."""
    return {name: qk_pool_grain[i] for i, name in enumerate(GRAIN_FAMILIES)}


def set_grain(str family, cnp.npy_intp value):
    """Testing and tools/measure_grain.py only: change one family's grain
    (not thread-safe against running calls); returns the previous value."""
    cdef int i = GRAIN_FAMILIES.index(family)
    if value < 1:
        raise ValueError("grain must be >= 1")
    old = qk_pool_grain[i]
    qk_pool_grain[i] = value
    return old
