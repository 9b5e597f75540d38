"""Per-topic precision/recall/F1 and macro-F1, shared by `topicbot eval`, tests and bench."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import TopicClassifier
from classifiers.corpus import LabelledItem

__all__ = ["decisions", "plot_pr_curves", "scores", "truth"]


def truth(items: Sequence[LabelledItem], topics: Sequence[str]) -> np.ndarray:
    return np.array([[t in it.labels for t in topics] for it in items], dtype=bool).reshape(
        len(items), len(topics)
    )


def decisions(clf: TopicClassifier, items: Sequence[LabelledItem]) -> np.ndarray:
    rows = clf.classify_many([it.doc for it in items])
    return np.array([[s.matched for s in row] for row in rows], dtype=bool).reshape(
        len(items), len(clf.topics)
    )


def scores(y: np.ndarray, p: np.ndarray, topics: Sequence[str]) -> dict[str, Any]:
    """{"macro_f1": x, "topics": {id: {"precision", "recall", "f1", "support"}}}."""
    out: dict[str, dict[str, float]] = {}
    for j, t in enumerate(topics):
        tp = int((p[:, j] & y[:, j]).sum())
        fp = int((p[:, j] & ~y[:, j]).sum())
        fn = int((~p[:, j] & y[:, j]).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[t] = {
            "precision": round(prec, 4),
            "recall": round(rec, 4),
            "f1": round(f1, 4),
            "support": int(y[:, j].sum()),
        }
    macro = float(np.mean([v["f1"] for v in out.values()])) if out else 0.0
    return {"macro_f1": round(macro, 4), "topics": out}


def plot_pr_curves(
    y: np.ndarray, proba: np.ndarray, topics: Sequence[str], path: Path, title: str = ""
) -> None:
    """One precision-recall curve per topic (model scores), saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import average_precision_score, precision_recall_curve

    fig, ax = plt.subplots(figsize=(6, 5))
    for j, t in enumerate(topics):
        if not y[:, j].any():
            continue
        prec, rec, _ = precision_recall_curve(y[:, j], proba[:, j])
        ap = average_precision_score(y[:, j], proba[:, j])
        ax.plot(rec, prec, label=f"{t} (AP {ap:.3f})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(title or "precision-recall per topic")
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
