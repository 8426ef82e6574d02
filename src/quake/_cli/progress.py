"""The progress bar of ``python -m quake`` and ``python -m quake bench``, on
stderr and only where stderr is a terminal (a log or a pipe gets no carriage
returns).  Table lines printed meanwhile (``line``) go to stdout above the
bar, which is redrawn below them."""
from __future__ import annotations

import sys
import time

WIDTH = 30


class Progress:
    def __init__(self, total: int, stream=None):
        self.total, self.done = max(total, 1), 0
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.what = ""
        self.t0 = time.perf_counter()

    def _draw(self) -> None:
        if not self.live:
            return
        fill = int(WIDTH * self.done / self.total)
        self.stream.write(f"\r[{'#' * fill}{'.' * (WIDTH - fill)}] {self.done}/{self.total} "
                          f"{self.what[:60]:<60}")
        self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * (WIDTH + 75) + "\r")
            self.stream.flush()

    def step(self, what: str) -> None:
        """One unit of work begins: `what`."""
        self.done = min(self.done + 1, self.total)
        self.what = what
        self._draw()

    def line(self, text: str = "") -> None:
        """Print a line to stdout, keeping the bar below it."""
        self._clear()
        print(text, flush=True)
        self._draw()

    def finish(self, always: bool = False) -> float:
        """Clear the bar (or, with `always`, leave its final state and the
        elapsed time on stderr, terminal or not); returns the seconds taken."""
        took = time.perf_counter() - self.t0
        if always:
            self.done, self.what = self.total, f"done in {took:.0f} s"
            fill = WIDTH
            self.stream.write(f"\r[{'#' * fill}] {self.total}/{self.total} {self.what:<60}\n")
            self.stream.flush()
        else:
            self._clear()
        return took
