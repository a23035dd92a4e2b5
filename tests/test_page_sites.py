"""The "Sites industriels de demain" page with AppTest on the demonstration base: the ranking shown is the
core's, every setting is read from and written back to the link, bad values give a French notice.

The sites of Lorient, Morlaix and Blois-Romorantin are those frozen in tests/data/sites (as in test_sites),
imported over the demonstration's, so that a regeneration of the demonstration data does not move the
hand-checked ranks below."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from rebond_core import perimetre, sites
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from rebond_core.perimetre import Filtres
from tests.outils.appli import lancer, tableau
from tests.outils.texte import lu

SITES_FIGES = Path(__file__).parent / "data" / "sites" / "sites_lorient_morlaix_blois.xlsx"


@pytest.fixture(autouse=True)
def sites_figes(application: Path) -> Path:
    base = Base.ouvrir(application)
    try:
        assert importer(base, [SITES_FIGES], "tests").rapport.valide
    finally:
        base.fermer()
    return application


def _lancer_sites(parametres: dict[str, str | list[str]]) -> AppTest:
    return lancer(parametres, page="pages/sites.py")


def _attendu(chemin: Path, territoire: str, **reglages: object) -> list[tuple[str, int | None]]:
    base = Base.ouvrir(chemin)
    try:
        liste = perimetre.sites(base, Filtres(territoire=(territoire,)))
    finally:
        base.fermer()
    tableau, _, _ = sites.tableau(liste, sites.reglages(sites.grille(None), **reglages))  # type: ignore[arg-type]
    return [
        (i, None if r is None or r is pd.NA else int(r))
        for i, r in zip(tableau["id_site"], tableau["rang"], strict=True)
    ]


def _affiche(at: AppTest) -> list[tuple[str, int | None]]:
    df = tableau(at, "Identifiant", "Rang")
    return [
        (i, None if r is None or r is pd.NA or r != r else int(r))
        for i, r in zip(df["Identifiant"], df["Rang"], strict=True)
    ]


def test_classement_du_lien_egal_au_coeur_et_url_reecrite(application: Path) -> None:
    at = _lancer_sites({"territoire": "lorient", "poids_energie": "3", "seuil_mobilite": "3"})
    attendu = _attendu(application, "lorient", poids={"energie": 3}, seuils={"mobilite": 3})
    assert _affiche(at) == attendu
    assert attendu[:4] == [("SIT-lorient-01", 1), ("SIT-lorient-06", 2), ("SIT-lorient-02", 3), ("SIT-lorient-04", 4)]
    df = tableau(at, "Identifiant", "Rang").set_index("Identifiant")
    assert df.loc["SIT-lorient-05", "Motif d'écart"] == "non retenu : Mobilités et accessibilité non évalué (seuil 3)"
    assert df.loc["SIT-lorient-01", "Position"] in ("robuste", "fragile")
    assert {m.label: m.value for m in at.metric}["Sites écartés"] == "4"
    assert at.number_input(key="sites_poids_energie").value == 3.0
    assert at.selectbox(key="sites_seuil_mobilite").value == "3"
    lien = at.query_params
    assert lien["grille"] == "sites_de_demain" and lien["poids_energie"] == "3" and lien["seuil_mobilite"] == "3"
    assert lien["poids_gouvernance"] == "1" and lien["n"] == "1000" and lien["x"] == "25" and lien["k"] == "3"
    assert lien["nez"] == "0" and lien["site"] == "SIT-lorient-01"
    assert "seuil_energie" not in lien


def test_un_reglage_change_le_classement_et_le_lien(application: Path) -> None:
    at = _lancer_sites({"territoire": "lorient"})
    assert _affiche(at) == _attendu(application, "lorient")
    at.number_input(key="sites_poids_energie").set_value(3.0).run()
    at.toggle(key="sites_non_evalue_zero").set_value(True).run()
    assert _affiche(at) == _attendu(application, "lorient", poids={"energie": 3}, non_evalue_zero=True)
    assert at.query_params["poids_energie"] == "3" and at.query_params["nez"] == "1"


def test_valeurs_invalides_du_lien_signalees(application: Path) -> None:
    at = _lancer_sites(
        {"territoire": "lorient", "poids_energie": "lourd", "seuil_biodiversite": "9", "n": "²", "grille": "inconnue"}
    )
    avis = " ".join(lu(w.value) for w in at.warning)
    assert "poids du critère Énergie (poids_energie) : « lourd » invalide" in avis
    assert "seuil du critère Biodiversité et paysage (seuil_biodiversite) : « 9 » invalide" in avis
    assert "tirages (n) : « ² » invalide, attendu un entier de 100 à 10 000" in avis
    assert "grille (grille) : « inconnue » invalide" in avis
    assert (
        at.number_input(key="sites_poids_energie").value == 1.0 and at.number_input(key="sites_tirages").value == 1000
    )
    assert _affiche(at) == _attendu(application, "lorient")


def test_valeurs_hors_limites_du_lien_ramenees_avec_un_avis(application: Path) -> None:
    """A weight of 150 is brought to the panel's 100 (not silently to 0), n=5 to 100 draws, k=0 to 1; each
    says so, and the link is rewritten with the values in effect."""
    at = _lancer_sites({"territoire": "lorient", "poids_energie": "150", "n": "5", "k": "0", "x": "12,0"})
    avis = " ".join(lu(w.value) for w in at.warning)
    assert "poids du critère Énergie (poids_energie) : « 150 » hors limites (de 0 à 100), ramené à 100." in avis
    assert "tirages (n) : « 5 » hors limites (de 100 à 10 000), ramené à 100." in avis
    assert "tête du classement (k) : « 0 » hors limites (de 1 à 20), ramené à 1." in avis
    assert "variation" not in avis  # 12,0 is a whole number written the French way: read as 12
    assert at.number_input(key="sites_poids_energie").value == 100.0
    assert (at.number_input(key="sites_tirages").value, at.number_input(key="sites_tete").value) == (100, 1)
    assert at.number_input(key="sites_ecart_pct").value == 12
    lien = at.query_params
    assert (lien["poids_energie"], lien["n"], lien["k"], lien["x"]) == ("100", "100", "1", "12")
    assert _affiche(at) == _attendu(application, "lorient", poids={"energie": 100})


def test_tous_les_poids_nuls_refuses_en_francais(application: Path) -> None:
    codes = [c.code for c in sites.grille(None).criteres]
    at = _lancer_sites({f"poids_{c}": "0" for c in codes})
    assert any("Au moins un poids doit être strictement positif" in e.value for e in at.error)
    assert not at.dataframe


def test_perimetre_sans_site(application: Path) -> None:
    at = _lancer_sites({"filiere": "ferroviaire"})
    assert any("Aucun site candidat dans ce périmètre" in i.value for i in at.info)
    assert not at.dataframe


def test_grille_cles_en_main_et_explication(application: Path) -> None:
    at = _lancer_sites({"region": "53", "grille": "cles_en_main", "site": "SIT-lorient-01"})
    df = tableau(at, "Identifiant", "Rang")
    assert list(df["Identifiant"][:2]) == ["SIT-lorient-06", "SIT-lorient-01"]  # 90 then 85 (see test_sites)
    assert any("Sites clés en main France 2030" in c.value for c in at.caption)
    assert at.selectbox(key="sites_site_explique").value == "SIT-lorient-01"
    assert any("rang 2, score 85,0, complétude 80\u00a0%" in m.value for m in at.markdown)
    assert "poids_energie" not in at.query_params and at.query_params["poids_maturite"] == "1"
    assert any("Carte indisponible" in i.value for i in at.info)
