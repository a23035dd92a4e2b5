"""Shared fixtures: real DuckDB files built once per session (templates) and copied for each test with
`copie_de`; the browser's launch options and the demonstration server; the `pages` mark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.register_assert_rewrite("tests.outils")  # detailed failures in the shared helpers' asserts too

from rebond_core.creation import creer_base  # noqa: E402
from rebond_core.db import Base  # noqa: E402
from rebond_core.importation.pipeline import importer  # noqa: E402
from tests.outils.bases import copie_de, vidage  # noqa: E402
from tests.outils.contrat import VALIDES, Contenu  # noqa: E402
from tests.outils.navigateur import ARGUMENTS_CHROMIUM, CHROMIUM  # noqa: E402
from tests.outils.serveur import serveur_streamlit  # noqa: E402

# AppTest runs of the dashboard's pages: marked `pages` (left out of `make test-rapide`).
MODULES_PAGES = ("test_pages*.py", "test_page_sites.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.path.match(motif) for motif in MODULES_PAGES):
            item.add_marker(pytest.mark.pages)


# ---------------------------------------------------------------------------------------------------
# Templates, built once per session (per xdist worker)


@pytest.fixture(scope="session")
def modele_base_vide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty base (referential + relève calendar)."""
    chemin = tmp_path_factory.mktemp("modeles") / "vide.duckdb"
    creer_base(chemin, demo=False).fermer()
    return chemin


@pytest.fixture(scope="session")
def modele_base_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration base, built through the normal import."""
    chemin = tmp_path_factory.mktemp("modeles") / "demo.duckdb"
    creer_base(chemin, demo=True).fermer()
    return chemin


@pytest.fixture(scope="session")
def modele_base_minimale(modele_base_vide: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The empty base plus tests/data/valides/base_minimale.xlsx: territory `douaisis` of relève 3, projects
    P-001 (accordé, 500 000 € of aid) and P-002, site S-001 — what the import-contract cases start from."""
    chemin = copie_de(modele_base_vide, tmp_path_factory.mktemp("modeles"), "minimale.duckdb")
    base = Base.ouvrir(chemin)
    try:
        resultat = importer(base, [VALIDES / "base_minimale.xlsx"], "tests")
        assert resultat.rapport.problemes == [] and resultat.version == 1
    finally:
        base.fermer()
    return chemin


@pytest.fixture(scope="session")
def contenu_base_minimale(modele_base_minimale: Path) -> Contenu:
    """Every row of the minimal template, read once: what each fresh copy holds before a test writes."""
    return vidage(modele_base_minimale)


# ---------------------------------------------------------------------------------------------------
# A fresh copy of a template for each test


@pytest.fixture
def chemin_base_vide(modele_base_vide: Path, tmp_path: Path) -> Path:
    return copie_de(modele_base_vide, tmp_path)


@pytest.fixture
def chemin_base_demo(modele_base_demo: Path, tmp_path: Path) -> Path:
    return copie_de(modele_base_demo, tmp_path)


@pytest.fixture
def chemin_base_minimale(modele_base_minimale: Path, tmp_path: Path) -> Path:
    return copie_de(modele_base_minimale, tmp_path)


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


# ---------------------------------------------------------------------------------------------------
# Pages: AppTest and the browser


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


@pytest.fixture(scope="session")
def serveur(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server on a copy of the demonstration base, with the shared boundaries when present."""
    dossier = tmp_path_factory.mktemp("serveur")
    with serveur_streamlit(copie_de(modele_base_demo, dossier), dossier / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options: Debian's Chromium, software rendering."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGUMENTS_CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1400, "height": 1000}}
