"""Shared fixtures: the real gazetteer (built once per machine) and paths to ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The incident properties ../shared/CONTRACT.md promises (written out here, not taken from the code under test).
CONTRACT_FIELDS = (
    "id",
    "date",
    "date_precision",
    "event_type",
    "actor",
    "target",
    "location",
    "country",
    "admin1",
    "geo_precision",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "articles",
    "source_count",
    "quote",
    "historical",
)


@pytest.fixture(scope="session")
def gaz():
    """The gazetteer at the default path (the README's set-up builds it; built offline if missing)."""
    from gazetteer import Gazetteer

    return Gazetteer.open()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
