"""The import and history pages with AppTest on a copy of the demonstration base: a defective file
is refused and changes nothing; a good one is previewed cell by cell, then published as a version."""

from __future__ import annotations

from pathlib import Path

import pytest

from rebond_core.db import Base
from tests.outils.appli import lancer

# P-douaisis-001 is "identifie" in no known state: take a real project of the demo and change it.
ENTETE = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\r\n"


def _projet(base: Base, id_projet: str) -> tuple[object, ...]:
    return base.lignes(
        "select statut, investissement_eur, emplois_prevus from projets where id_projet = $i and v_to is null",
        {"i": id_projet},
    )[0]


def test_fichier_defectueux_refuse_sans_rien_changer(application: Path) -> None:
    at = lancer(page="pages/importer.py")
    contenu = (ENTETE + "PRJ-douaisis-001;douaisis;Ligne;Firme;automobile;endogene;identifie;12 k€;3\r\n").encode()
    at.file_uploader[0].set_value(("projets_copil.csv", contenu, "text/csv")).run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["1", "0"]  # 1 error, 0 warning
    assert any("Import impossible" in e.value for e in at.error)
    assert any("montant" in e.value.lower() for e in at.error)  # what to fix first names the error
    rapport = at.dataframe[0].value
    assert list(rapport[["Feuille", "Ligne", "Colonne", "Code"]].itertuples(index=False, name=None)) == [
        ("projets", 2, "investissement_eur", "montant-invalide")
    ]
    assert not [b for b in at.button if b.label == "Publier"]
    base = Base.ouvrir(application)
    try:
        assert base.version_courante() == 1
    finally:
        base.fermer()


def test_apercu_puis_publication(application: Path) -> None:
    base = Base.ouvrir(application)
    try:
        avant = _projet(base, "PRJ-douaisis-001")
    finally:
        base.fermer()
    at = lancer(page="pages/importer.py")
    ligne = "PRJ-douaisis-001;douaisis;Ligne modernisée;Firme test;automobile;endogene;abandonne;1 000 000;0\r\n"
    at.file_uploader[0].set_value(("projets_copil.csv", (ENTETE + ligne).encode("cp1252"), "text/csv")).run()
    assert not at.exception and not at.error
    assert any("projets : 0 ligne(s) ajoutée(s), 1 modifiée(s)" in e.label for e in at.expander)
    publier = next(b for b in at.button if b.label == "Publier")
    assert publier.disabled  # no author yet
    at.text_input(key="import_auteur").input("Camille Dupont").run()
    next(b for b in at.button if b.label == "Publier").click().run()
    assert not at.exception
    assert any("Version 2 publiée par Camille Dupont" in s.value for s in at.success)
    base = Base.ouvrir(application)
    try:
        assert base.version_courante() == 2
        assert _projet(base, "PRJ-douaisis-001") == ("abandonne", 1_000_000, 0)
        assert avant != ("abandonne", 1_000_000, 0)
        assert base.lignes("select auteur from versions where numero = 2") == [("Camille Dupont",)]
    finally:
        base.fermer()


def test_import_desactive(application: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOND_IMPORT", "desactive")
    at = lancer(page="pages/importer.py")
    assert not at.file_uploader
    assert any("désactivé" in i.value for i in at.info)


def test_historique_compare_les_versions(application: Path) -> None:
    at = lancer(page="pages/historique.py")
    comparaison = at.dataframe[1].value
    ligne = comparaison[comparaison["Indicateur"] == "Projets détectés"].iloc[0]
    assert (ligne["Avant"], ligne["Après"], ligne["Différence"]) == ("0", "1\u202f254", "+1\u202f254")
    assert at.dataframe[0].value["Auteur"].tolist() == ["Données de démonstration"]
