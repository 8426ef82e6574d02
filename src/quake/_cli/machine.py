"""The machine description printed and stored by the report and the benches."""
from __future__ import annotations

import platform


def cpu_name() -> str:
    """The CPU's model name (/proc/cpuinfo), else what platform knows."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe(thread_counts=(1,)) -> dict:
    """CPU, architecture, versions and the active target, as the bench's JSON stores them."""
    import numpy as np

    from .._config import active_target
    from .._version import __version__

    return dict(cpu=cpu_name(), machine=platform.machine(), python=platform.python_version(),
                numpy=np.__version__, quake=__version__, target=active_target(),
                threads=(" ".join(map(str, thread_counts))
                         + " (quake.set_num_threads, torch.set_num_threads, onnxruntime "
                           "intra_op, numexpr at each; NumPy/SciPy single-threaded; "
                           "OMP/OpenBLAS/MKL env pinned to 1)"))
