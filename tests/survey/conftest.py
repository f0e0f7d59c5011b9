"""Fixtures of the survey tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The project root the survey files are written to and shown relative to."""
    return tmp_path
