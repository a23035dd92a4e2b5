"""Page logic with AppTest on the demonstration base: the figures shown are the core's, filters in the
link are applied or dropped with a notice, empty scopes and missing boundaries give a French message."""

from __future__ import annotations

from pathlib import Path

import pytest

from rebond_core.db import Base
from rebond_core.indicateurs import PAR_CLE, Filtres, calculer
from rebond_ui.composants import valeur_formatee
from tests.outils.appli import lancer

GEO = Path(__file__).resolve().parent.parent.parent / "shared" / "geo"


def _attendus(chemin: Path, filtres: Filtres) -> dict[str, str]:
    base = Base.ouvrir(chemin)  # same configuration as the app: DuckDB shares the instance
    try:
        valeurs = calculer(base, filtres).valeurs
    finally:
        base.fermer()
    return {PAR_CLE[cle].libelle: valeur_formatee(cle, valeurs[cle]) for cle in PAR_CLE}


def test_vue_d_ensemble_montre_les_chiffres_du_coeur(application: Path) -> None:
    at = lancer()
    affiches = {m.label: m.value for m in at.metric}
    attendus = _attendus(application, Filtres())
    assert len(affiches) == 8
    assert affiches == {libelle: attendus[libelle] for libelle in affiches}
    assert affiches["Territoires lauréats"] == "13"
    assert any("Données de démonstration" in w.value for w in at.warning)
    assert any("Carte indisponible" in i.value for i in at.info)  # no REBOND_GEO_DIR here


def test_filtres_du_lien_appliques_et_valeur_invalide_signalee(application: Path) -> None:
    at = lancer({"region": ["32", "99"], "releve": "1"})
    affiches = {m.label: m.value for m in at.metric}
    attendus = _attendus(application, Filtres(region=("32",), releve=(1,)))
    assert affiches["Territoires lauréats"] == attendus["Territoires lauréats"] == "1"
    assert affiches["Projets détectés"] == attendus["Projets détectés"]
    assert any("« 99 »" in w.value and "Région" in w.value for w in at.warning)
    assert at.multiselect(key="filtre_region").value == ["32"]


def test_perimetre_vide_message_en_francais(application: Path) -> None:
    at = lancer({"filiere": "ferroviaire"})
    assert not at.metric
    assert any("Aucun territoire ne correspond" in i.value for i in at.info)


def test_reinitialiser_vide_les_filtres(application: Path) -> None:
    at = lancer({"region": "32"})
    at.button[0].click().run()
    assert at.multiselect(key="filtre_region").value == []
    assert {m.label: m.value for m in at.metric}["Territoires lauréats"] == "13"


def test_page_territoire(application: Path) -> None:
    at = lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    assert [h.value for h in at.header] == ["Douaisis Agglo"]
    affiches = {m.label: m.value for m in at.metric}
    attendus = _attendus(application, Filtres(territoire=("douaisis",)))
    assert affiches == {libelle: attendus[libelle] for libelle in affiches}
    assert affiches["Projets détectés"] == "100"  # the published figure the demo is calibrated on


def test_page_territoire_sans_choix_invite_a_choisir(application: Path) -> None:
    at = lancer(page="pages/territoire.py")
    assert any("Choisissez un territoire" in i.value for i in at.info)
    at.selectbox[0].select("morlaix").run()
    assert [h.value for h in at.header] == ["Morlaix Communauté"]
    assert at.multiselect(key="filtre_territoire").value == ["morlaix"]


@pytest.mark.skipif(not GEO.is_dir(), reason="fonds de carte partagés absents")
def test_carte_avec_fonds(application: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOND_GEO_DIR", str(GEO))
    at = lancer()
    assert not any("Carte indisponible" in i.value for i in at.info)
    assert at.selectbox(key="carte_indicateur").value == "aides_engagees_eur"


@pytest.mark.parametrize(
    "page", [None, "pages/territoire.py", "pages/sites.py", "pages/importer.py", "pages/historique.py"]
)
def test_chaque_page_sur_une_base_vide(
    chemin_base_vide: Path, monkeypatch: pytest.MonkeyPatch, page: str | None
) -> None:
    import streamlit as st

    monkeypatch.setenv("REBOND_DB", str(chemin_base_vide))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = lancer(page=page)  # no exception
    finally:
        st.cache_resource.clear()
    assert not any("Données de démonstration" in w.value for w in at.warning)
    if page in (None, "pages/territoire.py"):
        assert any("aucun territoire lauréat" in i.value for i in at.info)
