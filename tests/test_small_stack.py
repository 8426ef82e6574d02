"""Every loop runs in a thread with a small stack (issue 17).

Each check runs in a fresh interpreter, so a stack overflow (a segfault) is
one failed test, not a dead test run.  The loops need no more than a few KiB
of stack at any optimisation level (tools/stack_usage.sh measures the
frames); a thread of threading.stack_size(65536) leaves the interpreter and
NumPy ample room on top.
"""
import subprocess
import sys
import textwrap

import pytest

import quake

# every op, tier and dtype; contiguous, strided, reversed, broadcast (stride 0),
# rows along axis=0 (strided core axis), short grouped float16 rows, and rows
# longer than the stack block (heap block) and than the heap block (segments)
ALL_LAYOUTS = textwrap.dedent("""
    import sys, threading
    import numpy as np
    import quake
    from quake._registry import ALL_UFUNCS

    def run():
        rng = np.random.default_rng(0)
        for target in [t["name"] for t in quake.targets() if t["supported"]]:
            quake.set_target(target)
            for (op, tier), f in ALL_UFUNCS.items():
                for dt in (np.float16, np.float32, np.float64):
                    x = (rng.standard_normal((6, 3000)) * 4).astype(dt)
                    x[0, :7] = [np.nan, np.inf, -np.inf, 1e4, -1e4, 0.0, -0.0]
                    with np.errstate(all="ignore"):
                        if f.signature is None:
                            f(x[0]); f(x[0, ::3]); f(x[0, ::-1]); f(x[:, :1000:7].T)
                            f(np.broadcast_to(x[0, 9], (3000,)))
                        else:
                            for n in (1, 5, 40, 600, 2048, 2500):
                                f(x[:, :n]); f(x[:, :n:2]); f(x[:, :n], axis=0)
                                f(x[:, :n].T.copy(), axis=0)
                            f(np.broadcast_to(x[:1, :700], (6, 700)))
        done.append(True)

    done = []
    threading.stack_size(STACK)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    sys.exit(0 if done else 3)
""")


def _run(code, stack):
    p = subprocess.run([sys.executable, "-c", code.replace("STACK", str(stack))],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])


def test_every_op_tier_dtype_layout_in_a_64k_thread():
    _run(ALL_LAYOUTS, 65536)


def _optimised():
    """False for -O0 builds (QUAKE_OPT=0): there every SIMD helper is a call of
    its own, so the chain of frames is deeper (64 KiB holds, 32 KiB need not)."""
    levels = [f for f in quake._config.build_info()["flags"].split() if f.startswith(("-O", "/O"))]
    return not levels or levels[-1] not in ("-O0", "/Od")


@pytest.mark.skipif(not _optimised(), reason="unoptimised build: the 64 KiB test applies")
@pytest.mark.parametrize("call", [
    "quake.q1.softmax(np.ones((4, 100), np.float16))",
    "quake.softmax(np.ones((3000, 4), np.float64), axis=0)",
])
def test_issue_reproducers_in_a_32k_thread(call):
    """The issue's reproducers: 24 KiB / 16 KiB loop frames overflowed a
    32 KiB thread stack, where np.exp and scipy.special.softmax run.  (Not a
    general 32 KiB guarantee: Python 3.10 and NumPy leave about 4 KiB of it
    for a ufunc loop.)"""
    code = textwrap.dedent(f"""
        import sys, threading
        import numpy as np
        import quake
        done = []
        threading.stack_size(STACK)
        t = threading.Thread(target=lambda: done.append({call} is not None))
        t.start()
        t.join()
        sys.exit(0 if done else 3)
    """)
    _run(code, 32768)
