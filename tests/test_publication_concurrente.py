"""Publish exactly what was previewed (issue 14): two sessions of the dashboard on one base. A previews an
import; B restores an earlier version in between; A's Publier is refused with a French message and a fresh
preview, and publishing after that leaves B's restore in place."""

from __future__ import annotations

from pathlib import Path

from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from tests.outils.appli import lancer, sans_erreur_inattendue

ENTETE = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\r\n"
# A's file: one project of the demonstration data abandoned.
LIGNE_A = "PRJ-douaisis-001;douaisis;Ligne modernisée;Firme test;automobile;endogene;abandonne;1 000 000;0\r\n"
# What someone published before (version 2), and B's restore of version 1 undoes.
LIGNE_AUTRE = "PRJ-douaisis-002;douaisis;Autre intitulé;Autre firme;naval;exogene;identifie;5 000;1\r\n"


def _etat(chemin: Path) -> tuple[int, str, str]:
    """Current version, the intitulé of PRJ-douaisis-002 and the statut of PRJ-douaisis-001."""
    base = Base.ouvrir(chemin)
    try:
        requete = "select intitule, statut from projets where id_projet = $i and v_to is null"
        autre = base.lignes(requete, {"i": "PRJ-douaisis-002"})[0][0]
        statut = base.lignes(requete, {"i": "PRJ-douaisis-001"})[0][1]
        return base.version_courante(), autre, statut
    finally:
        base.fermer()


def test_une_restauration_entre_l_apercu_et_la_publication(application: Path) -> None:
    base = Base.ouvrir(application)
    try:
        intitule_v1 = base.lignes("select intitule from projets_a(1) where id_projet = 'PRJ-douaisis-002'")[0][0]
        statut_v1 = base.lignes("select statut from projets_a(1) where id_projet = 'PRJ-douaisis-001'")[0][0]
        assert importer(base, [("projets_autre.csv", (ENTETE + LIGNE_AUTRE).encode())], "Autre").version == 2
    finally:
        base.fermer()
    assert intitule_v1 != "Autre intitulé" and statut_v1 != "abandonne"

    # Session A previews its file on version 2.
    session_a = lancer(page="pages/importer.py")
    session_a.file_uploader(key="import_fichiers_0").set_value(
        ("projets_a.csv", (ENTETE + LIGNE_A).encode(), "text/csv")
    ).run()
    sans_erreur_inattendue(session_a)
    assert any("projets : 0 ligne(s) ajoutée(s), 1 modifiée(s)" in e.label for e in session_a.expander)
    session_a.text_input(key="import_auteur").input("Alice").run()

    # Session B restores version 1 (version 3).
    session_b = lancer(page="pages/historique.py")
    session_b.selectbox(key="version_a_restaurer").set_value(1)

    def ouvrir() -> None:  # AppTest reruns the whole script, not the dialog alone: open it at each run
        next(b for b in session_b.button if b.label == "Restaurer la version 1…").click()

    ouvrir()
    session_b.run()
    session_b.text_input(key="restauration_auteur").input("Bruno")
    ouvrir()
    session_b.run()
    session_b.button(key="restauration_confirmer").click()
    ouvrir()
    session_b.run()
    sans_erreur_inattendue(session_b)
    assert _etat(application) == (3, intitule_v1, statut_v1)

    # A clicks Publier: refused, nothing written over B's restore.
    session_a.button(key="import_publier").click().run()
    sans_erreur_inattendue(session_a)
    erreurs = [e.value for e in session_a.error]  # Markdown-escaped: compare words, not punctuation
    assert any("La base a changé depuis la vérification" in e and "version 3 au lieu de 2" in e for e in erreurs)
    assert _etat(application) == (3, intitule_v1, statut_v1)

    # The next run previews the file again, on version 3; publishing it changes only what it shows.
    session_a.run()
    sans_erreur_inattendue(session_a)
    assert not session_a.error
    assert any("projets : 0 ligne(s) ajoutée(s), 1 modifiée(s)" in e.label for e in session_a.expander)
    session_a.text_input(key="import_auteur").input("Alice").run()
    session_a.button(key="import_publier").click().run()
    sans_erreur_inattendue(session_a)
    assert _etat(application) == (4, intitule_v1, "abandonne")
