"""Which language an article is written in, so the Danish context model judges Danish only.

Norwegian and Swedish read like Danish to a Danish TF-IDF model ("går", "må", "historien"
are Danish words too), so the model's verdict on them means nothing. Keyword rules do not
have that problem and apply in every language.

Two libraries that ship their models inside their wheels (nothing is downloaded at run time),
in a cascade measured in `bench/language.py`:

1. CLD2 (`pycld2`, C++, ~15 µs per article): when it says Danish it is right (no Norwegian,
   Swedish or English item called Danish in the measurement), and it says so for ~90 % of
   Danish articles. A confident verdict outside the Scandinavian/English group (Chinese,
   Slovak …) on a text of some length is kept too: CLD2 tells language families apart well.
2. py3langid (langid.py's model, restricted to Danish, Norwegian Bokmål/Nynorsk, Swedish and
   English) decides the rest: the close calls, where CLD2 mistakes short Danish headlines for
   Norwegian or English. On its own it is ~4x slower than the cascade.

Only the headline and the start of the lead are read: the verdict does not improve beyond
~150 characters, and the cost grows with the length.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

__all__ = [
    "UNKNOWN",
    "LanguageIdentifier",
    "identify",
    "identify_many",
    "is_loaded",
    "load_in_background",
]

#: Too little text to tell (no letters at all).
UNKNOWN = ""
#: Characters read per article (headline first).
PREFIX = 150
#: The group CLD2 confuses on short texts; py3langid decides between these.
CLOSE = ("da", "no", "nn", "sv", "en")
#: Shortest text on which CLD2's verdict outside `CLOSE` is believed: on a short Danish
#: headline ("Ukraine vil i Nato og EU") it can answer Welsh, and call that reliable.
OTHER_MIN = 80
_LETTER = re.compile(r"[^\W\d_]")
# CLD2 rejects C0/C1 control characters and lone surrogates ("invalid UTF-8").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class LanguageIdentifier:
    """ISO 639-1 code of a text ("da", "no", "nn", "sv", "en", …) or `UNKNOWN`."""

    def __init__(self) -> None:
        import pycld2
        from py3langid.langid import MODEL_FILE
        from py3langid.langid import LanguageIdentifier as Langid

        self._cld2: Any = pycld2
        self._cld2_error: type[Exception] = pycld2.error
        langid = Langid.from_model_file(MODEL_FILE)
        langid.set_languages(list(CLOSE))
        self._langid: Any = langid

    def identify(self, title: str, text: str = "") -> str:
        sample = (title + ". " + text[:PREFIX] if text else title)[:PREFIX]
        if not _LETTER.search(sample):
            return UNKNOWN
        if not sample.isprintable():  # C: spares the search in most samples
            sample = _CONTROL.sub(" ", sample)
        try:
            reliable, _, found = self._cld2.detect(sample, bestEffort=True)
            code = found[0][1]
        except self._cld2_error:
            reliable, code = False, "un"
        if code == "da" or (
            reliable and code not in CLOSE and code != "un" and len(sample) >= OTHER_MIN
        ):
            return str(code)
        return str(self._langid.classify(sample)[0])

    def identify_many(self, docs: Sequence[tuple[str, str]]) -> list[str]:
        return [self.identify(title, text) for title, text in docs]


_DEFAULT: LanguageIdentifier | None = None
_LOADING = threading.Lock()


def _default() -> LanguageIdentifier:
    global _DEFAULT
    if _DEFAULT is None:
        with _LOADING:  # a second caller waits for the first load instead of loading again
            if _DEFAULT is None:
                _DEFAULT = LanguageIdentifier()
    return _DEFAULT


def is_loaded() -> bool:
    return _DEFAULT is not None


def load_in_background() -> threading.Thread:
    """Start loading the shared identifier in a daemon thread and return that thread.

    Loading costs ~1 CPU second (py3langid decompresses its model): a long-running process
    starts it at start-up so the first article after a start does not pay it before its
    alerts are queued; `identify` called meanwhile waits for this load."""
    thread = threading.Thread(target=_default, name="language-model", daemon=True)
    thread.start()
    return thread


def identify(title: str, text: str = "") -> str:
    """The language of one article (shared identifier, loaded on first use)."""
    return _default().identify(title, text)


def identify_many(docs: Sequence[tuple[str, str]]) -> list[str]:
    """The language of each (title, text) pair."""
    return _default().identify_many(docs)
