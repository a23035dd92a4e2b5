"""The « Accès » page with AppTest on a copy of the demonstration base, for an administrator: the list
(expired habilitations marked) and the journal (filtered, paged) are shown; a file with errors shows its
report and changes nothing; a valid file is previewed, then replaces the list on confirmation (journal,
snapshot); an authenticated administrator cannot upload a list that would take their own right away; a
data-staff user does not have the page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rebond_core.acces import connexions, habilitations, journal
from rebond_core.acces.habilitations import Habilitation
from rebond_core.db import Base
from tests.outils.appli import lancer, sans_erreur_inattendue, session, tableau

DONNEES = Path(__file__).resolve().parent / "data" / "habilitations"
UPLOADER = "habilitations_fichier_0"  # the uploader of a session's first replacement
HIER = date.today() - timedelta(days=1)
LISTE_INITIALE = [
    Habilitation("admin.rebond@exemple.gouv.fr", "admin"),
    Habilitation("ancien.membre@exemple.gouv.fr", "copil", (), ("douaisis",), HIER),
    Habilitation("jean.dupont@exemple.gouv.fr", "cabinet"),
]
AUTH = {
    "redirect_uri": "http://127.0.0.1:8766/oauth2callback",
    "cookie_secret": "secret-de-test-pour-les-cookies-32-caracteres",
    "client_id": "rebond-test",
    "client_secret": "secret-client",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def acces_page(application: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo base with three habilitations (one expired yesterday) and one journal entry."""
    monkeypatch.delenv("REBOND_JOURNAL", raising=False)
    monkeypatch.delenv("REBOND_INSTANTANES", raising=False)
    base = Base.ouvrir(application)
    try:
        habilitations.remplacer(base, LISTE_INITIALE, "préparation du test")
    finally:
        base.fermer()
    journal.consigner("jean.dupont@exemple.gouv.fr", "telechargement", "territoires (CSV)")
    return application


def _liste(chemin: Path) -> list[Habilitation]:
    base = Base.ouvrir(chemin)
    try:
        return habilitations.lister(base)
    finally:
        base.fermer()


def _deposer(at: AppTest, fichier: Path) -> AppTest:
    at.file_uploader(key=UPLOADER).set_value((fichier.name, fichier.read_bytes(), "text/csv")).run()
    sans_erreur_inattendue(at)
    return at


def _authentifie(email: str, sub: str) -> AppTest:
    at = session()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "sub": sub}
    at.run()
    sans_erreur_inattendue(at)
    return at


def test_liste_et_journal_pour_l_administrateur_local(acces_page: Path) -> None:
    at = lancer(page="pages/acces.py")
    assert [t.value for t in at.title] == ["Accès"]
    liste = tableau(at, "Adresse électronique", "Rôle", "État")
    assert list(liste["Adresse électronique"]) == [h.email for h in LISTE_INITIALE]
    assert list(liste["État"]) == ["valide", "EXPIRÉE", "valide"]
    assert list(liste["Territoires"]) == ["", "douaisis", ""]
    assert any("3 habilitation(s), dont 1 expirée(s)" in c.value for c in at.caption)
    entrees = tableau(at, "Date", "Action", "Objet")
    assert list(entrees["Objet"]) == ["territoires (CSV)"]
    assert list(entrees["Action"]) == ["Téléchargement"]


def test_fichier_errone_rapport_et_rien_ne_change(acces_page: Path) -> None:
    at = _deposer(lancer(page="pages/acces.py"), DONNEES / "erreurs.csv")
    assert [m.value for m in at.metric][:2] == ["12", "0"]  # 12 errors, no warning
    assert any("Liste refusée" in e.value for e in at.error)
    rapport = tableau(at, "Niveau", "Code")
    assert list(rapport[["Ligne", "Colonne", "Code"]].itertuples(index=False, name=None))[:3] == [
        (2, "role", "role-inconnu"),
        (3, "territoires", "perimetre-manquant"),
        (4, "regions", "perimetre-interdit"),
    ]
    assert not [b for b in at.button if b.label == "Remplacer la liste"]
    assert _liste(acces_page) == LISTE_INITIALE
    assert [e.action for e in journal.lire()] == ["telechargement"]  # nothing replaced, nothing recorded


def test_fichier_valide_apercu_puis_remplacement(acces_page: Path) -> None:
    at = _deposer(lancer(page="pages/acces.py"), DONNEES / "valide_utf8_bom_virgule.csv")
    assert not at.error
    # By hand: camille and paul added, ancien.membre and jean.dupont removed, the admin unchanged.
    attendu = "3 habilitation(s) : 2 ajoutée(s), 2 retirée(s), 0 modifiée(s), 1 inchangée(s)"
    assert any(attendu in m.value.replace("\\", "") for m in at.markdown)  # Markdown-escaped on the page
    assert _liste(acces_page) == LISTE_INITIALE  # nothing before the confirmation
    at.button(key="habilitations_remplacer").click().run()
    sans_erreur_inattendue(at)
    assert any("Liste des habilitations remplacée" in s.value for s in at.success)
    assert [h.email for h in _liste(acces_page)] == [
        "admin.rebond@exemple.gouv.fr",
        "camille.martin@exemple.gouv.fr",
        "paul.durand@exemple.gouv.fr",
    ]
    derniere = journal.lire()[-1]
    assert (derniere.email, derniere.action) == ("operateur.local", "habilitations")
    assert "valide_utf8_bom_virgule.csv" in derniere.objet
    courant = acces_page.with_name(acces_page.stem + ".instantanes") / "CURRENT"
    assert courant.exists()  # published for the readers
    assert at.file_uploader(key="habilitations_fichier_1").value is None  # a new, empty uploader


def test_journal_filtre_et_pagine(acces_page: Path) -> None:
    for i in range(60):  # after the fixture's download: 61 entries, the newest first on the page
        action = ("connexion", "import", "refus")[i % 3]
        journal.consigner(f"personne{i % 2}@exemple.gouv.fr", action, f"entrée {i}")
    at = lancer(page="pages/acces.py")
    entrees = tableau(at, "Date", "Action", "Objet")
    assert len(entrees) == 50 and entrees["Objet"].iloc[0] == "entrée 59"
    at.number_input(key="journal_page").set_value(2).run()
    sans_erreur_inattendue(at)
    entrees = tableau(at, "Date", "Action", "Objet")
    assert list(entrees["Objet"])[-1] == "territoires (CSV)" and len(entrees) == 11
    at.multiselect(key="journal_actions").set_value(["import"]).run()
    at.text_input(key="journal_email").input("PERSONNE1").run()
    sans_erreur_inattendue(at)
    entrees = tableau(at, "Date", "Action", "Objet")
    # By hand: import when i % 3 == 1, personne1 when i is odd: i = 1, 7, 13, … 55 (i % 6 == 1), newest first.
    assert list(entrees["Objet"]) == [f"entrée {i}" for i in range(55, 0, -6)]


def test_un_administrateur_ne_peut_pas_se_retirer_le_droit(acces_page: Path) -> None:
    at = _authentifie("admin.rebond@exemple.gouv.fr", "sub-admin")
    at.switch_page("pages/acces.py").run()
    sans_erreur_inattendue(at)
    assert [t.value for t in at.title] == ["Accès"]
    # Authenticated: the e-mail of the ID token, bound to its subject for later sessions.
    assert connexions.email_de("sub-admin", journal.dossier_journal(acces_page)) == "admin.rebond@exemple.gouv.fr"
    sans_moi = acces_page.parent / "sans_moi.csv"
    sans_moi.write_text("email;role\njean.dupont@exemple.gouv.fr;admin\n", encoding="utf-8")
    _deposer(at, sans_moi)
    assert any("vous retirerait le droit d'administrer" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Remplacer la liste"]
    assert _liste(acces_page) == LISTE_INITIALE


def test_equipe_donnees_n_a_pas_la_page(acces_page: Path) -> None:
    """A data-staff user (role donnees) is not an administrator: neither the list nor the journal."""
    base = Base.ouvrir(acces_page)
    try:
        habilitations.remplacer(base, [*LISTE_INITIALE, Habilitation("anne@exemple.gouv.fr", "donnees")], "t")
    finally:
        base.fermer()
    at = _authentifie("anne@exemple.gouv.fr", "sub-anne")
    assert [t.value for t in at.title] == ["Vue d'ensemble du programme"]  # logged in, with a valid habilitation
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in this user's navigation
        at.switch_page("pages/acces.py")
