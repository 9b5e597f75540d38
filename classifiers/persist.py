"""Saving and loading models safely: skops with an explicit list of trusted types.

A pickle would run arbitrary code from a tampered model file; skops refuses any type not
listed in `TRUSTED`. A JSON sidecar (`MODEL.json`) records the library versions, topics,
thresholds and a hash of the topic config: a model trained for other keywords or with other
library versions is rejected with a message that says what to do, never silently used.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from classifiers.base import TopicRule
from classifiers.errors import ModelError
from classifiers.model import TopicModel
from classifiers.training import MODEL_FORMAT, config_hash

__all__ = [
    "TRUSTED",
    "library_versions",
    "load_model",
    "previous_path",
    "save_model",
    "seed_model_path",
    "sidecar_path",
]

FORMAT = 1
#: Every non-builtin type a model file may contain. Anything else is refused.
TRUSTED: tuple[str, ...] = (
    "classifiers.model.TopicModel",
    "classifiers.features.Vectorizer",
)
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "skops", "PyStemmer")


def library_versions() -> dict[str, str]:
    """major.minor of each library the model's numbers depend on."""
    out = {"python": ".".join(platform.python_version_tuple()[:2])}
    for lib in _LIBRARIES:
        try:
            out[lib] = ".".join(metadata.version(lib).split(".")[:2])
        except metadata.PackageNotFoundError:
            out[lib] = "absent"
    return out


def sidecar_path(path: Path) -> Path:
    return Path(path).with_suffix(Path(path).suffix + ".json")


def seed_model_path(model_path: Path) -> Path:
    """Where the default (seed-only) model lives beside a configured model file: its own file,
    so falling back to it never overwrites a trained model (`data/model.seed.skops`)."""
    model_path = Path(model_path)
    return model_path.with_name(f"{model_path.stem}.seed{model_path.suffix}")


def previous_path(path: Path) -> Path:
    """Where `save_model` keeps the model it replaces (`data/model.previous.skops`)."""
    path = Path(path)
    return path.with_name(f"{path.stem}.previous{path.suffix}")


def _keep_previous(path: Path) -> None:
    """Hard-link (else copy) `path` and its sidecar to `previous_path(path)`, each through a
    temporary name and a rename, so the current file stays in place throughout."""
    for src, dst in (
        (path, previous_path(path)),
        (sidecar_path(path), sidecar_path(previous_path(path))),
    ):
        if not src.exists():
            continue
        tmp = dst.with_name(dst.name + ".tmp")
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copy2(src, tmp)
        os.replace(tmp, dst)


def save_model(model: TopicModel, path: Path, *, keep_previous: bool = True) -> Path:
    """Write `path` (skops) and its sidecar atomically, both mode 0o600. Returns `path`.

    A model already at `path` is kept as `previous_path(path)` first (unless
    `keep_previous=False`), so a bad retraining can be undone by renaming one file."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if keep_previous and path.exists():
        _keep_previous(path)
    meta = {
        "format": FORMAT,
        "topics": list(model.topics),
        "thresholds": [float(t) for t in model.thresholds_],
        "config_hash": getattr(model, "config_hash_", None),
        "model_format": getattr(model, "model_format_", None),
        "seed_hash": getattr(model, "seed_hash_", None),
        "versions": library_versions(),
        "n_features": int(model.n_features_),
        "n_corpus": int(getattr(model, "n_corpus_", 0)),
        "n_labelled": int(getattr(model, "n_labelled_", 0)),
        "params": {k: v for k, v in model.get_params().items() if k != "topics"},
    }
    for target, payload in ((path, sio.dumps(model)), (sidecar_path(path), None)):
        tmp = target.with_name(target.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(payload if payload is not None else json.dumps(meta, indent=2).encode())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    return path


def read_sidecar(path: Path) -> dict[str, Any]:
    side = sidecar_path(path)
    try:
        meta: dict[str, Any] = json.loads(side.read_text(encoding="utf-8"))
        return meta
    except FileNotFoundError:
        raise ModelError(f"{path}: sidecar {side.name} is missing; retrain the model") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{side}: unreadable sidecar ({exc}); retrain the model") from None


def check_compatible(
    path: Path, meta: Mapping[str, Any], rules: Sequence[TopicRule] | None
) -> None:
    """Raise ModelError unless the sidecar matches these rules and these libraries."""
    if meta.get("format") != FORMAT:
        raise ModelError(f"{path}: model format {meta.get('format')} is not {FORMAT}; retrain")
    if rules is not None:
        topics = [r.id for r in rules]
        if meta.get("topics") != topics:
            raise ModelError(
                f"{path}: trained for topics {meta.get('topics')}, configured {topics}; "
                "retrain with `topicbot train`"
            )
        if meta.get("config_hash") != config_hash(rules):
            raise ModelError(f"{path}: {_stale_cause(meta, rules)}; retrain with `topicbot train`")
    here = library_versions()
    if (saved := meta.get("versions")) != here:
        diff = ", ".join(
            f"{k} {saved.get(k) if isinstance(saved, dict) else '?'} → {v}"
            for k, v in here.items()
            if not isinstance(saved, dict) or saved.get(k) != v
        )
        raise ModelError(f"{path}: trained with other library versions ({diff}); retrain")


def _stale_cause(meta: Mapping[str, Any], rules: Sequence[TopicRule]) -> str:
    """Why a model's config hash no longer matches these rules: the code's `MODEL_FORMAT`
    changed (an upgrade of topicbot; the operator changed nothing), the configured keywords
    or excludes did, or both. A sidecar from before `model_format` was recorded still tells:
    when only the code changed, its hash is an older format's hash of these very rules."""
    saved = meta.get("model_format")
    if not isinstance(saved, int):
        saved = next(
            (f for f in range(1, MODEL_FORMAT) if meta.get("config_hash") == config_hash(rules, f)),
            MODEL_FORMAT,
        )
    keywords = meta.get("config_hash") != config_hash(rules, saved)
    if saved == MODEL_FORMAT:
        return "the topics' keywords or excludes changed since it was trained"
    cause = (
        f"it was made by another topicbot version (model format {saved}, this one reads "
        f"{MODEL_FORMAT}): the classifier's text handling changed"
    )
    return cause + (", and the topics' keywords or excludes too" if keywords else "")


def load_model(path: Path, rules: Sequence[TopicRule] | None) -> TopicModel:
    """Load a model saved by `save_model`, refusing untrusted types and a model that does not
    match `rules` (pass None to skip the config check, e.g. to inspect a file)."""
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no model file; train one with `topicbot train`")
    meta = read_sidecar(path)
    check_compatible(path, meta, rules)
    try:
        data = path.read_bytes()
        untrusted = [t for t in sio.get_untrusted_types(data=data) if t not in TRUSTED]
    except Exception as exc:  # skops raises many types on a corrupt file
        raise ModelError(f"{path}: not a readable skops model ({exc})") from None
    if untrusted:
        raise ModelError(f"{path}: refusing to load untrusted types {untrusted}")
    try:
        model = sio.loads(data, trusted=list(TRUSTED))
    except Exception as exc:
        raise ModelError(f"{path}: cannot load model ({exc})") from None
    if not isinstance(model, TopicModel):
        raise ModelError(f"{path}: holds a {type(model).__name__}, not a TopicModel")
    return model
