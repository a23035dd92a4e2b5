"""A territory of 100 000 projects in a real browser: its page and its projects to follow load without an
exception, their tables paged (tests/outils/grand_territoire.py; test_pages_grand_territoire.py checks what
the tables hold)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.outils import grand_territoire
from tests.outils.bases import copie_de
from tests.outils.navigateur import MARQUES, attendre
from tests.outils.serveur import serveur_streamlit

pytestmark = [*MARQUES, pytest.mark.lent]


@pytest.fixture(scope="module")
def serveur_grand(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dossier = tmp_path_factory.mktemp("serveur_grand")
    chemin = copie_de(modele_base_demo, dossier)
    grand_territoire.importer_grand_territoire(chemin, dossier / "csv")
    with serveur_streamlit(chemin, dossier / "streamlit.log") as url:
        yield url


@pytest.mark.parametrize("chemin", ["/territoire?territoire=geant", "/a-suivre?territoire=geant"])
def test_les_pages_du_grand_territoire_s_ouvrent(serveur_grand: str, page: Any, chemin: str) -> None:
    page.goto(serveur_grand + chemin)
    attendre(page)
    principal = page.locator("[data-testid='stMain']")
    assert page.locator("[data-testid='stException']").count() == 0
    assert principal.get_by_text("Une erreur inattendue").count() == 0
    assert principal.get_by_text("le tableau est découpé en pages de 500 lignes").count() >= 1
    assert principal.locator("[data-testid='stDataFrame']").count() >= 1
