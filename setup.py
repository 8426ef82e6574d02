"""Build quake's C extension: Cython ufunc registration + per-target C kernels.

Every SIMD target is a translation unit that enables its instruction set
with a pragma (include/quake/target.h), so the extension needs no per-file
flags, no -march=native and no -ffast-math.  -ffp-contract=off stops the
compiler from fusing a*b+c on its own: the kernels place every FMA
explicitly, which is what makes all targets bit-identical.

Build options (environment variables, read when the extension is built):
  QUAKE_OPT=3     optimisation level of the extension (0, 1, 2, 3, s, g); it is
                  placed after the user's CFLAGS, so CFLAGS=-march=... cannot
                  drop it (setuptools puts CFLAGS in place of Python's -O3).
                  QUAKE_OPT=user adds none: CFLAGS alone decide.
  QUAKE_DEBUG=0   1 keeps debug info (-g); by default -g0 follows CFLAGS, so
                  release wheels carry no DWARF (Python's own CFLAGS hold -g).
  QUAKE_JAX_FFI=1 0 leaves out quake.jax's XLA FFI handlers (jax_ffi_extension()).
  QUAKE_BUILD_JOBS  how many C files are compiled at once (default: the CPUs this
                  process may use; `build_ext -j N` sets it too).  The target
                  translation units are large, so this halves a 2-CPU build.
The compiler, its version and these flags are recorded at build time (a
header generated in the build directory) and printed by quake.show_config().
"""
import concurrent.futures
import glob
import os
import shlex
import sys

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# the loops, then the CPU detection and the per-target translation units, whose
# list (kernel_sources.txt) the C checkers in tools/ read too
KERNEL_SOURCES = [f"src/quake/_kern/{n}.c"
                  for n in ("loop_util", "loops", "pool", "capi", "rowloops")]
with open("src/quake/_kern/kernel_sources.txt") as _f:
    KERNEL_SOURCES += _f.read().split()


def _env_choice(name, default, allowed):
    value = os.environ.get(name, default).strip().lower() or default
    if value not in allowed:
        sys.exit(f"{name}={value!r}: expected one of {', '.join(allowed)}")
    return value


class BuildExt(build_ext):
    def build_extensions(self):
        msvc = self.compiler.compiler_type == "msvc"
        opt = _env_choice("QUAKE_OPT", "3", ("0", "1", "2", "3", "s", "g", "user"))
        debug = _env_choice("QUAKE_DEBUG", "0", ("0", "1")) == "1"
        if msvc:
            # /fp:except: no optimisation may raise a flag the source does not
            # (the kernels' contract: only genuine overflow/underflow is raised)
            level = {"0": "/Od", "g": "/Od", "1": "/O1", "s": "/O1"}.get(opt, "/O2")
            last = [] if opt == "user" else [level]
        else:
            last = [] if opt == "user" else ["-O" + opt]
            last += ["-g"] if debug else ["-g0"]
        info = os.path.join(self.build_temp, "quake_gen")
        for ext in self.extensions:
            cxx = ext.language == "c++"
            if msvc:
                flags = ["/fp:precise", "/fp:except", "/std:c++17" if cxx else "/std:c11"]
            else:
                flags = ["-ffp-contract=off", "-fno-strict-aliasing", "-Wall", "-Wextra",
                         "-Wno-unused-function"]
                flags += ["-std=c++17"] if cxx else ["-Wno-unreachable-code"]
            # ours after the user's CFLAGS (extra_compile_args follow them)
            ext.extra_compile_args = flags + list(ext.extra_compile_args) + last
            ext.include_dirs = [info] + list(ext.include_dirs)
            ext.depends = list(ext.depends) + [os.path.join(info, "quake_build_info.h")]
        main = next(e for e in self.extensions if e.name == "quake._ufuncs")
        self._write_build_info(info, main.extra_compile_args)
        self._compile_sources_in_parallel()
        super().build_extensions()

    def _build_jobs(self):
        env = os.environ.get("QUAKE_BUILD_JOBS", "").strip()
        if env:
            if not env.isdigit() or int(env) < 1:
                sys.exit(f"QUAKE_BUILD_JOBS={env!r}: expected a positive integer")
            return int(env)
        if isinstance(self.parallel, int) and self.parallel > 1:
            return self.parallel
        try:
            return len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            return os.cpu_count() or 1

    def _compile_sources_in_parallel(self):
        """Compile the C files of one extension concurrently (setuptools runs
        them one after another): the compiler's compile() is called once per
        file from a thread pool.  Each call spawns its own compiler process
        and writes its own object, so the threads share nothing but the
        object directories, which are created first."""
        jobs = self._build_jobs()
        if jobs < 2:
            return
        compile_all = self.compiler.compile

        def compile_each(sources, output_dir=None, *args, **kwargs):
            if len(sources) < 2:
                return compile_all(sources, output_dir, *args, **kwargs)
            for obj in self.compiler.object_filenames(sources, output_dir=output_dir):
                os.makedirs(os.path.dirname(obj) or ".", exist_ok=True)
            # the per-target units take most of the time: they start first
            # (objects are returned in the given order all the same)
            slow_first = sorted(sources, key=lambda s: "target_" not in os.path.basename(s))
            with concurrent.futures.ThreadPoolExecutor(min(jobs, len(sources))) as pool:
                done = dict(zip(slow_first, pool.map(
                    lambda src: compile_all([src], output_dir, *args, **kwargs), slow_first)))
            return [obj for src in sources for obj in done[src]]

        self.compiler.compile = compile_each

    def _write_build_info(self, folder, ext_flags):
        """quake_build_info.h: the compiler command and flags of this build (for
        show_config()).  Rewritten only when they change, so a build with another
        compiler or other flags never reuses stale objects (it is in `depends`)."""
        cc = getattr(self.compiler, "compiler_so", None)
        if cc:  # unix: [compiler, CFLAGS..., CCSHARED...]
            command, flags = cc[0], list(cc[1:])
        else:  # msvc
            command = "cl.exe"
            flags = list(getattr(self.compiler, "compile_options", []))
        flags += ext_flags

        def c_string(text):
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

        text = (
            "/* generated by setup.py at build time (not in the source tree) */\n"
            f"#define QK_BUILD_COMPILER {c_string(command)}\n"
            f"#define QK_BUILD_FLAGS {c_string(shlex.join(flags))}\n"
        )
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "quake_build_info.h")
        try:
            with open(path) as f:
                if f.read() == text:
                    return
        except OSError:
            pass
        with open(path, "w") as f:
            f.write(text)


def jax_ffi_extension():
    """quake._jax_ffi: XLA FFI handlers over the kernels, for quake.jax.

    Plain C against quake's own declaration of XLA's typed FFI C ABI
    (src/quake/jax/xla_ffi_abi.h), so it needs no jaxlib at build time and
    every build has it: `pip install quake` then `pip install jax` (either
    order) gives quake.jax the FFI backend.  quake.jax checks the FFI API
    version when it registers the handlers and falls back to a host callback
    where jaxlib does not accept them.  QUAKE_JAX_FFI=0 leaves it out.
    """
    on_off = ("1", "0", "auto", "on", "off", "yes", "no", "true", "false")
    if _env_choice("QUAKE_JAX_FFI", "1", on_off) in ("0", "off", "no", "false"):
        return []
    return [Extension(
        "quake._jax_ffi",
        sources=["src/quake/jax/_jax_ffi.c"],
        include_dirs=["include", "src/quake/jax"],
        depends=["src/quake/jax/xla_ffi_abi.h", "include/quake/capi.h"],
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
    # the worker pool (pool.c): POSIX threads; Win32 threads need no flag
    extra_compile_args=[] if sys.platform == "win32" else ["-pthread"],
    extra_link_args=[] if sys.platform == "win32" else ["-pthread"],
)

setup(
    ext_modules=cythonize([ext], compiler_directives={"language_level": "3"})
    + jax_ffi_extension(),
    cmdclass={"build_ext": BuildExt},
)
