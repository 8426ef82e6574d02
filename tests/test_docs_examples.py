"""Every ```python block of README.md and docs/*.md runs, in order, in one
namespace per page, with warnings as errors (tests/_doc_snippets.py, one
process per page), so the documented examples can neither rot nor warn.
Blocks needing a package that is not installed (pandas, JAX, ...) skip."""
import glob
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tests", "_doc_snippets.py")
PAGES = sorted(os.path.relpath(p, ROOT)
               for p in ["README.md", *glob.glob(os.path.join(ROOT, "docs", "*.md"))]
               if "```python" in open(os.path.join(ROOT, p)).read())


def test_pages_found():
    assert "README.md" in PAGES and "docs/index.md" in PAGES and "docs/integrations.md" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_docs_code_blocks_run(page):
    r = subprocess.run([sys.executable, RUNNER, page], cwd=ROOT, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, f"{page}: a python block failed or warned:\n{r.stderr[-4000:]}"
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["blocks"] > 0, result
    if result["skipped"]:
        pytest.skip(f"{page}: ran blocks {result['ran']}; skipped {result['skipped']}")
