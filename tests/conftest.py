"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the project; absent on a user's machine, so tests skip."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (it holds the test corpora; CI has it)")
    return SHARED


@pytest.fixture
def seed_file(shared_dir: Path) -> Path:
    path = shared_dir / "seed" / "000_053f5145477e3d55.txt"
    if not path.is_file():
        pytest.skip("../shared/seed/000_053f5145477e3d55.txt is absent")
    return path
