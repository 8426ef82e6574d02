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

SAME_FIELD(qk_xffi_ext, XLA_FFI_Extension_Base, struct_size, struct_size);
SAME_FIELD(qk_xffi_ext, XLA_FFI_Extension_Base, type, type);
SAME_FIELD(qk_xffi_ext, XLA_FFI_Extension_Base, next, next);

SAME_FIELD(qk_xffi_version, XLA_FFI_Api_Version, struct_size, struct_size);
SAME_FIELD(qk_xffi_version, XLA_FFI_Api_Version, extension_start, extension_start);
SAME_FIELD(qk_xffi_version, XLA_FFI_Api_Version, major_version, major_version);
SAME_FIELD(qk_xffi_version, XLA_FFI_Api_Version, minor_version, minor_version);
_Static_assert(QK_XFFI_VERSION_SIZE == XLA_FFI_Api_Version_STRUCT_SIZE, "version size");

SAME_FIELD(qk_xffi_error_create_args, XLA_FFI_Error_Create_Args, struct_size, struct_size);
SAME_FIELD(qk_xffi_error_create_args, XLA_FFI_Error_Create_Args, message, message);
SAME_FIELD(qk_xffi_error_create_args, XLA_FFI_Error_Create_Args, errc, errc);
_Static_assert(QK_XFFI_ERROR_CREATE_ARGS_SIZE == XLA_FFI_Error_Create_Args_STRUCT_SIZE,
               "error args size");

SAME_FIELD(qk_xffi_api, XLA_FFI_Api, struct_size, struct_size);
SAME_FIELD(qk_xffi_api, XLA_FFI_Api, api_version, api_version);
SAME_FIELD(qk_xffi_api, XLA_FFI_Api, internal_api, internal_api);
SAME_FIELD(qk_xffi_api, XLA_FFI_Api, error_create, XLA_FFI_Error_Create);
_Static_assert(QK_XFFI_API_NEEDED <= XLA_FFI_Api_STRUCT_SIZE, "api prefix");

SAME_FIELD(qk_xffi_buffer, XLA_FFI_Buffer, struct_size, struct_size);
SAME_FIELD(qk_xffi_buffer, XLA_FFI_Buffer, dtype, dtype);
SAME_FIELD(qk_xffi_buffer, XLA_FFI_Buffer, data, data);
SAME_FIELD(qk_xffi_buffer, XLA_FFI_Buffer, rank, rank);
SAME_FIELD(qk_xffi_buffer, XLA_FFI_Buffer, dims, dims);
_Static_assert(QK_XFFI_BUFFER_SIZE == XLA_FFI_Buffer_STRUCT_SIZE, "buffer size");

SAME_FIELD(qk_xffi_bytes, XLA_FFI_ByteSpan, ptr, ptr);
SAME_FIELD(qk_xffi_bytes, XLA_FFI_ByteSpan, len, len);
SAME_FIELD(qk_xffi_scalar, XLA_FFI_Scalar, dtype, dtype);
SAME_FIELD(qk_xffi_scalar, XLA_FFI_Scalar, value, value);

SAME_FIELD(qk_xffi_args, XLA_FFI_Args, size, size);
SAME_FIELD(qk_xffi_args, XLA_FFI_Args, types, types);
SAME_FIELD(qk_xffi_args, XLA_FFI_Args, args, args);
_Static_assert(QK_XFFI_ARGS_SIZE == XLA_FFI_Args_STRUCT_SIZE, "args size");
SAME_FIELD(qk_xffi_rets, XLA_FFI_Rets, size, size);
SAME_FIELD(qk_xffi_rets, XLA_FFI_Rets, types, types);
SAME_FIELD(qk_xffi_rets, XLA_FFI_Rets, rets, rets);
_Static_assert(QK_XFFI_RETS_SIZE == XLA_FFI_Rets_STRUCT_SIZE, "rets size");
SAME_FIELD(qk_xffi_attrs, XLA_FFI_Attrs, size, size);
SAME_FIELD(qk_xffi_attrs, XLA_FFI_Attrs, types, types);
SAME_FIELD(qk_xffi_attrs, XLA_FFI_Attrs, names, names);
SAME_FIELD(qk_xffi_attrs, XLA_FFI_Attrs, attrs, attrs);
_Static_assert(QK_XFFI_ATTRS_SIZE == XLA_FFI_Attrs_STRUCT_SIZE, "attrs size");

SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, struct_size, struct_size);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, extension_start, extension_start);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, api, api);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, ctx, ctx);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, stage, stage);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, args, args);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, rets, rets);
SAME_FIELD(qk_xffi_call_frame, XLA_FFI_CallFrame, attrs, attrs);
_Static_assert(QK_XFFI_CALL_FRAME_SIZE == XLA_FFI_CallFrame_STRUCT_SIZE, "call frame size");

SAME_FIELD(qk_xffi_metadata, XLA_FFI_Metadata, struct_size, struct_size);
SAME_FIELD(qk_xffi_metadata, XLA_FFI_Metadata, api_version, api_version);
SAME_FIELD(qk_xffi_metadata, XLA_FFI_Metadata, traits, traits);
_Static_assert(QK_XFFI_METADATA_SIZE == XLA_FFI_Metadata_STRUCT_SIZE, "metadata size");
SAME_FIELD(qk_xffi_metadata_ext, XLA_FFI_Metadata_Extension, extension_base, extension_base);
SAME_FIELD(qk_xffi_metadata_ext, XLA_FFI_Metadata_Extension, metadata, metadata);
_Static_assert(QK_XFFI_METADATA_EXT_SIZE == XLA_FFI_Metadata_Extension_STRUCT_SIZE,
               "metadata extension size");

_Static_assert(sizeof(XLA_FFI_DataType) == sizeof(int32_t), "enum width");
_Static_assert(sizeof(XLA_FFI_ExecutionStage) == sizeof(int32_t), "enum width");
_Static_assert((int)QK_XFFI_EXT_METADATA == (int)XLA_FFI_Extension_Metadata, "enum");
_Static_assert((int)QK_XFFI_STAGE_EXECUTE == (int)XLA_FFI_ExecutionStage_EXECUTE, "enum");
_Static_assert((int)QK_XFFI_ARG_BUFFER == (int)XLA_FFI_ArgType_BUFFER, "enum");
_Static_assert((int)QK_XFFI_RET_BUFFER == (int)XLA_FFI_RetType_BUFFER, "enum");
_Static_assert((int)QK_XFFI_ATTR_SCALAR == (int)XLA_FFI_AttrType_SCALAR, "enum");
_Static_assert((int)QK_XFFI_ERR_INVALID_ARGUMENT == (int)XLA_FFI_Error_Code_INVALID_ARGUMENT, "enum");
_Static_assert((int)QK_XFFI_ERR_FAILED_PRECONDITION == (int)XLA_FFI_Error_Code_FAILED_PRECONDITION, "enum");
_Static_assert((int)QK_XFFI_ERR_UNIMPLEMENTED == (int)XLA_FFI_Error_Code_UNIMPLEMENTED, "enum");
_Static_assert((int)QK_XFFI_S32 == (int)XLA_FFI_DataType_S32, "enum");
_Static_assert((int)QK_XFFI_F16 == (int)XLA_FFI_DataType_F16, "enum");
_Static_assert((int)QK_XFFI_F32 == (int)XLA_FFI_DataType_F32, "enum");
_Static_assert((int)QK_XFFI_F64 == (int)XLA_FFI_DataType_F64, "enum");
_Static_assert((int)QK_XFFI_BF16 == (int)XLA_FFI_DataType_BF16, "enum");

/* the API version of these headers lies in the range quake's layouts cover */
_Static_assert(XLA_FFI_API_MAJOR == QK_XFFI_MAJOR, "major");
_Static_assert(XLA_FFI_API_MINOR >= QK_XFFI_MINOR_MIN, "minor");
