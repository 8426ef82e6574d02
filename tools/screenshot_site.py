"""Screenshots of the built site in headless Chromium (the index, the API reference
index, the quake.q2 reference page and the accuracy page with its plots), each checked
to show rendered content: the PNG decodes (zlib; no Pillow needed), has the requested
size and is far from one colour (many colours, a share of dark text pixels).  Broken
links and images are tools/check_site.py's part.
Usage: python tools/screenshot_site.py build/docs build/docs-shots"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib

PAGES = {"index": "index.html", "api-reference": "reference/index.html",
         "api-q2": "reference/q2.html", "accuracy": "accuracy.html"}
W, H = 1280, 1600


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return name
    sys.exit("screenshot_site: no chromium (apt-get install -y chromium)")


def png_pixels(path: str) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered scanlines of an 8-bit RGB/RGBA PNG."""
    with open(path, "rb") as fh:
        data = fh.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"{path}: depth {depth}, colour type {ctype}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[j] for j in range(stride) if bpp == 3 or j % 4 != 3))
        prev = line
    return w, h, rows


def check_png(path: str) -> str:
    w, h, rows = png_pixels(path)
    assert (w, h) == (W, H), f"{path}: {w}x{h}, not {W}x{H}"
    colours = {r[i:i + 3] for r in rows[::4] for i in range(0, len(r), 12)}
    dark = sum(1 for r in rows[::4] for i in range(0, len(r), 12) if sum(r[i:i + 3]) < 300)
    samples = len(rows[::4]) * (len(rows[0]) // 12)
    # rendered text: many colours (anti-aliasing) and a share of dark pixels (glyphs)
    assert len(colours) >= 50 and dark / samples > 0.005, \
        f"{path}: looks blank ({len(colours)} colours, {dark / samples:.2%} dark)"
    return f"{w}x{h}, {os.path.getsize(path) // 1024} KiB, {len(colours)} colours, {dark / samples:.1%} dark"


def main(site: str, out: str) -> int:
    os.makedirs(out, exist_ok=True)
    exe = chromium()
    for name, page in PAGES.items():
        url = "file://" + os.path.abspath(os.path.join(site, page))
        png = os.path.join(out, name + ".png")
        if os.path.exists(png):
            os.remove(png)
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--disable-dev-shm-usage", f"--window-size={W},{H}",
               f"--screenshot={os.path.abspath(png)}", url]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
        print(f"{png}: {check_png(png)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["build/docs", "build/docs-shots"])))
