"""The import and history pages with AppTest on a copy of the demonstration base: a defective file
is refused and changes nothing; a good one is previewed cell by cell, then published as a version; a
publish after the base moved is refused; a restore is confirmed, and its errors are shown in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rebond_core.db import Base
from rebond_core.erreurs import BaseModifiee
from rebond_core.importation.pipeline import importer
from tests.outils.appli import lancer, sans_erreur_inattendue, tableau

# P-douaisis-001 is "identifie" in no known state: take a real project of the demo and change it.
ENTETE = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\r\n"
LIGNE = "PRJ-douaisis-001;douaisis;Ligne modernisée;Firme test;automobile;endogene;abandonne;1 000 000;0\r\n"
UPLOADER = "import_fichiers_0"  # the uploader of a session's first import


def _projet(base: Base, id_projet: str) -> tuple[object, ...]:
    return base.lignes(
        "select statut, investissement_eur, emplois_prevus from projets where id_projet = $i and v_to is null",
        {"i": id_projet},
    )[0]


def _version(chemin: Path) -> int:
    base = Base.ouvrir(chemin)
    try:
        return base.version_courante()
    finally:
        base.fermer()


def _deposer(contenu: bytes) -> AppTest:
    at = lancer(page="pages/importer.py")
    at.file_uploader(key=UPLOADER).set_value(("projets_copil.csv", contenu, "text/csv")).run()
    sans_erreur_inattendue(at)
    return at


def test_fichier_defectueux_refuse_sans_rien_changer(application: Path) -> None:
    contenu = (ENTETE + "PRJ-douaisis-001;douaisis;Ligne;Firme;automobile;endogene;identifie;12 k€;3\r\n").encode()
    at = _deposer(contenu)
    assert [m.value for m in at.metric][:2] == ["1", "0"]  # 1 error, 0 warning
    assert any("Import impossible" in e.value for e in at.error)
    assert any("montant" in e.value.lower() for e in at.error)  # what to fix first names the error
    rapport = tableau(at, "Niveau", "Code")
    assert list(rapport[["Feuille", "Ligne", "Colonne", "Code"]].itertuples(index=False, name=None)) == [
        ("projets", 2, "investissement_eur", "montant-invalide")
    ]
    assert not [b for b in at.button if b.label == "Publier"]
    assert _version(application) == 1


def test_fichier_d_un_type_refuse_message_francais(application: Path) -> None:
    at = lancer(page="pages/importer.py")
    at.file_uploader(key=UPLOADER).set_value(("releve.xlsx", b"", "application/octet-stream")).run()
    sans_erreur_inattendue(at)
    assert len(at.error) == 1 and not at.metric  # refused before any validation
    assert _version(application) == 1


def test_apercu_puis_publication(application: Path) -> None:
    base = Base.ouvrir(application)
    try:
        avant = _projet(base, "PRJ-douaisis-001")
    finally:
        base.fermer()
    at = _deposer((ENTETE + LIGNE).encode("cp1252"))
    assert not at.error
    assert any("projets : 0 ligne(s) ajoutée(s), 1 modifiée(s)" in e.label for e in at.expander)
    modifiees = tableau(at, "Clé", "Avant", "Après").set_index("Colonne")
    assert avant[0] == "identifie"  # the project of the demonstration data
    assert tuple(modifiees.loc["statut", ["Avant", "Après"]]) == ("Identifié", "Abandonné")  # labels, not codes
    assert at.button(key="import_publier").disabled  # no author yet
    at.text_input(key="import_auteur").input("Camille Dupont").run()
    at.button(key="import_publier").click().run()
    sans_erreur_inattendue(at)
    assert any("Version 2 publiée par Camille Dupont" in s.value for s in at.success)
    base = Base.ouvrir(application)
    try:
        assert base.version_courante() == 2
        assert _projet(base, "PRJ-douaisis-001") == ("abandonne", 1_000_000, 0)
        assert avant != ("abandonne", 1_000_000, 0)
        assert base.lignes("select auteur from versions where numero = 2") == [("Camille Dupont",)]
    finally:
        base.fermer()


def test_publication_refusee_si_la_base_a_change_depuis_l_apercu(application: Path) -> None:
    at = _deposer((ENTETE + LIGNE).encode("cp1252"))
    at.text_input(key="import_auteur").input("Camille Dupont").run()
    base = Base.ouvrir(application)  # meanwhile, someone else publishes
    try:
        autre = ENTETE + "PRJ-douaisis-002;douaisis;Autre;Firme;naval;exogene;identifie;5 000;1\r\n"
        assert importer(base, [("projets_copil.csv", autre.encode())], "Autre personne").version == 2
    finally:
        base.fermer()
    at.button(key="import_publier").click().run()
    sans_erreur_inattendue(at)
    assert any("La base a changé depuis la vérification" in e.value for e in at.error)
    assert _version(application) == 2  # nothing written over the other publish
    at.run()  # the next run checks the files again against version 2
    assert not at.error and at.button(key="import_publier")


def test_import_desactive(application: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOND_IMPORT", "desactive")
    at = lancer(page="pages/importer.py")
    assert not at.file_uploader
    assert any("désactivé" in i.value for i in at.info)


def test_historique_compare_les_versions(application: Path) -> None:
    at = lancer(page="pages/historique.py")
    comparaison = tableau(at, "Indicateur", "Différence")
    ligne = comparaison[comparaison["Indicateur"] == "Projets détectés"].iloc[0]
    # The demonstration's 1 249 projects, counted in the base's `projets` table.
    assert (ligne["Avant"], ligne["Après"], ligne["Différence"]) == ("0", "1\u202f249", "+1\u202f249")
    assert tableau(at, "Version", "Auteur")["Auteur"].tolist() == ["Données de démonstration"]


def _restaurer_la_version_1(application: Path) -> AppTest:
    base = Base.ouvrir(application)
    try:
        assert importer(base, [("projets_copil.csv", (ENTETE + LIGNE).encode("cp1252"))], "Copil").version == 2
    finally:
        base.fermer()
    at = lancer(page="pages/historique.py")
    assert at.selectbox(key="version_a_restaurer").value == 1

    def ouvrir() -> None:  # AppTest reruns the whole script, not the dialog alone: open it at each run
        next(b for b in at.button if b.label == "Restaurer la version 1…").click()

    ouvrir()
    at.run()
    assert at.button(key="restauration_confirmer").disabled  # no author yet
    at.text_input(key="restauration_auteur").input("Camille Dupont")
    ouvrir()
    at.run()
    at.button(key="restauration_confirmer").click()
    ouvrir()
    at.run()
    sans_erreur_inattendue(at)
    return at


def test_restauration_confirmee(application: Path) -> None:
    at = _restaurer_la_version_1(application)
    assert any("Version 1 restaurée : version 3 créée." in s.value for s in at.success)
    assert _version(application) == 3


def test_restauration_refusee_message_francais(application: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rebond_ui import restauration

    def base_deplacee(*args: object) -> None:
        raise BaseModifiee(2, 3)

    monkeypatch.setattr(restauration, "restaurer", base_deplacee)
    at = _restaurer_la_version_1(application)
    assert any("La base a changé depuis la vérification" in e.value for e in at.error)
    assert not at.success
    assert _version(application) == 2
