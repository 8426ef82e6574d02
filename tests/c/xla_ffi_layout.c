/* quake's declaration of XLA's typed FFI ABI (src/quake/jax/xla_ffi_abi.h)
 * against the real one (jaxlib's xla/ffi/api/c_api.h): every field quake
 * declares sits at XLA's offset with XLA's size, the recorded struct sizes
 * agree, and so do the enum values.  Compiled, not run, by tests/test_jax.py
 * (-fsyntax-only) wherever a jaxlib with its headers is installed. */
#include <stddef.h>

#include "xla/ffi/api/c_api.h"
#include "xla_ffi_abi.h"

#define SAME_FIELD(ours, xla, f_ours, f_xla)                                           \
    _Static_assert(offsetof(ours, f_ours) == offsetof(xla, f_xla), #ours "." #f_ours); \
    _Static_assert(sizeof(((ours *)0)->f_ours) == sizeof(((xla *)0)->f_xla), #ours "." #f_ours " size")
/* SAME_FIELDS(ours, xla, f...): SAME_FIELD for each field f named alike in both
 * (up to 8; the _Static_asserts are declarations, so the list is a sequence) */
#define SAME_1(o, x, f) SAME_FIELD(o, x, f, f)
#define SAME_2(o, x, f, ...) SAME_1(o, x, f); SAME_1(o, x, __VA_ARGS__)
#define SAME_3(o, x, f, ...) SAME_1(o, x, f); SAME_2(o, x, __VA_ARGS__)
#define SAME_4(o, x, f, ...) SAME_1(o, x, f); SAME_3(o, x, __VA_ARGS__)
#define SAME_5(o, x, f, ...) SAME_1(o, x, f); SAME_4(o, x, __VA_ARGS__)
#define SAME_6(o, x, f, ...) SAME_1(o, x, f); SAME_5(o, x, __VA_ARGS__)
#define SAME_7(o, x, f, ...) SAME_1(o, x, f); SAME_6(o, x, __VA_ARGS__)
#define SAME_8(o, x, f, ...) SAME_1(o, x, f); SAME_7(o, x, __VA_ARGS__)
#define SAME_NTH(_1, _2, _3, _4, _5, _6, _7, _8, name, ...) name
#define SAME_FIELDS(o, x, ...) \
    SAME_NTH(__VA_ARGS__, SAME_8, SAME_7, SAME_6, SAME_5, SAME_4, SAME_3, SAME_2, SAME_1, _)(o, x, __VA_ARGS__)

SAME_FIELDS(qk_xffi_ext, XLA_FFI_Extension_Base, struct_size, type, next);

SAME_FIELDS(qk_xffi_version, XLA_FFI_Api_Version,
            struct_size, extension_start, major_version, minor_version);
_Static_assert(QK_XFFI_VERSION_SIZE == XLA_FFI_Api_Version_STRUCT_SIZE, "version size");

SAME_FIELDS(qk_xffi_error_create_args, XLA_FFI_Error_Create_Args, struct_size, message, errc);
_Static_assert(QK_XFFI_ERROR_CREATE_ARGS_SIZE == XLA_FFI_Error_Create_Args_STRUCT_SIZE,
               "error args size");

SAME_FIELDS(qk_xffi_api, XLA_FFI_Api, struct_size, api_version, internal_api);
SAME_FIELD(qk_xffi_api, XLA_FFI_Api, error_create, XLA_FFI_Error_Create);
_Static_assert(QK_XFFI_API_NEEDED <= XLA_FFI_Api_STRUCT_SIZE, "api prefix");

SAME_FIELDS(qk_xffi_buffer, XLA_FFI_Buffer, struct_size, dtype, data, rank, dims);
_Static_assert(QK_XFFI_BUFFER_SIZE == XLA_FFI_Buffer_STRUCT_SIZE, "buffer size");

SAME_FIELDS(qk_xffi_bytes, XLA_FFI_ByteSpan, ptr, len);
SAME_FIELDS(qk_xffi_scalar, XLA_FFI_Scalar, dtype, value);

SAME_FIELDS(qk_xffi_args, XLA_FFI_Args, size, types, args);
_Static_assert(QK_XFFI_ARGS_SIZE == XLA_FFI_Args_STRUCT_SIZE, "args size");
SAME_FIELDS(qk_xffi_rets, XLA_FFI_Rets, size, types, rets);
_Static_assert(QK_XFFI_RETS_SIZE == XLA_FFI_Rets_STRUCT_SIZE, "rets size");
SAME_FIELDS(qk_xffi_attrs, XLA_FFI_Attrs, size, types, names, attrs);
_Static_assert(QK_XFFI_ATTRS_SIZE == XLA_FFI_Attrs_STRUCT_SIZE, "attrs size");

SAME_FIELDS(qk_xffi_call_frame, XLA_FFI_CallFrame,
            struct_size, extension_start, api, ctx, stage, args, rets, attrs);
_Static_assert(QK_XFFI_CALL_FRAME_SIZE == XLA_FFI_CallFrame_STRUCT_SIZE, "call frame size");

SAME_FIELDS(qk_xffi_metadata, XLA_FFI_Metadata, struct_size, api_version, traits);
_Static_assert(QK_XFFI_METADATA_SIZE == XLA_FFI_Metadata_STRUCT_SIZE, "metadata size");
SAME_FIELDS(qk_xffi_metadata_ext, XLA_FFI_Metadata_Extension, extension_base, metadata);
_Static_assert(QK_XFFI_METADATA_EXT_SIZE == XLA_FFI_Metadata_Extension_STRUCT_SIZE,
               "metadata extension size");

_Static_assert(sizeof(XLA_FFI_DataType) == sizeof(int32_t), "enum width");
_Static_assert(sizeof(XLA_FFI_ExecutionStage) == sizeof(int32_t), "enum width");
/* enum values: QK_XFFI_<p><x> == XLA_FFI_<group>_<x> for each x */
#define SAME_VALUE(p, g, x) _Static_assert((int)QK_XFFI_##p##x == (int)XLA_FFI_##g##_##x, #x)
#define SAME_VALUES_1(p, g, x) SAME_VALUE(p, g, x)
#define SAME_VALUES_2(p, g, x, ...) SAME_VALUE(p, g, x); SAME_VALUES_1(p, g, __VA_ARGS__)
#define SAME_VALUES_3(p, g, x, ...) SAME_VALUE(p, g, x); SAME_VALUES_2(p, g, __VA_ARGS__)
#define SAME_VALUES_4(p, g, x, ...) SAME_VALUE(p, g, x); SAME_VALUES_3(p, g, __VA_ARGS__)
#define SAME_VALUES_5(p, g, x, ...) SAME_VALUE(p, g, x); SAME_VALUES_4(p, g, __VA_ARGS__)
#define SAME_VALUES(p, g, ...) SAME_NTH(__VA_ARGS__, _8, _7, _6, SAME_VALUES_5, SAME_VALUES_4, \
                                        SAME_VALUES_3, SAME_VALUES_2, SAME_VALUES_1, _)(p, g, __VA_ARGS__)
SAME_VALUES(, DataType, S32, F16, F32, F64, BF16);
SAME_VALUES(ERR_, Error_Code, INVALID_ARGUMENT, FAILED_PRECONDITION, UNIMPLEMENTED);
_Static_assert((int)QK_XFFI_EXT_METADATA == (int)XLA_FFI_Extension_Metadata, "enum");
_Static_assert((int)QK_XFFI_STAGE_EXECUTE == (int)XLA_FFI_ExecutionStage_EXECUTE, "enum");
_Static_assert((int)QK_XFFI_ARG_BUFFER == (int)XLA_FFI_ArgType_BUFFER, "enum");
_Static_assert((int)QK_XFFI_RET_BUFFER == (int)XLA_FFI_RetType_BUFFER, "enum");
_Static_assert((int)QK_XFFI_ATTR_SCALAR == (int)XLA_FFI_AttrType_SCALAR, "enum");

/* the API version of these headers lies in the range quake's layouts cover */
_Static_assert(XLA_FFI_API_MAJOR == QK_XFFI_MAJOR, "major");
_Static_assert(XLA_FFI_API_MINOR >= QK_XFFI_MINOR_MIN, "minor");
