"""The "Arbitrage" page with AppTest on the demonstration base: the proposal shown is the core's for the
same scope and settings, every setting is read from and written back to the link, bad values give a
French notice, and a scope without candidates says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from rebond_core import arbitrage, formats
from rebond_core.db import Base
from rebond_core.perimetre import Filtres, verifier_filtres
from tests.outils.appli import lancer, tableau
from tests.outils.texte import lu

pytestmark = pytest.mark.pages  # AppTest runs (conftest marks test_pages*.py and test_page_sites.py)
PAGE = "pages/arbitrage.py"


def _attendu(chemin: Path, filtres: Filtres, **reglages: Any) -> arbitrage.Arbitrage:
    base = Base.ouvrir(chemin)  # the same configuration as the app's connection, in this process
    try:
        return arbitrage.arbitrer(base, verifier_filtres(base, filtres), arbitrage.reglages(**reglages))
    finally:
        base.fermer()


def _proposes(at: AppTest) -> list[str]:
    df = tableau(at, "Identifiant", "Proposé", "Motif")
    return sorted(df.loc[df["Proposé"], "Identifiant"])


def _tuiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_proposition_egale_au_coeur_et_lien_ecrit(application: Path) -> None:
    at = lancer({"region": "53"}, page=PAGE)
    attendu = _attendu(application, Filtres(region=("53",)))
    assert _proposes(at) == arbitrage.en_json(attendu)["retenus"]
    tuiles = _tuiles(at)
    assert tuiles["Candidats"] == formats.nombre(len(attendu.candidats))
    assert tuiles["Proposition : emplois"] == formats.nombre(attendu.valeur)
    assert tuiles["Premier arrivé : emplois"] == formats.nombre(attendu.valeur_premier_arrive)
    assert tuiles["Aide proposée"] == formats.indicateur(attendu.aide_eur, formats.EUROS)
    assert any("le cabinet et le comité de pilotage décident" in i.value for i in at.info)
    assert any(c.value.startswith("Optimum exact prouvé (solveur HiGHS") for c in at.caption)
    enveloppes = tableau(at, "Enveloppe", "Plafond (€)")
    assert sorted(enveloppes["Enveloppe"]) == [
        "Budget national",
        "Enveloppe de Lorient Agglomération",
        "Enveloppe de Morlaix Communauté",
    ]
    (courbe,) = [json.loads(json.loads(e.proto.json)["figure"]) for e in at.get("bidi_component")]
    assert courbe["layout"]["xaxis2"]["title"]["text"] == "budget national (M€)"  # the curve by budget
    assert {trace["type"] for trace in courbe["data"]} == {"scatter", "bar"}
    lien = at.query_params
    assert lien["objectif"] == "emplois" and lien["plafonds_territoire"] == "1"
    assert "budget" not in lien


def test_reglages_du_lien(application: Path) -> None:
    parametres = {
        "region": "53",
        "objectif": "investissement",
        "budget": "1000000",
        "plafonds_territoire": "0",
        "plafond_automobile": "400000",
    }
    at = lancer(parametres, page=PAGE)
    attendu = _attendu(
        application,
        Filtres(region=("53",)),
        objectif="investissement",
        budget_eur="1000000",
        plafonds_territoire=False,
        plafonds_filiere={"automobile": "400000"},
    )
    assert _proposes(at) == arbitrage.en_json(attendu)["retenus"]
    assert at.text_input(key="arbitrage_budget").value == "1000000"
    assert at.text_input(key="arbitrage_plafond_automobile").value == "400000"
    assert at.toggle(key="arbitrage_plafonds_territoire").value is False
    assert _tuiles(at)["Proposition : investissement"] == formats.indicateur(attendu.valeur, formats.EUROS)
    assert sorted(tableau(at, "Enveloppe", "Plafond (€)")["Enveloppe"]) == [
        "Budget national",
        "Plafond de la filière Automobile",
    ]
    assert {k: at.query_params[k] for k in parametres} == parametres


def test_un_reglage_change_la_proposition_et_le_lien(application: Path) -> None:
    at = lancer({"region": "53"}, page=PAGE)
    at.toggle(key="arbitrage_plafonds_territoire").set_value(False).run()
    at.text_input(key="arbitrage_budget").set_value("45,5 M€").run()
    attendu = _attendu(application, Filtres(region=("53",)), budget_eur="45500000", plafonds_territoire=False)
    assert _proposes(at) == arbitrage.en_json(attendu)["retenus"]
    assert at.query_params["plafonds_territoire"] == "0" and at.query_params["budget"] == "45500000"


def test_valeurs_invalides_signalees(application: Path) -> None:
    at = lancer(
        {
            "region": "53",
            "objectif": "profit",
            "budget": "-3",
            "plafonds_territoire": "peut-être",
            "plafond_naval": "x",
        },
        page=PAGE,
    )
    avis = " ".join(lu(w.value) for w in at.warning)  # the notices as a person reads them
    assert "objectif (objectif) : « profit » invalide" in avis and "« emplois » utilisé" in avis
    assert "budget national (budget) : « -3 » invalide" in avis
    assert "plafonds par territoire (plafonds_territoire) : « peut-être » invalide" in avis
    assert "plafond Naval (plafond_naval) : « x » invalide" in avis
    assert _proposes(at) == arbitrage.en_json(_attendu(application, Filtres(region=("53",))))["retenus"]
    at.text_input(key="arbitrage_budget").set_value("beaucoup").run()
    assert any("« beaucoup » n\\'est pas un montant en euros" in w.value for w in at.warning)  # escaped Markdown


def test_perimetre_sans_candidat(application: Path) -> None:
    at = lancer({"filiere": "ferroviaire"}, page=PAGE)
    assert any("rien à arbitrer" in i.value for i in at.info)
    assert not at.dataframe


def test_base_vide(chemin_base_vide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing imported yet: no candidate, the page says so (and the budget is still the whole 90 M€)."""
    import streamlit as st

    monkeypatch.setenv("REBOND_DB", str(chemin_base_vide))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = lancer(page=PAGE)
    finally:
        st.cache_resource.clear()
    assert any("rien à arbitrer" in i.value for i in at.info)
    assert any("Budget national : 90\u202f000\u202f000\u00a0€ (reste" in c.value for c in at.caption)
    assert at.text_input(key="arbitrage_budget").placeholder == "reste de l'enveloppe : 90\u202f000\u202f000\u00a0€"


def test_nom_piege_echappe(chemin_base_vide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-built base of test_arbitrage, Territory B renamed with Markdown in it: B's envelope is where
    100 000 € more matter most (10 jobs), and its name reaches the sentence as text, not as a link."""
    import streamlit as st

    from rebond_core.importation.pipeline import importer
    from tests.outils.classeurs import ecrire_classeur
    from tests.test_arbitrage import PROJETS_ARBITRAGE, TERRITOIRES_ARBITRAGE

    piege = "**B** [ici](https://exemple.fr) :red[x]"
    territoires = [TERRITOIRES_ARBITRAGE[0], TERRITOIRES_ARBITRAGE[1] | {"nom": piege}, TERRITOIRES_ARBITRAGE[2]]
    classeur = ecrire_classeur(tmp_path / "piege.xlsx", {"territoires": territoires, "projets": PROJETS_ARBITRAGE})
    base = Base.ouvrir(chemin_base_vide)
    try:
        assert importer(base, [classeur], "test").rapport.valide
    finally:
        base.fermer()
    monkeypatch.setenv("REBOND_DB", str(chemin_base_vide))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = lancer(page=PAGE)
    finally:
        st.cache_resource.clear()
    phrase = next(m.value for m in at.markdown if m.value.startswith("**Où un euro de plus compte le plus.**"))
    assert "l'enveloppe de \\*\\*B\\*\\* \\[ici\\]\\(https\\:\u2060\\/\\/exemple\\.fr\\) \\:red\\[x\\]" in phrase
    assert _tuiles(at)["Proposition : emplois"] == "9"
