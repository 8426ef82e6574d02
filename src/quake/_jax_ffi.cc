// XLA FFI handlers that run quake's C kernels inside jitted JAX code, so a
// jax.jit'ed function calls them without re-entering Python.
//
// Built only where jaxlib's FFI headers are present at build time (setup.py,
// QUAKE_JAX_FFI); quake.jax (quake/jax/_backend.py) falls back to jax.pure_callback
// otherwise.
// The kernels live in quake._ufuncs and are reached through its C API
// capsule (include/quake/capi.h), so this module holds no kernel code and
// always agrees bit for bit with the NumPy ufuncs and the active target.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstdint>
#include <string>

#include "quake/capi.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

const qk_capi *g_api = nullptr;

// quake dtype code of an XLA element type, or -1
int dtype_code(ffi::DataType t)
{
    switch (t) {
    case ffi::DataType::F16: return QK_DT_F16;
    case ffi::DataType::F32: return QK_DT_F32;
    case ffi::DataType::F64: return QK_DT_F64;
    case ffi::DataType::BF16: return g_api->version >= 2 ? QK_DT_BF16 : -1;
    default: return -1;
    }
}

ffi::Error check(const ffi::AnyBuffer &x, const ffi::AnyBuffer &y, int *dt)
{
    *dt = dtype_code(x.element_type());
    if (*dt < 0)
        return ffi::Error::InvalidArgument(
            "quake: only float16, bfloat16, float32 and float64 buffers are supported");
    if (y.element_type() != x.element_type())
        return ffi::Error::InvalidArgument("quake: result dtype differs from the input's");
    return ffi::Error::Success();
}

// Elementwise op `op` (row of include/quake/ops.def) over the whole buffer.
ffi::Error unary_impl(ffi::AnyBuffer x, ffi::Result<ffi::AnyBuffer> y, int32_t op)
{
    int dt;
    if (ffi::Error e = check(x, *y, &dt); e.failure())
        return e;
    if (y->element_count() != x.element_count())
        return ffi::Error::InvalidArgument("quake: result size differs from the input's");
    const auto n = static_cast<ptrdiff_t>(x.element_count());
    if (n == 0)
        return ffi::Error::Success();
    if (g_api->unary(op, dt, x.untyped_data(), y->untyped_data(), n) < 0)
        return ffi::Error::InvalidArgument("quake: unknown elementwise op id " +
                                           std::to_string(op));
    return ffi::Error::Success();
}

// Row op `op` (row of include/quake/rowops.def) over the last axis.
ffi::Error rows_impl(ffi::AnyBuffer x, ffi::Result<ffi::AnyBuffer> y, int32_t op)
{
    int dt;
    if (ffi::Error e = check(x, *y, &dt); e.failure())
        return e;
    const auto dims = x.dimensions();
    if (dims.size() == 0)
        return ffi::Error::InvalidArgument("quake: row ops need at least one axis");
    const auto n = static_cast<ptrdiff_t>(dims.back());
    ptrdiff_t rows = 1;
    for (size_t i = 0; i + 1 < dims.size(); i++)
        rows *= static_cast<ptrdiff_t>(dims[i]);
    const auto out = static_cast<ptrdiff_t>(y->element_count());
    if (out != rows * n && out != rows)
        return ffi::Error::InvalidArgument("quake: result shape does not match the rows");
    if (rows == 0)
        return ffi::Error::Success();
    if (g_api->rows(op, dt, x.untyped_data(), y->untyped_data(), rows, n) < 0)
        return ffi::Error::InvalidArgument("quake: unknown row op id " + std::to_string(op));
    return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(quake_unary, unary_impl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Attr<int32_t>("op"));

XLA_FFI_DEFINE_HANDLER_SYMBOL(quake_rows, rows_impl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Attr<int32_t>("op"));

// ---- Python module: handlers() -> {target name: PyCapsule} ----

static PyObject *handlers(PyObject *, PyObject *)
{
    PyObject *d = PyDict_New();
    if (!d)
        return nullptr;
    const struct {
        const char *name;
        void *fn;
    } table[] = {{"quake_unary", reinterpret_cast<void *>(quake_unary)},
                 {"quake_rows", reinterpret_cast<void *>(quake_rows)}};
    for (const auto &h : table) {
        PyObject *cap = PyCapsule_New(h.fn, nullptr, nullptr);
        if (!cap || PyDict_SetItemString(d, h.name, cap) < 0) {
            Py_XDECREF(cap);
            Py_DECREF(d);
            return nullptr;
        }
        Py_DECREF(cap);
    }
    return d;
}

static PyMethodDef methods[] = {
    {"handlers", handlers, METH_NOARGS,
     "handlers() -> {name: PyCapsule}: XLA FFI handlers for jax.ffi.register_ffi_target."},
    {nullptr, nullptr, 0, nullptr},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "quake._jax_ffi",
    "XLA FFI handlers running quake's kernels (see quake.jax).", -1, methods,
    nullptr, nullptr, nullptr, nullptr,
};

PyMODINIT_FUNC PyInit__jax_ffi(void)
{
    g_api = static_cast<const qk_capi *>(PyCapsule_Import(QK_CAPI_CAPSULE, 0));
    if (!g_api)
        return nullptr;
    if (g_api->version < 1) {
        PyErr_SetString(PyExc_ImportError, "quake._jax_ffi: quake._ufuncs C API too old");
        return nullptr;
    }
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return nullptr;
    if (PyModule_AddStringConstant(m, "jaxlib_version", QK_JAXLIB_VERSION) < 0 ||
        PyModule_AddIntConstant(m, "ffi_api_major", XLA_FFI_API_MAJOR) < 0 ||
        PyModule_AddIntConstant(m, "ffi_api_minor", XLA_FFI_API_MINOR) < 0) {
        Py_DECREF(m);
        return nullptr;
    }
    return m;
}
