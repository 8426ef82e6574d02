"""asv benchmarks for quake (see ../README.md for the commands)."""
