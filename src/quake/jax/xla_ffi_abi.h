/* quake's own declaration of the part of XLA's typed FFI C ABI that its JAX
 * handlers (src/quake/jax/_jax_ffi.c) use: no XLA or jaxlib header is needed
 * to build them, so every build of quake has them.
 *
 * XLA's typed FFI is a C ABI with a version (major.minor).  A minor release
 * only appends fields to the end of a struct, and every struct carries its
 * size, so a handler checks `struct_size` before it reads a field.  The
 * layouts below are those of API 0.1 (jaxlib 0.6-0.8.0), and are unchanged,
 * for every field declared here, in 0.2 (jaxlib 0.8.1-0.9.0) and 0.3
 * (jaxlib 0.9.1-0.10.x); QK_XFFI_MINOR_MIN..QK_XFFI_MINOR_MAX is that range.
 * The handlers answer XLA's version query (the metadata extension, sent when
 * a handler is registered) with a version in that range (chosen by
 * quake.jax, see _backend.py), and refuse a call frame whose sizes are
 * smaller than these layouts.
 *
 * Names carry a qk_xffi_ prefix: these are quake's types, laid out as XLA's
 * (enums are 32-bit ints, as C compilers lay out XLA's enum types on every
 * supported ABI).  Only what the handlers read or write is declared; a
 * struct that XLA extends is declared up to the last field quake uses.
 */
#ifndef QUAKE_XLA_FFI_ABI_H
#define QUAKE_XLA_FFI_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QK_XFFI_MAJOR 0
#define QK_XFFI_MINOR_MIN 1
#define QK_XFFI_MINOR_MAX 3

/* the size XLA records for a struct: up to the end of its last field
 * (trailing padding excluded) */
#define QK_XFFI_SIZE_TO(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))

/* ---- enums (values of the C header's enumerators) ---- */
enum {
    QK_XFFI_EXT_METADATA = 1, /* XLA_FFI_Extension_Type */

    QK_XFFI_STAGE_EXECUTE = 3, /* XLA_FFI_ExecutionStage */

    QK_XFFI_ARG_BUFFER = 1,   /* XLA_FFI_ArgType */
    QK_XFFI_RET_BUFFER = 1,   /* XLA_FFI_RetType */
    QK_XFFI_ATTR_SCALAR = 3,  /* XLA_FFI_AttrType */

    QK_XFFI_ERR_INVALID_ARGUMENT = 3, /* XLA_FFI_Error_Code */
    QK_XFFI_ERR_FAILED_PRECONDITION = 9,
    QK_XFFI_ERR_UNIMPLEMENTED = 12,
};

/* XLA_FFI_DataType: xla::PrimitiveType's numbers */
enum {
    QK_XFFI_S32 = 4,
    QK_XFFI_F16 = 10,
    QK_XFFI_F32 = 11,
    QK_XFFI_F64 = 12,
    QK_XFFI_BF16 = 16,
};

typedef struct qk_xffi_error qk_xffi_error; /* opaque, owned by XLA */

/* XLA_FFI_Extension_Base: a singly linked list of optional extensions */
typedef struct qk_xffi_ext {
    size_t struct_size;
    int32_t type;
    struct qk_xffi_ext *next;
} qk_xffi_ext;

/* XLA_FFI_Api_Version */
typedef struct qk_xffi_version {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    int32_t major_version;
    int32_t minor_version;
} qk_xffi_version;

/* XLA_FFI_Error_Create_Args */
typedef struct qk_xffi_error_create_args {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    const char *message;
    int32_t errc;
} qk_xffi_error_create_args;

/* XLA_FFI_Api: the runtime's function table; declared up to Error_Create,
 * the only entry quake calls */
typedef struct qk_xffi_api {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    qk_xffi_version api_version;
    const void *internal_api;
    qk_xffi_error *(*error_create)(qk_xffi_error_create_args *args);
} qk_xffi_api;

/* XLA_FFI_Buffer: a dense row-major array */
typedef struct qk_xffi_buffer {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    int32_t dtype;
    void *data;
    int64_t rank;
    int64_t *dims;
} qk_xffi_buffer;

/* XLA_FFI_ByteSpan, XLA_FFI_Scalar */
typedef struct qk_xffi_bytes {
    const char *ptr;
    size_t len;
} qk_xffi_bytes;

typedef struct qk_xffi_scalar {
    int32_t dtype;
    void *value;
} qk_xffi_scalar;

/* XLA_FFI_Args, XLA_FFI_Rets, XLA_FFI_Attrs (attributes sorted by name) */
typedef struct qk_xffi_args {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    int64_t size;
    int32_t *types;
    void **args;
} qk_xffi_args;

typedef struct qk_xffi_rets {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    int64_t size;
    int32_t *types;
    void **rets;
} qk_xffi_rets;

typedef struct qk_xffi_attrs {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    int64_t size;
    int32_t *types;
    qk_xffi_bytes **names;
    void **attrs;
} qk_xffi_attrs;

/* XLA_FFI_CallFrame (XLA's recorded size ends at `attrs`; the `future` out
 * field that follows is not used: quake's handlers are synchronous) */
typedef struct qk_xffi_call_frame {
    size_t struct_size;
    qk_xffi_ext *extension_start;
    const qk_xffi_api *api;
    void *ctx;
    int32_t stage;
    qk_xffi_args args;
    qk_xffi_rets rets;
    qk_xffi_attrs attrs;
} qk_xffi_call_frame;

/* XLA_FFI_Metadata and the extension that carries it: XLA's version query */
typedef struct qk_xffi_metadata {
    size_t struct_size;
    qk_xffi_version api_version;
    uint32_t traits;
} qk_xffi_metadata;

typedef struct qk_xffi_metadata_ext {
    qk_xffi_ext extension_base;
    qk_xffi_metadata *metadata;
} qk_xffi_metadata_ext;

/* XLA_FFI_Handler */
typedef qk_xffi_error *qk_xffi_handler(qk_xffi_call_frame *frame);

/* sizes (as XLA records them) of the layouts above */
#define QK_XFFI_VERSION_SIZE QK_XFFI_SIZE_TO(qk_xffi_version, minor_version)
#define QK_XFFI_ERROR_CREATE_ARGS_SIZE QK_XFFI_SIZE_TO(qk_xffi_error_create_args, errc)
#define QK_XFFI_API_NEEDED QK_XFFI_SIZE_TO(qk_xffi_api, error_create)
#define QK_XFFI_BUFFER_SIZE QK_XFFI_SIZE_TO(qk_xffi_buffer, dims)
#define QK_XFFI_ARGS_SIZE QK_XFFI_SIZE_TO(qk_xffi_args, args)
#define QK_XFFI_RETS_SIZE QK_XFFI_SIZE_TO(qk_xffi_rets, rets)
#define QK_XFFI_ATTRS_SIZE QK_XFFI_SIZE_TO(qk_xffi_attrs, attrs)
#define QK_XFFI_CALL_FRAME_SIZE QK_XFFI_SIZE_TO(qk_xffi_call_frame, attrs)
#define QK_XFFI_METADATA_SIZE QK_XFFI_SIZE_TO(qk_xffi_metadata, traits)
#define QK_XFFI_METADATA_EXT_SIZE QK_XFFI_SIZE_TO(qk_xffi_metadata_ext, metadata)

#ifdef __cplusplus
}
#endif

#endif
