"""Shared fixtures: real DuckDB files, built once per session and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rebond_core.creation import creer_base
from rebond_core.db import Base

DOSSIER_TESTS = Path(__file__).parent
DONNEES = DOSSIER_TESTS / "data"


@pytest.fixture(scope="session")
def modele_base_vide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty base (referential + relève calendar), built once."""
    chemin = tmp_path_factory.mktemp("modeles") / "vide.duckdb"
    creer_base(chemin, demo=False).fermer()
    return chemin


@pytest.fixture(scope="session")
def modele_base_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration base, built once through the normal import."""
    chemin = tmp_path_factory.mktemp("modeles") / "demo.duckdb"
    creer_base(chemin, demo=True).fermer()
    return chemin


@pytest.fixture
def chemin_base_vide(modele_base_vide: Path, tmp_path: Path) -> Path:
    chemin = tmp_path / "base.duckdb"
    shutil.copy(modele_base_vide, chemin)
    return chemin


@pytest.fixture
def chemin_base_demo(modele_base_demo: Path, tmp_path: Path) -> Path:
    chemin = tmp_path / "demo.duckdb"
    shutil.copy(modele_base_demo, chemin)
    return chemin


@pytest.fixture
def base_vide(chemin_base_vide: Path) -> Iterator[Base]:
    base = Base.ouvrir(chemin_base_vide)
    yield base
    base.fermer()


@pytest.fixture
def base_demo(chemin_base_demo: Path) -> Iterator[Base]:
    base = Base.ouvrir(chemin_base_demo)
    yield base
    base.fermer()


@pytest.fixture
def application(chemin_base_demo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The dashboard's environment for AppTest: a copy of the demo base, no boundaries, import open,
    and Streamlit's process-wide caches emptied before and after."""
    import streamlit as st

    monkeypatch.setenv("REBOND_DB", str(chemin_base_demo))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    monkeypatch.delenv("REBOND_IMPORT", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield chemin_base_demo
    st.cache_resource.clear()
