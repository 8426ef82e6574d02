"""quake.jax against jax.nn / jax.numpy, jitted, float32: every op, the q2 and
precise tiers next to the JAX function, forward and gradient.  Skipped
(NotImplementedError in setup) where jax is not installed."""
import numpy as np

import quake
from quake._optable import SPEC

from .common import data

OPS = quake.OPS + quake.ROW_OPS
SHAPE = {"elementwise": (100_000,), "row": (4096, 128)}


class JaxOps:
    params = (list(OPS), ["jax", "q2", "precise"])
    param_names = ["op", "impl"]

    def setup(self, op, impl):
        try:
            import jax
            import jax.numpy as jnp

            import quake.jax as qj
        except ImportError:
            raise NotImplementedError("jax is not installed")
        jax.config.update("jax_platforms", "cpu")
        fn = SPEC[op].peers["jax"].resolve() if impl == "jax" else getattr(qj.tier(impl), op)
        shape = SHAPE["row" if op in quake.ROW_OPS else "elementwise"]
        self.x = jnp.asarray(data(int(np.prod(shape)), "float32").reshape(shape))
        w = jnp.asarray(np.ones(fn(self.x).shape, np.float32))
        self.fwd = jax.jit(fn)
        self.grad = jax.jit(jax.grad(lambda a: jnp.vdot(fn(a), w)))
        self.fwd(self.x).block_until_ready()
        self.grad(self.x).block_until_ready()

    def time_forward(self, op, impl):
        self.fwd(self.x).block_until_ready()

    def time_grad(self, op, impl):
        self.grad(self.x).block_until_ready()
