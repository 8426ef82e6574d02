"""python -m quake.jax: benchmark quake.jax against jax.nn (quake._cli.jax_bench)."""
import sys

from .._cli.jax_bench import main

sys.exit(main())
