"""python -m quake.jax: benchmark quake.jax against jax.nn (see _bench.py)."""
import sys

from ._bench import main

sys.exit(main())
