"""Page logic with AppTest on the demonstration base: the figures shown are the core's, in French, filters
in the link are applied or dropped with a notice, empty scopes and missing boundaries give a French
message, and the error boundary shows French messages, never a traceback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core.db import Base
from rebond_core.indicateurs import calculer
from rebond_core.perimetre import Filtres
from tests.outils.appli import lancer, session, tableau

GEO = Path(__file__).resolve().parent.parent.parent / "shared" / "geo"
E, M = "\u202f", "\u00a0M€"  # thousands separator, then unit of millions of euros

# The demonstration data's figures, written by hand: the raw value the core computes, then the text a
# person must read on the tile (computed by hand from that value, not by the UI's formatter).
DEMO = {
    "Territoires lauréats": ("territoires.nombre", 13, "13"),
    "Projets détectés": ("projets.total", 1254, f"1{E}254"),
    "Investissement potentiel": ("investissement_eur.potentiel", Decimal("2308847000"), f"2{E}308,8{M}"),
    "Investissement soutenu": ("investissement_eur.soutenu", Decimal("544543000"), f"544,5{M}"),
    "Emplois potentiels": ("emplois.potentiels", 6637, f"6{E}637"),
    "Emplois soutenus": ("emplois.soutenus", 1490, f"1{E}490"),
    "Emplois créés": ("emplois.crees", 321, "321"),
    "Effet de levier": ("effet_levier", Decimal("544543000") / Decimal("27933000"), "19,5"),  # 19,49…
}
DOUAISIS = {
    "Projets détectés": ("projets.total", 100, "100"),
    "Investissement potentiel": ("investissement_eur.potentiel", Decimal("153363000"), f"153,4{M}"),
    "Emplois potentiels": ("emplois.potentiels", 461, "461"),
    "Aides engagées": ("enveloppe_aides.engage_eur", Decimal("1406000"), f"1,41{M}"),  # below 10 M€: 2 decimals
}


def _valeurs_du_coeur(chemin: Path, filtres: Filtres) -> dict[str, object]:
    base = Base.ouvrir(chemin)  # same configuration as the app: DuckDB shares the instance
    try:
        return calculer(base, filtres).valeurs
    finally:
        base.fermer()


def _tuiles(at: object) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}  # type: ignore[attr-defined]


def test_vue_d_ensemble_montre_les_chiffres_du_coeur(application: Path) -> None:
    valeurs = _valeurs_du_coeur(application, Filtres())
    assert {libelle: valeurs[cle] for libelle, (cle, _, _) in DEMO.items()} == {
        libelle: brute for libelle, (_, brute, _) in DEMO.items()
    }
    at = lancer()
    assert _tuiles(at) == {libelle: texte for libelle, (_, _, texte) in DEMO.items()}
    assert any("Données de démonstration" in w.value for w in at.warning)
    assert any("Carte indisponible" in i.value for i in at.info)  # no REBOND_GEO_DIR here


def test_filtres_du_lien_appliques_et_valeur_invalide_signalee(application: Path) -> None:
    valeurs = _valeurs_du_coeur(application, Filtres(region=("32",), releve=(1,)))
    assert (valeurs["territoires.nombre"], valeurs["projets.total"]) == (1, 100)  # Douaisis alone
    at = lancer({"region": ["32", "99"], "releve": "1"})
    affiches = _tuiles(at)
    assert (affiches["Territoires lauréats"], affiches["Projets détectés"]) == ("1", "100")
    assert any("« 99 »" in w.value and "Région" in w.value for w in at.warning)
    assert at.multiselect(key="filtre_region").value == ["32"]


def test_perimetre_vide_message_en_francais(application: Path) -> None:
    at = lancer({"filiere": "ferroviaire"})
    assert not at.metric
    assert any("Aucun territoire ne correspond" in i.value for i in at.info)
    assert any("Sources : AMI" in c.value for c in at.caption)  # the frame still draws the footer


def test_reinitialiser_vide_les_filtres(application: Path) -> None:
    at = lancer({"region": "32"})
    at.button(key="filtres_reinitialiser").click().run()
    assert at.multiselect(key="filtre_region").value == []
    assert _tuiles(at)["Territoires lauréats"] == "13"


def test_page_territoire(application: Path) -> None:
    valeurs = _valeurs_du_coeur(application, Filtres(territoire=("douaisis",)))
    assert {cle: valeurs[cle] for cle, _, _ in DOUAISIS.values()} == {c: b for c, b, _ in DOUAISIS.values()}
    at = lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    assert [h.value for h in at.header] == ["Douaisis Agglo"]
    assert _tuiles(at) == {libelle: texte for libelle, (_, _, texte) in DOUAISIS.items()}
    comparaison = tableau(at, "Ratio", "Médiane").set_index("Ratio")
    assert comparaison.loc["Projets détectés", "Territoire"] == "100"
    assert comparaison.loc["Part de l'enveloppe engagée", "Territoire"].endswith("\u00a0%")


def test_recherche_de_projets_sur_la_page_territoire(application: Path) -> None:
    at = lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    tous = tableau(at, "Identifiant", "Intitulé")
    assert len(tous) == 100
    at.multiselect(key="statuts_projets").select("accorde").run()
    accordes = tableau(at, "Identifiant", "Intitulé")
    assert 0 < len(accordes) < 100 and set(accordes["Statut"]) == {"Accordé"}
    at.text_input(key="recherche_projets").input("aucun projet ne s'appelle ainsi").run()
    assert any("Aucun projet ne correspond" in i.value for i in at.info)


def test_page_territoire_sans_choix_invite_a_choisir(application: Path) -> None:
    at = lancer(page="pages/territoire.py")
    assert any("Choisissez un territoire" in i.value for i in at.info)
    at.selectbox(key="territoire_choisi").select("morlaix").run()
    assert [h.value for h in at.header] == ["Morlaix Communauté"]
    assert at.multiselect(key="filtre_territoire").value == ["morlaix"]


@pytest.mark.skipif(not GEO.is_dir(), reason="fonds de carte partagés absents")
def test_carte_avec_fonds(application: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOND_GEO_DIR", str(GEO))
    at = lancer()
    assert not any("Carte indisponible" in i.value for i in at.info)
    assert at.selectbox(key="carte_indicateur").value == "aides_engagees_eur"
    at = lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    assert not any("Carte indisponible" in i.value or "absents" in i.value for i in at.info)


def test_erreur_inattendue_message_generique_sans_trace(
    application: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from rebond_core import projection

    def en_panne(*args: object) -> None:
        raise ZeroDivisionError("détail interne")

    monkeypatch.setattr(projection, "projection_epuisement", en_panne)
    at = session().run()
    assert not at.exception
    erreurs = [e.value for e in at.error]
    assert len(erreurs) == 1 and "Une erreur inattendue" in erreurs[0] and "détail interne" not in erreurs[0]
    assert any("Sources : AMI" in c.value for c in at.caption)  # footer drawn after the message
    assert "ZeroDivisionError: détail interne" in caplog.text  # the traceback is in the log


def test_base_indisponible_message_francais(chemin_base_vide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    monkeypatch.setenv("REBOND_DB", str(chemin_base_vide.parent / "absente" / "base.duckdb"))
    st.cache_resource.clear()
    try:
        at = session().run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert [e.value.startswith("Base introuvable") for e in at.error] == [True]


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
        at = lancer(page=page)  # no exception, no unexpected error
    finally:
        st.cache_resource.clear()
    assert not any("Données de démonstration" in w.value for w in at.warning)
    if page in (None, "pages/territoire.py"):
        assert any("aucun territoire lauréat" in i.value for i in at.info)
