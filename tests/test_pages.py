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

# The demonstration data's figures, written by hand: the raw value the core computes (checked against plain
# SQL sums over the base's tables, written down here), then the text a person must read on the tile
# (computed by hand from that value, not by the UI's formatter). Payments: all of them are dated before
# the day the tests run (the last on 13/11/2026).
U = "\u00a0"
DEMO = {
    "Territoires lauréats": ("territoires.nombre", 13, "13"),
    "Projets détectés": ("projets.total", 1249, f"1{E}249"),
    "Investissement détecté": ("investissement_eur.detecte", Decimal("2524994000"), f"2{E}525,0{M}"),
    "Investissement soutenu": ("investissement_eur.soutenu", Decimal("298887000"), f"298,9{M}"),
    "Emplois détectés": ("emplois.detectes", 7105, f"7{E}105"),
    "Emplois soutenus": ("emplois.soutenus", 850, "850"),
    "Aides engagées": ("enveloppe_aides.engage_eur", Decimal("21828000"), f"21,8{M}"),
    # 298 887 000 / 21 828 000 = 13,69…: euros invested per euro of aid.
    "Effet de levier": ("effet_levier", Decimal("298887000") / Decimal("21828000"), f"13,7{U}€/€"),
    # The balance band of the closed call.
    "Aides versées": ("versements.verse_eur", Decimal("13516900"), f"13,5{M}"),
    "Part versée des aides": ("versements.taux", Decimal("13516900") / Decimal("21828000"), f"61,9{U}%"),  # 0,619…
    "Emplois créés soutenus": ("emplois.crees_soutenus", 371, "371"),
    "Réalisation des emplois": ("emplois.taux_realisation", Decimal(371) / Decimal(850), f"43,6{U}%"),  # 0,436…
}
DOUAISIS = {
    "Projets détectés": ("projets.total", 100, "100"),
    # The published mission results: 186 M€, 556 jobs (laureats-publics.csv).
    "Investissement détecté": ("investissement_eur.detecte", Decimal("186000000"), f"186,0{M}"),
    "Emplois détectés": ("emplois.detectes", 556, "556"),
    "Aides engagées": ("enveloppe_aides.engage_eur", Decimal("1117000"), f"1,12{M}"),  # below 10 M€: 2 decimals
    "Aides versées": ("versements.verse_eur", Decimal("665500"), f"0,67{M}"),
    "Part versée des aides": ("versements.taux", Decimal("665500") / Decimal("1117000"), f"59,6{U}%"),  # 0,5957…
    "Avances remboursées": ("versements.rembourse_eur", Decimal("21700"), f"21{E}700{U}€"),  # below 100 000 €
    "Réalisation des emplois": ("emplois.taux_realisation", Decimal(34) / Decimal(82), f"41,5{U}%"),  # 0,4146…
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
    "page",
    [None, "pages/territoire.py", "pages/a_suivre.py", "pages/sites.py", "pages/importer.py", "pages/historique.py"],
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
