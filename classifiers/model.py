"""The multi-label TF-IDF topic model: one logistic regression per topic on shared features.

Input rows are (normalised title, normalised text) pairs with the topics' keywords already
masked out (see `classifiers.training`): the model scores the *context*, so it can find
articles that never name their topic, and the keyword evidence is combined with it
afterwards (`classifiers.hybrid`). Weights live in one dense matrix so scoring a batch is a
single sparse x dense product.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from classifiers.features import Vectorizer
from classifiers.text import tokenize

__all__ = ["ModelParams", "TopicModel"]

Pair = tuple[str, str]
#: A reason's training documents are about the topic more often than documents in general
#: (the base rate): by at least this part of the way from the base rate to always.
REASON_GAIN = 0.2
#: Pseudo-documents (at the base rate) that smooth the share of rare terms.
SHARE_PRIOR = 5.0


class ModelParams(TypedDict, total=False):
    """TopicModel's hyper-parameters, for callers (training, tuning) that pass some on."""

    C: float
    min_df: int
    title_weight: int
    split_compounds: bool
    class_weight: str | None
    threshold: float
    max_iter: int


class TopicModel(ClassifierMixin, BaseEstimator):
    """scikit-learn estimator: `fit(X, Y)` with X a sequence of (title, text) pairs and Y an
    (n, k) array of 1 (about the topic), 0 (not) or -1 (unknown for this topic: the row is
    left out of that topic's regression, e.g. a 👎 on a NATO alert says nothing of COVID-19).
    """

    def __init__(
        self,
        topics: Sequence[str] = (),
        *,
        C: float = 4.0,
        min_df: int = 2,
        title_weight: int = 2,
        split_compounds: bool = True,
        class_weight: str | None = "balanced",
        threshold: float = 0.7,
        max_iter: int = 3000,
    ) -> None:
        self.topics = topics
        self.C = C
        self.min_df = min_df
        self.title_weight = title_weight
        self.split_compounds = split_compounds
        self.class_weight = class_weight
        self.threshold = threshold
        self.max_iter = max_iter

    def fit(
        self, X: Sequence[Pair], Y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> TopicModel:
        Y = np.asarray(Y)
        if Y.ndim != 2 or Y.shape != (len(X), len(self.topics)):
            raise ValueError(f"Y must have shape ({len(X)}, {len(self.topics)})")
        self.vectorizer_ = Vectorizer(
            min_df=self.min_df,
            title_weight=self.title_weight,
            split_compounds=self.split_compounds,
        ).fit(X)
        features = self.vectorizer_.transform(X)
        weights = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, float)
        k, f = len(self.topics), features.shape[1]
        self.coef_ = np.zeros((k, f))
        self.intercept_ = np.zeros(k)
        for j in range(k):
            known = Y[:, j] >= 0
            y = Y[known, j].astype(bool)
            if y.all() or not y.any():
                # One class only: no evidence either way; the model never fires on its own.
                self.intercept_[j] = -10.0
                continue
            lr = LogisticRegression(
                C=self.C, class_weight=self.class_weight, max_iter=self.max_iter
            ).fit(features[known], y, sample_weight=weights[known])
            self.coef_[j] = lr.coef_[0]
            self.intercept_[j] = lr.intercept_[0]
        self.topic_share_, self.base_rate_ = _topic_share(features, Y)
        self.thresholds_ = np.full(k, float(self.threshold))
        self.classes_ = np.array(list(self.topics))
        self.n_features_ = f
        return self

    def decision_function(self, X: Sequence[Pair]) -> np.ndarray:
        features = self.vectorizer_.transform(X)
        scores: np.ndarray = np.asarray(features @ self.coef_.T + self.intercept_)
        return scores

    def predict_proba(self, X: Sequence[Pair]) -> np.ndarray:
        """(n, k) probability that each row is about each topic (independent per topic)."""
        proba: np.ndarray = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return proba

    def predict(self, X: Sequence[Pair]) -> np.ndarray:
        """(n, k) 0/1 decisions at the per-topic thresholds."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def bearing(self, topic: int) -> np.ndarray:
        """(f,) whether each term bears `topic`: among the training documents that contain
        it, a clearly larger share is about the topic than among all documents (see
        `_topic_share`). Why: the regression also leans on frequent words that merely
        co-occur ("danske" beside Danish soldiers in Afghanistan, "går", "værd"); such a word
        explains nothing to a reader and is no evidence in a Norwegian or a car review.
        `NO_REASON_WORDS` (words of any subject that stay features) never bear a topic."""
        share = self.__dict__.get("topic_share_")
        if share is None:  # a model from before this attribute: every positive term
            return np.asarray(self.coef_[topic] > 0)
        base = float(self.base_rate_[topic])
        out = np.asarray(share[topic] >= base + REASON_GAIN * (1.0 - base))
        out[self.vectorizer_.no_reason_ids()] = False
        return out

    def explain(self, x: Pair, topic: int | str, n: int = 5) -> tuple[str, ...]:
        """The topic-bearing words of `x` (`bearing`) that pushed its score for `topic` up
        most, as written (the shortest form in the document), strongest first. Shown in
        alerts; empty when `x` has none (common words never count: they are not features,
        see `classifiers.text.COMMON_WORDS`)."""
        j = self.topics.index(topic) if isinstance(topic, str) else topic
        vec = self.vectorizer_
        row = vec.transform([x])
        bearing = self.bearing(j)
        coef = self.coef_[j]
        contrib: dict[int, float] = {
            int(i): float(v) * float(coef[i])
            for i, v in zip(row.indices, row.data, strict=True)
            if bearing[i]
        }
        best = [i for i, c in sorted(contrib.items(), key=lambda kv: -kv[1]) if c > 0][:n]
        if not best:
            return ()
        surface: dict[int, str] = {}
        for w in tokenize(x[0] + " . " + x[1]):
            for i in vec.doc_ids(w, ""):
                if i in contrib and (i not in surface or len(w) < len(surface[i])):
                    surface[i] = w
        names = vec.feature_names()
        return tuple(dict.fromkeys(surface.get(i, names[i]) for i in best))


def _topic_share(features: object, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(k, f) float32: per topic, the smoothed share of training documents containing each
    term that are about the topic (rows unknown for a topic left out); and (k,) the share of
    all documents that are."""
    import scipy.sparse as sp

    x = sp.csr_matrix(features, copy=True)
    x.data[:] = 1.0
    out = np.zeros((Y.shape[1], x.shape[1]), dtype=np.float32)
    bases = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        known = Y[:, j] >= 0
        pos = (Y[:, j] == 1).astype(float)
        base = bases[j] = pos[known].mean() if known.any() else 0.0
        df_all = np.asarray(x[known].sum(axis=0)).ravel()
        df_pos = np.asarray(x.T @ pos).ravel()
        out[j] = (df_pos + SHARE_PRIOR * base) / (df_all + SHARE_PRIOR)
    return out, bases
