/* quake._jax_ffi: XLA FFI handlers that run quake's C kernels inside jitted
 * JAX code, so a jax.jit'ed function calls them without re-entering Python.
 *
 * Plain C against quake's own declaration of XLA's typed FFI C ABI
 * (xla_ffi_abi.h): no jaxlib is needed to build it, so every build has it.
 * quake.jax (_backend.py) registers the handlers with jax.ffi and falls back
 * to a host callback when the installed jaxlib does not accept them.
 *
 * The kernels live in quake._ufuncs and are reached through its C API
 * capsule (include/quake/capi.h), so this module holds no kernel code and
 * always agrees bit for bit with the NumPy ufuncs and the active target.
 *
 * Semantics (those of the typed-FFI binding Arg<AnyBuffer>, Ret<AnyBuffer>,
 * Attr<int32_t>("op")): exactly one buffer argument, one buffer result and
 * one attribute, a 32-bit integer scalar named "op".
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "quake/capi.h"
#include "xla_ffi_abi.h"

static const qk_capi *g_api = NULL;

/* The API minor version the handlers report to XLA's version query; set by
 * quake.jax before it registers them (written and read with the GIL held:
 * XLA asks while jax.ffi.register_ffi_target runs). */
static int g_report_minor = QK_XFFI_MINOR_MAX;
/* the runtime's own version, when its query passed the API table (-1: not seen) */
static int g_seen_major = -1, g_seen_minor = -1;

/* XLA element type -> quake dtype code: one row per dtype the kernels take */
static const struct {
    int32_t xla;
    int qk;
    int capi_version; /* the C API version that first has it */
    const char *name;
} DTYPES[] = {
    {QK_XFFI_F16, QK_DT_F16, 1, "float16"},
    {QK_XFFI_BF16, QK_DT_BF16, 2, "bfloat16"},
    {QK_XFFI_F32, QK_DT_F32, 1, "float32"},
    {QK_XFFI_F64, QK_DT_F64, 1, "float64"},
};
#define N_DTYPES (sizeof DTYPES / sizeof DTYPES[0])

static int dtype_code(int32_t xla)
{
    for (size_t i = 0; i < N_DTYPES; i++)
        if (DTYPES[i].xla == xla && g_api->version >= DTYPES[i].capi_version)
            return DTYPES[i].qk;
    return -1;
}

static qk_xffi_error *fail(const qk_xffi_api *api, int32_t code, const char *msg)
{
    qk_xffi_error_create_args a;
    memset(&a, 0, sizeof a);
    a.struct_size = QK_XFFI_ERROR_CREATE_ARGS_SIZE;
    a.extension_start = NULL;
    a.message = msg;
    a.errc = code;
    return api->error_create(&a);
}

/* XLA's version query: fill in the handler's API version (no API table may
 * come with it, so errors cannot be created; a version left at 0.0 makes
 * XLA refuse the handler). */
static qk_xffi_error *answer_metadata(qk_xffi_call_frame *frame)
{
    const qk_xffi_api *api = frame->api;
    if (api && api->struct_size >= QK_XFFI_SIZE_TO(qk_xffi_api, api_version)) {
        g_seen_major = api->api_version.major_version;
        g_seen_minor = api->api_version.minor_version;
    }
    qk_xffi_metadata_ext *ext = (qk_xffi_metadata_ext *)frame->extension_start;
    if (ext->extension_base.struct_size < QK_XFFI_METADATA_EXT_SIZE || !ext->metadata ||
        ext->metadata->struct_size < QK_XFFI_METADATA_SIZE) {
        if (api && api->struct_size >= QK_XFFI_API_NEEDED)
            return fail(api, QK_XFFI_ERR_FAILED_PRECONDITION,
                        "quake: XLA's FFI metadata query is older than FFI API 0.1");
        return NULL;
    }
    qk_xffi_metadata *md = ext->metadata;
    md->api_version.struct_size = QK_XFFI_VERSION_SIZE;
    md->api_version.extension_start = NULL;
    md->api_version.major_version = QK_XFFI_MAJOR;
    md->api_version.minor_version = g_report_minor;
    md->traits = 0;
    return NULL;
}

/* Common checks of a call: sizes of every struct read, stage, one buffer
 * argument, one buffer result, one int32 scalar attribute "op".  NULL and
 * *x, *y, *op, *dt set when the call is well formed; else the error. */
static qk_xffi_error *decode(qk_xffi_call_frame *frame, const qk_xffi_buffer **x,
                             const qk_xffi_buffer **y, int32_t *op, int *dt, int *bad)
{
    const qk_xffi_api *api = frame->api;
    *bad = 1;
    if (!api || api->struct_size < QK_XFFI_API_NEEDED)
        return NULL; /* no way to report it: the caller returns a generic failure */
    if (frame->struct_size < QK_XFFI_CALL_FRAME_SIZE || frame->args.struct_size < QK_XFFI_ARGS_SIZE ||
        frame->rets.struct_size < QK_XFFI_RETS_SIZE ||
        frame->attrs.struct_size < QK_XFFI_ATTRS_SIZE)
        return fail(api, QK_XFFI_ERR_FAILED_PRECONDITION,
                    "quake: XLA's FFI call frame is smaller than FFI API 0.1's");
    if (frame->stage != QK_XFFI_STAGE_EXECUTE)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT, "quake: handler called outside the execute stage");
    if (frame->args.size != 1 || frame->args.types[0] != QK_XFFI_ARG_BUFFER)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT, "quake: expected one buffer argument");
    if (frame->rets.size != 1 || frame->rets.types[0] != QK_XFFI_RET_BUFFER)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT, "quake: expected one buffer result");
    if (frame->attrs.size != 1 || frame->attrs.types[0] != QK_XFFI_ATTR_SCALAR ||
        frame->attrs.names[0]->len != 2 || memcmp(frame->attrs.names[0]->ptr, "op", 2) != 0)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT, "quake: expected one scalar attribute 'op'");
    const qk_xffi_scalar *s = (const qk_xffi_scalar *)frame->attrs.attrs[0];
    if (s->dtype != QK_XFFI_S32)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT, "quake: attribute 'op' must be an int32");
    memcpy(op, s->value, sizeof *op);
    *x = (const qk_xffi_buffer *)frame->args.args[0];
    *y = (const qk_xffi_buffer *)frame->rets.rets[0];
    if ((*x)->struct_size < QK_XFFI_BUFFER_SIZE || (*y)->struct_size < QK_XFFI_BUFFER_SIZE)
        return fail(api, QK_XFFI_ERR_FAILED_PRECONDITION,
                    "quake: XLA's FFI buffer is smaller than FFI API 0.1's");
    *dt = dtype_code((*x)->dtype);
    if (*dt < 0)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT,
                    "quake: only float16, bfloat16, float32 and float64 buffers are supported");
    if ((*y)->dtype != (*x)->dtype)
        return fail(api, QK_XFFI_ERR_INVALID_ARGUMENT, "quake: result dtype differs from the input's");
    *bad = 0;
    return NULL;
}

/* product of dims[lo:hi] */
static int64_t count(const qk_xffi_buffer *b, int64_t lo, int64_t hi)
{
    int64_t n = 1;
    for (int64_t i = lo; i < hi; i++)
        n *= b->dims[i];
    return n;
}

/* A version query (metadata extension) or a malformed frame: the answer, or
 * NULL when the call is to run (frame decoded into the out arguments). */
#define QK_PROLOGUE(frame, x, y, op, dt)                                                   \
    do {                                                                                   \
        if ((frame)->extension_start && (frame)->extension_start->type == QK_XFFI_EXT_METADATA) \
            return answer_metadata(frame);                                                 \
        int bad_;                                                                          \
        qk_xffi_error *e_ = decode((frame), &(x), &(y), &(op), &(dt), &bad_);              \
        if (bad_)                                                                          \
            return e_;                                                                     \
    } while (0)

/* Elementwise op `op` (row of include/quake/ops.def) over the whole buffer. */
static qk_xffi_error *quake_unary(qk_xffi_call_frame *frame)
{
    const qk_xffi_buffer *x, *y;
    int32_t op;
    int dt;
    QK_PROLOGUE(frame, x, y, op, dt);
    const int64_t n = count(x, 0, x->rank);
    if (count(y, 0, y->rank) != n)
        return fail(frame->api, QK_XFFI_ERR_INVALID_ARGUMENT,
                    "quake: result size differs from the input's");
    if (n == 0)
        return NULL;
    if (g_api->unary(op, dt, x->data, y->data, (ptrdiff_t)n) < 0) {
        char msg[64];
        snprintf(msg, sizeof msg, "quake: unknown elementwise op id %d", (int)op);
        return fail(frame->api, QK_XFFI_ERR_INVALID_ARGUMENT, msg);
    }
    return NULL;
}

/* Row op `op` (row of include/quake/rowops.def) over the last axis. */
static qk_xffi_error *quake_rows(qk_xffi_call_frame *frame)
{
    const qk_xffi_buffer *x, *y;
    int32_t op;
    int dt;
    QK_PROLOGUE(frame, x, y, op, dt);
    if (x->rank < 1)
        return fail(frame->api, QK_XFFI_ERR_INVALID_ARGUMENT,
                    "quake: row ops need at least one axis");
    const int64_t n = x->dims[x->rank - 1];
    const int64_t rows = count(x, 0, x->rank - 1);
    const int64_t out = count(y, 0, y->rank);
    if (out != rows * n && out != rows)
        return fail(frame->api, QK_XFFI_ERR_INVALID_ARGUMENT,
                    "quake: result shape does not match the rows");
    if (rows == 0)
        return NULL;
    if (g_api->rows(op, dt, x->data, y->data, (ptrdiff_t)rows, (ptrdiff_t)n) < 0) {
        char msg[64];
        snprintf(msg, sizeof msg, "quake: unknown row op id %d", (int)op);
        return fail(frame->api, QK_XFFI_ERR_INVALID_ARGUMENT, msg);
    }
    return NULL;
}

/* ---- Python module ---- */

static PyObject *handlers(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    static const struct {
        const char *name;
        qk_xffi_handler *fn;
    } table[] = {{"quake_unary", quake_unary}, {"quake_rows", quake_rows}};
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        /* a function pointer travels in the capsule's void*, as jax.ffi expects
         * (POSIX and Win32 both guarantee the round trip) */
        void *p;
        qk_xffi_handler *fn = table[i].fn;
        memcpy(&p, &fn, sizeof p);
        PyObject *cap = PyCapsule_New(p, NULL, NULL);
        if (!cap || PyDict_SetItemString(d, table[i].name, cap) < 0) {
            Py_XDECREF(cap);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(cap);
    }
    return d;
}

static PyObject *set_api_version(PyObject *self, PyObject *args)
{
    (void)self;
    int major, minor;
    if (!PyArg_ParseTuple(args, "ii", &major, &minor))
        return NULL;
    if (major != QK_XFFI_MAJOR || minor < QK_XFFI_MINOR_MIN || minor > QK_XFFI_MINOR_MAX) {
        PyErr_Format(PyExc_ValueError, "quake._jax_ffi: FFI API %d.%d is outside %d.%d-%d.%d",
                     major, minor, QK_XFFI_MAJOR, QK_XFFI_MINOR_MIN, QK_XFFI_MAJOR,
                     QK_XFFI_MINOR_MAX);
        return NULL;
    }
    g_report_minor = minor;
    Py_RETURN_NONE;
}

static PyObject *api_version(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return Py_BuildValue("(ii)", QK_XFFI_MAJOR, g_report_minor);
}

static PyObject *runtime_api_version(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    if (g_seen_major < 0)
        Py_RETURN_NONE;
    return Py_BuildValue("(ii)", g_seen_major, g_seen_minor);
}

static PyMethodDef methods[] = {
    {"handlers", handlers, METH_NOARGS,
     "handlers() -> {name: PyCapsule}: XLA FFI handlers for jax.ffi.register_ffi_target."},
    {"set_api_version", set_api_version, METH_VARARGS,
     "set_api_version(major, minor): the FFI API version the handlers report to XLA's\n"
     "version query (within ffi_api_major.ffi_api_minors); set before registering."},
    {"api_version", api_version, METH_NOARGS,
     "api_version() -> (major, minor): the version the handlers report."},
    {"runtime_api_version", runtime_api_version, METH_NOARGS,
     "runtime_api_version() -> (major, minor) or None: the runtime's own FFI API version,\n"
     "where its version query passed it (newer XLA), else None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "quake._jax_ffi",
    "XLA FFI handlers running quake's kernels (see quake.jax), built against quake's\n"
    "own declaration of XLA's typed FFI C ABI (no jaxlib at build time).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__jax_ffi(void)
{
    g_api = (const qk_capi *)PyCapsule_Import(QK_CAPI_CAPSULE, 0);
    if (!g_api)
        return NULL;
    if (g_api->version < 1) {
        PyErr_SetString(PyExc_ImportError, "quake._jax_ffi: quake._ufuncs C API too old");
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    PyObject *minors = Py_BuildValue("(ii)", QK_XFFI_MINOR_MIN, QK_XFFI_MINOR_MAX);
    if (!minors || PyModule_AddIntConstant(m, "ffi_api_major", QK_XFFI_MAJOR) < 0 ||
        PyModule_AddObject(m, "ffi_api_minors", minors) < 0) {
        Py_XDECREF(minors);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
