"""Build quake's C extension: Cython ufunc registration + per-target C kernels.

Every SIMD target is a translation unit that enables its instruction set
with a pragma (include/quake/target.h), so the extension needs no per-file
flags, no -march=native and no -ffast-math.  -ffp-contract=off stops the
compiler from fusing a*b+c on its own: the kernels place every FMA
explicitly, which is what makes all targets bit-identical.
"""
import glob
import importlib.util
import os
import sys

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

KERNEL_SOURCES = [
    "src/quake/_kern/cpu.c",
    "src/quake/_kern/loop_util.c",
    "src/quake/_kern/loops.c",
    "src/quake/_kern/capi.c",
    "src/quake/_kern/rowloops.c",
    "src/quake/_kern/target_scalar.c",
    "src/quake/_kern/target_avx2.c",
    "src/quake/_kern/target_avx512.c",
    "src/quake/_kern/target_neon.c",
]


class BuildExt(build_ext):
    def build_extensions(self):
        msvc = self.compiler.compiler_type == "msvc"
        for ext in self.extensions:
            cxx = ext.language == "c++"
            if msvc:
                flags = ["/fp:precise", "/std:c++17" if cxx else "/std:c11"]
            else:
                flags = ["-ffp-contract=off", "-fno-strict-aliasing", "-Wall", "-Wextra",
                         "-Wno-unused-function"]
                flags += ["-std=c++17"] if cxx else ["-Wno-unreachable-code"]
            ext.extra_compile_args = flags + list(ext.extra_compile_args)
        super().build_extensions()


def jax_ffi_extension():
    """quake._jax_ffi: XLA FFI handlers over the kernels, for quake.jax.

    Needs jaxlib's FFI headers at build time.  QUAKE_JAX_FFI=auto (default)
    builds it when jaxlib is importable in the build environment (pip's
    build isolation hides an installed jax: use --no-build-isolation),
    =1 makes a missing jaxlib an error, =0 skips it.  Without it quake.jax
    runs the kernels through jax.pure_callback and show_config() says so.
    """
    mode = os.environ.get("QUAKE_JAX_FFI", "auto").strip().lower()
    if mode in ("0", "off", "no", "false"):
        return []
    spec = importlib.util.find_spec("jaxlib")
    include = spec and os.path.join(os.path.dirname(spec.origin), "include")
    if not include or not os.path.exists(os.path.join(include, "xla/ffi/api/ffi.h")):
        if mode in ("1", "on", "yes", "true"):
            sys.exit("QUAKE_JAX_FFI=1 but jaxlib's FFI headers are not importable here "
                     "(install jax, and build with pip's --no-build-isolation)")
        return []
    from importlib.metadata import version

    return [Extension(
        "quake._jax_ffi",
        sources=["src/quake/_jax_ffi.cc"],
        include_dirs=["include"],
        # -isystem: XLA's headers are not ours to keep warning-free
        extra_compile_args=[] if sys.platform == "win32" else ["-isystem", include],
        define_macros=[("QK_JAXLIB_VERSION", '"%s"' % version("jaxlib"))],
        language="c++",
    )]


ext = Extension(
    "quake._ufuncs",
    sources=["src/quake/_ufuncs.pyx", *KERNEL_SOURCES],
    include_dirs=["include", "src/quake/_kern", np.get_include()],
    # headers and X-macro lists: a change to any of them rebuilds the extension
    depends=sorted(glob.glob("include/quake/**/*.h", recursive=True)
                   + glob.glob("include/quake/*.def") + glob.glob("src/quake/_kern/*.h")),
    define_macros=[
        ("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION"),
        ("NPY_TARGET_VERSION", "NPY_2_0_API_VERSION"),
    ],
    libraries=[] if sys.platform == "win32" else ["m"],
)

setup(
    ext_modules=cythonize([ext], compiler_directives={"language_level": "3"})
    + jax_ffi_extension(),
    cmdclass={"build_ext": BuildExt},
)
