"""Build quake's C extension: Cython ufunc registration + per-target C kernels.

Every SIMD target is a translation unit that enables its instruction set
with a pragma (include/quake/target.h), so the extension needs no per-file
flags, no -march=native and no -ffast-math.  -ffp-contract=off stops the
compiler from fusing a*b+c on its own: the kernels place every FMA
explicitly, which is what makes all targets bit-identical.
"""
import glob
import sys

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

KERNEL_SOURCES = [
    "src/quake/_kern/cpu.c",
    "src/quake/_kern/loop_util.c",
    "src/quake/_kern/loops.c",
    "src/quake/_kern/rowloops.c",
    "src/quake/_kern/f16_edges.c",
    "src/quake/_kern/target_scalar.c",
    "src/quake/_kern/target_avx2.c",
    "src/quake/_kern/target_avx512.c",
    "src/quake/_kern/target_neon.c",
]


class BuildExt(build_ext):
    def build_extensions(self):
        if self.compiler.compiler_type == "msvc":
            flags = ["/fp:precise", "/std:c11"]
        else:
            flags = ["-ffp-contract=off", "-fno-strict-aliasing", "-Wall", "-Wextra",
                     "-Wno-unused-function", "-Wno-unreachable-code"]
        for ext in self.extensions:
            ext.extra_compile_args = flags + list(ext.extra_compile_args)
        super().build_extensions()


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
    ext_modules=cythonize([ext], compiler_directives={"language_level": "3"}),
    cmdclass={"build_ext": BuildExt},
)
