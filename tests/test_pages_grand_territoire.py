"""A territory of 100 000 projects (tests/outils/grand_territoire.py, imported through the real pipeline) opens
its pages: the tables are paged (1 000 rows shown, sorted on the whole table, numbers in French), the
downloads hold every row. The figures below are computed by hand from the generator's rules: project n is
of status STATUTS[n % 20] and invests 100 000 + n % 5 000 + 0,5 euros."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests.outils import grand_territoire
from tests.outils.appli import lancer, sans_erreur_inattendue
from tests.outils.bases import copie_de

pytestmark = pytest.mark.lent
E = "\u202f"


@pytest.fixture(scope="module")
def base_grand_territoire(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration plus the territory « geant » of 100 000 projects (a few seconds to import)."""
    dossier = tmp_path_factory.mktemp("grand_territoire")
    chemin = copie_de(modele_base_demo, dossier)
    grand_territoire.importer_grand_territoire(chemin, dossier / "csv")
    return chemin


@pytest.fixture
def grande_application(base_grand_territoire: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REBOND_DB", str(base_grand_territoire))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    monkeypatch.delenv("REBOND_IMPORT", raising=False)
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield base_grand_territoire
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()


@pytest.fixture
def telechargements(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """The download buttons a run draws: file name → what a click gives."""
    trouves: dict[str, Callable[[], bytes]] = {}
    original = streamlit.download_button

    def bouton(libelle: str, data: Any, file_name: str | None = None, **autres: Any) -> Any:
        trouves[str(file_name)] = data
        return original(libelle, data=data, file_name=file_name, **autres)

    monkeypatch.setattr(streamlit, "download_button", bouton)
    return trouves


def _table_des_projets(at: AppTest) -> pd.DataFrame:
    trouves = [d.value for d in at.dataframe if "Intitulé" in d.value.columns and "Identifiant" in d.value.columns]
    assert len(trouves) == 1
    return trouves[0]


def _legendes(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Lignes ")]


def test_la_fiche_d_un_territoire_de_100_000_projets_s_ouvre(
    grande_application: Path, telechargements: dict[str, Callable[[], bytes]]
) -> None:
    at = lancer({"territoire": "geant"}, page="pages/territoire.py")
    assert [h.value for h in at.header] == ["Territoire géant"]
    assert {m.label: m.value for m in at.metric}["Projets détectés"] == f"100{E}000"
    projets = _table_des_projets(at)
    assert len(projets) == 500 and list(projets["Identifiant"][:2]) == ["G-000000", "G-000001"]
    assert f"Lignes 1 à 500 sur 100{E}000 : le tableau est découpé en pages de 500 lignes" in " ".join(_legendes(at))
    # Every download holds every row: the projects' CSV has 100 000 lines under its header.
    csv = telechargements["projets.csv"]().decode("utf-8-sig")
    lignes = csv.split("\r\n")
    debut = next(i for i, ligne in enumerate(lignes) if ligne.startswith("Identifiant;"))
    assert len([ligne for ligne in lignes[debut + 1 :] if ligne]) == 100_000


def test_tri_et_pages_sur_tout_le_tableau(grande_application: Path) -> None:
    at = lancer({"territoire": "geant"}, page="pages/territoire.py")
    at.selectbox(key="table_projets_territoire_pages_tri").select("Investissement (€)").run()
    at.toggle(key="table_projets_territoire_pages_decroissant").set_value(True).run()
    sans_erreur_inattendue(at)
    projets = _table_des_projets(at)
    # The largest investment is 100 000 + 4 999 + 0,5, for every n with n % 5000 = 4999: G-004999 first (stable).
    assert projets["Investissement (€)"].iloc[0] == 104_999.5 and projets["Identifiant"].iloc[0] == "G-004999"
    at.number_input(key="table_projets_territoire_pages_page").set_value(200).run()  # 100 000 / 500
    sans_erreur_inattendue(at)
    projets = _table_des_projets(at)
    assert len(projets) == 500 and projets["Investissement (€)"].iloc[-1] == 100_000.5  # the smallest, last page
    assert f"Lignes 99{E}501 à 100{E}000 sur 100{E}000" in " ".join(_legendes(at))


def test_une_recherche_qui_reduit_le_tableau_ramene_a_une_page_valide(grande_application: Path) -> None:
    at = lancer({"territoire": "geant"}, page="pages/territoire.py")
    at.number_input(key="table_projets_territoire_pages_page").set_value(50).run()
    at.text_input(key="recherche_projets").input("Projet 1234").run()  # 11 projects: Projet 1234, 12340 to 12349
    sans_erreur_inattendue(at)
    assert len(_table_des_projets(at)) == 11
    assert "table_projets_territoire_pages_page" not in [n.key for n in at.number_input]  # no page selector


def test_projets_a_suivre_et_autres_pages_du_grand_territoire(
    grande_application: Path, telechargements: dict[str, Callable[[], bytes]]
) -> None:
    # Prioritised and filed projects (7 in 20) reached their status more than a year ago: 35 000 decisions
    # awaited; granted ones (6 in 20: 30 000) are paid 500 € of their 1 200 € aid for even n, nothing else.
    at = lancer({"territoire": "geant"}, page="pages/a_suivre.py")
    tuiles = {m.label: m.value for m in at.metric}
    assert (tuiles["Décisions attendues"], tuiles["dont plus de 12 mois"]) == (f"35{E}000", f"35{E}000")
    assert (tuiles["Versements attendus"], tuiles["dont sans versement"]) == (f"30{E}000", f"15{E}000")
    assert any("sur 65\u202f000 : le tableau est découpé en pages" in c for c in _legendes(at))
    lignes = list(csv.reader(io.StringIO(telechargements["projets-a-suivre.csv"]().decode("utf-8-sig")), delimiter=";"))
    table = [ligne for ligne in lignes if len(ligne) > 1]
    assert len(table) == 1 + 65_000  # the header, then every project to follow
    for page in (None, "pages/sites.py", "pages/historique.py"):
        lancer({"territoire": "geant"}, page=page)
