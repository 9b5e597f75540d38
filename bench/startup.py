"""Start-up cost of `topicbot once`: what a restart, a cron job or a container start pays.

Every variant runs in a fresh interpreter against a temporary folder with one article, so the
figures are whole-process wall times (median of `--repeat` runs), beside the bare
interpreter measured in the same run. "keywords, scikit-learn preloaded" is a keyword-only
bot as it started before the model's modules were imported lazily (`classifiers.factory`).

    python bench/startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import add_repo_root, fmt, markdown_table  # noqa: E402

add_repo_root()
from tests.configs import write_keyword_config  # noqa: E402  (needs the repo root on the path)

ONCE = ["-m", "bot", "once", "--config"]
PRELOAD = "import sklearn.linear_model, runpy, sys; sys.argv[0] = 'topicbot'; "
PRELOAD += "runpy.run_module('bot', run_name='__main__')"


def write_config(directory: Path, mode: str) -> Path:
    folder = directory / "news"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("Nato-topmøde i Vilnius. Alliancen samles.\n", encoding="utf-8")
    return write_keyword_config(
        directory / f"config.{mode}.yaml",
        folders=f"  - name: news\n    path: {folder}",
        storage={"path": directory / f"{mode}.sqlite3"},
        classifier={"mode": mode},
    )


def wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env, timeout=300)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per variant (median shown)")
    args = ap.parse_args()
    env = {**os.environ, "TOPICBOT_TELEGRAM_TOKEN": "", "TOPICBOT_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="topicbot-startup-") as tmp:
        keywords = write_config(Path(tmp), "keywords")
        hybrid = write_config(Path(tmp), "hybrid")
        py = sys.executable
        variants = {
            "python -c pass (baseline)": [py, "-c", "pass"],
            "topicbot --help": [py, "-m", "bot", "--help"],
            "once, keywords": [py, *ONCE, str(keywords)],
            "once, keywords, scikit-learn preloaded": [py, "-c", PRELOAD, *ONCE[2:], str(keywords)],
            "once, hybrid (cached default model)": [py, *ONCE, str(hybrid)],
        }
        wall(variants["once, hybrid (cached default model)"], env)  # trains and caches it
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.repeat):  # interleaved, so a slow moment hits every variant
            for name, argv in variants.items():
                times[name].append(wall(argv, env))
    base = statistics.median(times["python -c pass (baseline)"])
    print(f"{args.repeat} runs each, median wall time; Python {sys.version.split()[0]}")
    rows = []
    for name, values in times.items():
        median = statistics.median(values)
        rows.append([name, fmt(median), fmt(median / base, 1)])
    print(markdown_table(["variant", "seconds", "× bare interpreter"], rows))


if __name__ == "__main__":
    main()
