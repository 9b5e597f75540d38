"""Keep the garbage collector off what a long-running process loads once at start-up.

After start-up a `topicbot run` process holds ~170,000 objects the cyclic collector tracks
(PTB, scikit-learn, the classifier, the language identifier), and they live as long as the
process. Every full collection walks all of them: 123 ms of CPU on the 2-core CI machine
(0.008 ms once frozen), one per ~1,000 alerts during a fan-out. `gc.freeze()` moves them
to the permanent generation, which collections skip (CPython's documented use for
long-lived start-up state).
`python bench/fanout.py --quick --runs limited` with and without it, each pair run at the
same time so both see the same (uneven) VM: 1.313 / 1.418, 1.150 / 1.229, 1.122 / 1.208 ms
of CPU per message, 6-7 % less.

Objects frozen are still freed by reference counting; only a reference cycle among them
that dies later is never collected, so this runs once, after a full collection, in the
`run` command only (a test process builds and drops many services and must not freeze).
"""

from __future__ import annotations

import gc
import logging
import threading

from classifiers.language import load_in_background

log = logging.getLogger(__name__)


def freeze_start_up_heap() -> None:
    """Wait for the language identifier (loaded in the background, ~1 CPU s, while the rest
    of start-up imports and builds; 133,297 objects were frozen in a console `run`), collect
    once, then freeze what is left. What is built later is collected as usual. Also what
    `bench/classify.py` does before it measures, so it measures the classifier as `run`
    runs it."""
    load_in_background().join()
    gc.collect()
    gc.freeze()
    log.debug("start-up heap frozen: %d objects", gc.get_freeze_count())


def freeze_after_start_up() -> threading.Thread:
    """`freeze_start_up_heap` in the background."""
    thread = threading.Thread(target=freeze_start_up_heap, name="freeze-start-up-heap", daemon=True)
    thread.start()
    return thread
