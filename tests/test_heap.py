"""`bot.heap`: the start-up heap is frozen once the language identifier is loaded.

Run in a child interpreter: freezing this test process would keep every later test's
reference cycles alive."""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import gc
from bot.heap import freeze_after_start_up
from classifiers.language import is_loaded
assert gc.get_freeze_count() == 0
freeze_after_start_up().join(timeout=120)
print(is_loaded(), gc.get_freeze_count())
"""


def test_the_start_up_heap_is_frozen_after_the_language_identifier_loads() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=180, check=True
    ).stdout.split()
    loaded, frozen = out[0], int(out[1])
    assert loaded == "True"
    assert frozen > 10_000  # the identifier's model alone is more than that
