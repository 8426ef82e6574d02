"""Offline link check of the built documentation site (CI has no network, so
`sphinx-build -b linkcheck` cannot run): every relative href/src of every HTML page
must name a file of the site, and its #fragment an id on that page; external links
are listed, never fetched.  Usage: python tools/check_site.py build/docs"""
from __future__ import annotations

import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v:
                self.ids.add(v)
            if v is not None and ((k == "href" and tag in ("a", "link")) or
                                  (k == "src" and tag in ("img", "script"))):
                self.links.append((k, v))


def check(site: str) -> tuple[list[str], set[str], int]:
    pages: dict[str, _Page] = {}
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                p = _Page()
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    p.feed(fh.read())
                pages[os.path.normpath(os.path.join(d, f))] = p
    broken, external, n = [], set(), 0
    for path, page in sorted(pages.items()):
        for attr, url in page.links:
            n += 1
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if parts.scheme not in ("http", "https", "mailto"):
                    broken.append(f"{path}: {attr}={url!r}: scheme {parts.scheme!r}")
                external.add(url)
                continue
            target = (os.path.normpath(os.path.join(os.path.dirname(path), unquote(parts.path)))
                      if parts.path else path)
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.isfile(target):
                broken.append(f"{path}: {attr}={url!r}: no file {target}")
            elif parts.fragment and target in pages and \
                    unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path}: {attr}={url!r}: no id {parts.fragment!r} in {target}")
            elif os.path.getsize(target) == 0:
                broken.append(f"{path}: {attr}={url!r}: empty file")
    return broken, external, n


def main(site: str) -> int:
    if not os.path.isfile(os.path.join(site, "index.html")):
        print(f"check_site: no {site}/index.html", file=sys.stderr)
        return 1
    broken, external, n = check(site)
    for url in sorted(external):
        print(f"external (not fetched): {url}")
    for b in broken:
        print(f"BROKEN {b}")
    print(f"check_site: {n} links and images, {len(broken)} broken, "
          f"{len(external)} external listed")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/docs"))
