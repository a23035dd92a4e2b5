"""The pages of the closed call with AppTest on the demonstration base: the balance band and a projection
that goes no further than the data supports; a territory's published figures beside equal detected totals;
the projects to follow; provenance marks; and the demonstration mark in the banner and in every download,
also when the demonstration workbook is imported into an empty base."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import streamlit

from rebond_core import exports
from rebond_core.config import CLASSEUR_DEMO, LAUREATS_PUBLICS
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer, sans_ramasse_miettes
from tests.outils.appli import lancer, tableau
from tests.outils.pdf import porte_la_marque_demo

# What data/laureats-publics.csv says, counted by hand: 6 relèves confirmed ('oui'), 7 not.
RELEVES = "Relèves : 6 publiées, 7 hypothèses."
E, U = "\u202f", "\u00a0"


def _publies() -> dict[str, dict[str, str]]:
    with LAUREATS_PUBLICS.open(encoding="utf-8") as flux:
        return {ligne["code_territoire"]: ligne for ligne in csv.DictReader(flux)}


@pytest.fixture
def telechargements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bytes]]]:
    """Every download button a run draws, as (file name, content generated as a click would)."""
    trouves: list[tuple[str, bytes]] = []
    original = streamlit.download_button

    def bouton(libelle: str, data: Any, file_name: str | None = None, **autres: Any) -> Any:
        contenu = data() if callable(data) else data
        trouves.append((str(file_name), contenu if isinstance(contenu, bytes) else str(contenu).encode()))
        return original(libelle, data=data, file_name=file_name, **autres)

    monkeypatch.setattr(streamlit, "download_button", bouton)
    yield trouves


def _marque_de_demo(nom: str, contenu: bytes) -> bool:
    if nom.endswith(".pdf"):
        return porte_la_marque_demo(contenu)
    if nom.endswith(".csv"):
        return contenu.decode("utf-8-sig").split("\r\n", 1)[0] == exports.MARQUE_DEMO
    classeur = openpyxl.load_workbook(io.BytesIO(contenu))
    if classeur.sheetnames[0] != "À lire" or len(classeur.sheetnames) != 2:
        return False
    donnees = classeur[classeur.sheetnames[1]]
    return classeur["À lire"]["A1"].value == exports.MARQUE_DEMO and donnees["A1"].value == exports.MARQUE_DEMO


def test_vue_d_ensemble_bilan_de_l_appel_clos(application: Path) -> None:
    at = lancer()
    assert any(RELEVES in w.value and w.value.startswith("**Données de démonstration.**") for w in at.warning)
    assert any(s.value == "Bilan de l'appel, clos le 01/10/2026" for s in at.subheader)
    textes = " ".join(m.value for m in at.markdown)
    aujourd_hui = date.today().strftime("%d/%m/%Y")
    assert f"Chiffres au **{aujourd_hui}**" in textes
    assert "**13 territoires lauréats** dans la base" in textes and "19 lauréats fin août 2023" in textes
    # The pace is measured up to today over the stated window, and no date beyond 2030 is projected.
    constat = next(m.value for m in at.markdown if m.value.startswith(("Rythme des décisions", "Pas de rythme")))
    assert f"au {aujourd_hui}" in constat
    for jour, mois, annee in re.findall(r"(\d{2})/(\d{2})/(\d{4})", constat):
        assert date(int(annee), int(mois), int(jour)) <= date(2030, 12, 31)
    assert "seraient épuisés le" not in constat
    # The pipeline beside what remains, and what needs attention.
    assert "Demandes en cours" in textes and "qui restent de l'enveloppe nationale" in textes
    assert any(m.value.startswith("**À suivre** :") for m in at.markdown)


def test_vue_d_ensemble_provenance_des_territoires(application: Path) -> None:
    at = lancer()
    territoires = tableau(at, "Territoire", "Relève", "Valeurs non publiées").set_index("Territoire")
    publies = _publies()
    # A relève not confirmed by the sources is said to be a hypothesis, a confirmed one is not.
    assert "relève : hypothèse" in territoires.loc[publies["cambrai"]["nom"], "Valeurs non publiées"]
    assert "relève" not in territoires.loc[publies["douaisis"]["nom"], "Valeurs non publiées"]
    assert "filières : hypothèse" in territoires.loc[publies["douaisis"]["nom"], "Valeurs non publiées"]
    # Lorient's envelope is not published: made up for the demonstration.
    assert "enveloppe d'aides : fictive" in territoires.loc[publies["lorient"]["nom"], "Valeurs non publiées"]
    assert any("Provenance :" in c.value and ":orange-badge[hypothèse]" in c.value for c in at.caption)


@pytest.mark.parametrize("code", ["cambrai", "douaisis"])
def test_territoire_chiffres_publies_a_cote_des_totaux_detectes(application: Path, code: str) -> None:
    publie = _publies()[code]
    at = lancer({"territoire": code}, page="pages/territoire.py")
    comparaison = tableau(at, "Chiffre", "Publié", "Base (détecté)").set_index("Chiffre")
    # The published figures of laureats-publics.csv, written as a person reads them, and equal in the base.
    attendus = {
        "Projets identifiés": publie["projets_identifies"],
        "Emplois potentiels": publie["emplois_potentiels"],
        "Industriels rencontrés": publie["industriels_rencontres"],
        "Investissement identifié": f"{int(publie['investissement_identifie_eur']) // 1_000_000},0{U}M€",
    }
    for chiffre, texte in attendus.items():
        assert comparaison.loc[chiffre, "Publié"] == texte, chiffre
        assert comparaison.loc[chiffre, "Base (détecté)"] == texte, chiffre
        assert comparaison.loc[chiffre, "Écart"] == "=", chiffre
    if not publie["aides_accordees_eur"]:
        assert comparaison.loc["Aides accordées", "Publié"] == "non publié"
    assert any(m.value.startswith("Sources : [") for m in at.markdown)
    identite = next(m.value for m in at.markdown if m.value.startswith("**Région**"))
    releve = ":orange-badge[hypothèse]" if publie["releve_certain"] != "oui" else ":blue-badge[publié]"
    assert re.search(r"\*\*Relève\*\* : [^\n]*" + re.escape(releve), identite)


def test_territoire_comparaison_sur_tout_le_territoire_malgre_les_filtres(application: Path) -> None:
    # With a filière filter, the tiles follow it but the published comparison is the whole territory.
    at = lancer({"territoire": "cambrai", "filiere": "hors_transport"}, page="pages/territoire.py")
    comparaison = tableau(at, "Chiffre", "Publié", "Base (détecté)").set_index("Chiffre")
    assert comparaison.loc["Projets identifiés", "Base (détecté)"] == "88"
    assert any("quels que soient les autres filtres" in c.value for c in at.caption)


def test_territoire_projets_qui_attendent_trop(application: Path) -> None:
    base = Base.ouvrir(application)
    try:  # Cambrai's prioritised or filed projects whose status is more than 365 days old (plain SQL)
        attendus = base.scalaire(
            "select count(*) from projets where v_to is null and code_territoire = 'cambrai' "
            "and statut in ('priorise', 'depose') and date_statut < current_date - 365"
        )
    finally:
        base.fermer()
    at = lancer({"territoire": "cambrai"}, page="pages/territoire.py")
    assert any(m.value.startswith(f"**{attendus}** projet(s) priorisé(s) ou déposé(s)") for m in at.markdown)
    if attendus:
        alertes = tableau(at, "Attente", "Action attendue", "Alerte")
        assert (alertes["Action attendue"] == "Décision attendue").sum() == attendus
        jours = alertes["Jours"].tolist()
        assert jours == sorted(jours, reverse=True) and min(jours) > 365


def test_projets_a_suivre_filtres_et_plus_anciens_d_abord(application: Path) -> None:
    base = Base.ouvrir(application)
    try:
        decisions = base.scalaire(
            "select count(*) from projets where v_to is null and statut in ('priorise', 'depose')"
        )
    finally:
        base.fermer()
    at = lancer(page="pages/a_suivre.py")
    tuiles = {m.label: m.value for m in at.metric}
    assert tuiles["Décisions attendues"] == f"{decisions:,}".replace(",", E)
    tous = tableau(at, "Attente", "Action attendue", "Projet")
    connus = tous["Jours"].dropna().tolist()
    assert connus == sorted(connus, reverse=True)  # oldest first
    at.multiselect(key="a_suivre_actions").select("versement").run()
    versements = tableau(at, "Attente", "Action attendue", "Projet")
    assert set(versements["Action attendue"]) == {"Versement attendu"}
    assert len(versements) == int(tuiles["Versements attendus"].replace(E, ""))
    at.toggle(key="a_suivre_alertes").set_value(True).run()
    alertes = tableau(at, "Attente", "Action attendue", "Projet")
    assert len(alertes) == int(tuiles["dont sans versement"].replace(E, ""))
    assert all(alertes["Alerte"].str.startswith("aucun versement"))


def test_chaque_telechargement_porte_la_marque_de_demonstration(
    application: Path, telechargements: list[tuple[str, bytes]]
) -> None:
    lancer()
    lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    lancer(page="pages/a_suivre.py")
    noms = {nom for nom, _ in telechargements}
    assert {"territoires.csv", "publie-et-detecte-douaisis.xlsx", "versements-douaisis.csv"} <= noms
    assert {"projets-a-suivre.csv", "projets-a-suivre.xlsx", "comparaison-douaisis.csv"} <= noms
    assert [nom for nom, contenu in telechargements if not _marque_de_demo(nom, contenu)] == []


def _importer_la_demo(chemin: Path) -> None:
    base = Base.ouvrir(chemin)
    try:
        with sans_ramasse_miettes():
            assert importer(base, [CLASSEUR_DEMO], "Équipe").rapport.valide
    finally:
        base.fermer()


def test_classeur_de_demo_importe_dans_une_base_vide(
    chemin_base_vide: Path, monkeypatch: pytest.MonkeyPatch, telechargements: list[tuple[str, bytes]]
) -> None:
    _importer_la_demo(chemin_base_vide)
    base = Base.ouvrir(chemin_base_vide)
    try:
        assert base.meta("donnees_demo") == "non"  # the base was created empty: only the SIRENs tell
    finally:
        base.fermer()
    monkeypatch.setenv("REBOND_DB", str(chemin_base_vide))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    try:
        for page in (None, "pages/a_suivre.py", "pages/sites.py", "pages/historique.py"):
            at = lancer(page=page)
            assert any(RELEVES in w.value for w in at.warning), page
    finally:
        streamlit.cache_resource.clear()
    assert telechargements and all(_marque_de_demo(nom, contenu) for nom, contenu in telechargements)


def test_base_reelle_sans_marque(
    chemin_base_minimale: Path, monkeypatch: pytest.MonkeyPatch, telechargements: list[tuple[str, bytes]]
) -> None:
    monkeypatch.setenv("REBOND_DB", str(chemin_base_minimale))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    try:
        at = lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    finally:
        streamlit.cache_resource.clear()
    assert not any("démonstration" in w.value.lower() for w in at.warning)
    assert not any("badge" in m.value for m in at.markdown)  # imported values carry no provenance mark
    assert telechargements and not any(_marque_de_demo(nom, contenu) for nom, contenu in telechargements)
