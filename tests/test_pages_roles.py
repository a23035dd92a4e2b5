"""Who sees what, with AppTest in authenticated mode (`at.secrets["auth"]`, `at.user`): the login page,
the refusal page, the navigation of each role, a COPIL member's scope on every page and through links,
and the rights checked again when a write runs (a replayed click of a user who lost the right).
The real login through an OpenID Connect provider is tested in the browser (test_navigateur_connexion)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rebond_core.acces import habilitations, journal
from rebond_core.db import Base
from tests.outils import appli
from tests.outils.bases import requete

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "secret-de-test-pour-les-pages-0123456789",
    "client_id": "rebond-test",
    "client_secret": "rebond-test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",  # never called: e-mail in token
}
HABILITATIONS = """email;role;regions;territoires;expire_le
cabinet@exemple.gouv.fr;cabinet;;;
copil.cambrai@exemple.gouv.fr;copil;;cambrai;
donnees@exemple.gouv.fr;donnees;;;
admin@exemple.gouv.fr;admin;;;
ancien@exemple.gouv.fr;cabinet;;;01/01/2020
"""
RACINE = Path(__file__).resolve().parent.parent


@pytest.fixture
def habilite(application: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demonstration base with the habilitations above, and a journal of its own."""
    monkeypatch.setenv("REBOND_JOURNAL", str(tmp_path / "journal"))
    fichier = tmp_path / "habilitations.csv"
    fichier.write_text(HABILITATIONS, encoding="utf-8")
    base = Base.ouvrir(application)
    try:
        assert habilitations.importer(base, fichier, "test").rapport.valide
    finally:
        base.fermer()
    yield application


def _session(email: str | None, script: str | None = None) -> AppTest:
    at = appli.session() if script is None else AppTest.from_file(str(RACINE / script), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email, "sub": email}
    return at


def _texte(at: AppTest) -> str:
    morceaux: list[str] = []
    for genre in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        morceaux.extend(str(e.value) for e in getattr(at, genre))
    morceaux.extend(f"{m.label} {m.value}" for m in at.metric)
    for tableau in at.dataframe:
        morceaux.append(tableau.value.to_csv())
    return "\n".join(morceaux)


def _pages(at: AppTest) -> set[str]:
    return {str(lien.proto.label) for lien in at.get("page_link")}


def test_nobody_logged_in_sees_the_login_page_and_no_figure(habilite: Path) -> None:
    at = _session(None)
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Se connecter"]
    assert not at.metric and not at.dataframe


@pytest.mark.parametrize("email", ["inconnu@exemple.gouv.fr", "ancien@exemple.gouv.fr"])
def test_unknown_or_expired_user_is_refused_with_whom_to_ask(habilite: Path, email: str) -> None:
    at = _session(email)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Accès non autorisé"
    assert "adressez-vous à" in at.error[0].value
    assert not at.metric and not at.dataframe
    refus = [e for e in journal.lire() if e.action == "refus"]
    assert [e.email for e in refus] == [email]


@pytest.mark.parametrize(
    ("email", "attendues"),
    [
        ("cabinet@exemple.gouv.fr", {"Importer des résultats", "Accès"}),
        ("copil.cambrai@exemple.gouv.fr", {"Importer des résultats", "Accès"}),
        ("donnees@exemple.gouv.fr", {"Accès"}),
        ("admin@exemple.gouv.fr", set()),
    ],
)
def test_navigation_lists_the_pages_of_the_role(habilite: Path, email: str, attendues: set[str]) -> None:
    at = _session(email)
    at.run()
    appli.sans_erreur_inattendue(at)
    pages = _pages(at)
    assert {"Importer des résultats", "Accès"} - pages == attendues
    assert {"Vue d'ensemble", "Territoire", "Historique des versions"} <= pages
    connexions = [e for e in journal.lire() if e.action == "connexion"]
    assert [e.email for e in connexions] == [email]


def _metrique(at: AppTest, libelle: str) -> str:
    return next(str(m.value) for m in at.metric if m.label == libelle)


def test_a_copil_member_sees_only_its_territory_even_through_a_link(habilite: Path) -> None:
    autres = requete(
        habilite, "select nom from territoires where code_territoire <> 'cambrai' and v_to is null order by nom"
    )
    autres_projets = requete(habilite, "select id_projet from projets where code_territoire <> 'cambrai'")
    at = _session("copil.cambrai@exemple.gouv.fr")
    at.query_params["territoire"] = ["douaisis", "cambrai"]
    at.run()
    appli.sans_erreur_inattendue(at)
    assert _metrique(at, "Territoires lauréats") == "1"
    texte = _texte(at)
    assert "« douaisis » hors de votre périmètre" in texte
    for (nom,) in autres:
        assert nom not in texte, nom
    for page in ("pages/territoire.py", "pages/a_suivre.py", "pages/historique.py", "pages/sites.py"):
        at.switch_page(page)
        at.run()
        appli.sans_erreur_inattendue(at)
        texte = _texte(at)
        for (nom,) in autres:
            assert nom not in texte, (page, nom)
        for (identifiant,) in autres_projets:
            assert identifiant not in texte, (page, identifiant)


def test_a_national_user_sees_every_territory(habilite: Path) -> None:
    nombre = requete(habilite, "select count(*) from territoires where v_to is null")[0][0]
    at = _session("cabinet@exemple.gouv.fr")
    at.run()
    appli.sans_erreur_inattendue(at)
    assert _metrique(at, "Territoires lauréats") == str(nombre)


def test_a_page_a_role_may_not_open_is_not_served(habilite: Path) -> None:
    """The import and access pages are not in a reader's navigation: Streamlit has no such page to run."""
    for page in ("pages/importer.py", "pages/acces.py"):
        at = _session("copil.cambrai@exemple.gouv.fr")
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)  # not registered in this user's navigation: Streamlit cannot open it


def _rejouer(email: str) -> AppTest:
    """The write actions exactly as the publish button and the restore dialog run them, replayed by `email`
    (a session whose page never showed them, or whose right was withdrawn since)."""

    def script() -> None:
        from rebond_core.config import CLASSEUR_DEMO
        from rebond_ui import donnees, restauration, televersement
        from rebond_ui.cadre import erreurs_affichees

        with erreurs_affichees():
            fichier = televersement.Televerse(CLASSEUR_DEMO.name, CLASSEUR_DEMO.read_bytes())
            televersement.publier([fichier], "rejeu", donnees.version())
        with erreurs_affichees():
            restauration.restaurer_version(1, "rejeu")

    at = AppTest.from_function(script, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "sub": email}
    at.run()
    return at


def _versions() -> int:
    from rebond_ui import donnees

    return int(donnees.base().scalaire("select count(*) from versions"))


@pytest.mark.parametrize("email", ["cabinet@exemple.gouv.fr", "copil.cambrai@exemple.gouv.fr"])
def test_a_reader_cannot_publish_or_restore_by_replaying_the_actions(habilite: Path, email: str) -> None:
    at = _rejouer(email)
    assert not at.exception
    refus = [e.value for e in at.error if "ne permet pas cette action" in e.value]
    assert len(refus) == 2, [e.value for e in at.error]
    assert _versions() == 1
    assert [e.action for e in journal.lire() if e.email == email] == ["connexion", "refus", "refus"]


def test_data_staff_may_publish_and_restore_and_it_is_in_the_journal(habilite: Path) -> None:
    """The control of the test above: the same replay by data staff runs both actions (the identical
    workbook and the current version change nothing, so no new version) and writes them to the journal."""
    at = _rejouer("donnees@exemple.gouv.fr")
    assert not at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
    assert _versions() == 1
    actions = [e.action for e in journal.lire() if e.email == "donnees@exemple.gouv.fr"]
    assert actions == ["connexion", "publication", "restauration"]
