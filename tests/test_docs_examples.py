"""Every ```python block of the docs pages listed here runs, in order, in one
namespace per page, so the documented examples cannot rot."""
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = ["docs/integrations.md"]


@pytest.mark.parametrize("page", PAGES)
def test_docs_code_blocks_run(page, capsys):
    with open(os.path.join(ROOT, page)) as fh:
        blocks = re.findall(r"```python\n(.*?)```", fh.read(), flags=re.S)
    assert blocks, f"no python examples in {page}"
    ns = {}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"{page}[block {i}]", "exec"), ns)
        except Exception as exc:  # report which block broke
            raise AssertionError(f"{page} block {i} failed:\n{code}") from exc
