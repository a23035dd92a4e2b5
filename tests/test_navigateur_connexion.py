"""Login in a real browser, against a real OpenID Connect provider started by the test (tests/oidc, configured
like ProConnect: the ID token holds only `sub`, the e-mail comes from a signed /userinfo JWT, PKCE, prompt=login,
short-lived access tokens). Nothing of Streamlit's authentication is replaced."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from rebond_core.acces import connexions
from rebond_core.acces.journal import dossier_journal
from tests.outils.bases import copie_de
from tests.outils.navigateur import MARQUES, attendre, attendre_script, connecter
from tests.outils.oidc import appli_authentifiee

pytestmark = MARQUES

APPLI_IDENTITE = "tests/oidc/appli_identite.py"


def _faits(page: Any) -> dict[str, str]:
    """The "clé : valeur" lines of the test application."""
    faits = {}
    for ligne in page.locator("[data-testid='stText']").all_inner_texts():
        cle, _, valeur = ligne.partition(" : ")
        faits[cle.strip()] = valeur.strip()
    return faits


@pytest.fixture(scope="module")
def base_connexion(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copie_de(modele_base_demo, tmp_path_factory.mktemp("connexion"))


@pytest.fixture(scope="module")
def dossier_oidc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oidc")


@pytest.fixture(scope="module")
def appli(base_connexion: Path, dossier_oidc: Path) -> Iterator[str]:
    with appli_authentifiee(base_connexion, dossier_oidc, APPLI_IDENTITE) as (url, _):
        yield url


def test_connexion_puis_deconnexion_avec_l_email_du_userinfo_signe(
    appli: str, page: Any, base_connexion: Path, dossier_oidc: Path
) -> None:
    page.goto(appli)
    attendre_script(page)
    assert _faits(page) == {"mode": "authentifie", "connecte": "non"}

    autorisations: list[str] = []
    page.on("request", lambda r: autorisations.append(r.url) if urlsplit(r.url).path == "/auth" else None)
    connecter(page, "Agent.Dupont@Exemple.GOUV.fr")  # the provider's e-mail claim is the login typed, as typed
    # What ProConnect would receive: its scopes, prompt=login, PKCE S256, and no other parameter.
    assert len(autorisations) == 1
    parametres = dict(parse_qsl(urlsplit(autorisations[0]).query))
    assert set(parametres) == {
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "nonce",
        "prompt",
        "code_challenge",
        "code_challenge_method",
    }
    assert parametres["scope"] == "openid email given_name usual_name uid siret idp_id"
    assert (parametres["prompt"], parametres["code_challenge_method"]) == ("login", "S256")
    assert parametres["redirect_uri"] == appli + "/oauth2callback"
    # The code is exchanged with the secret in the body (client_kwargs.token_endpoint_auth_method).
    assert "POST /token 200 client_secret_post" in (dossier_oidc / "oidc.log").read_text(encoding="utf-8")
    faits = _faits(page)
    assert faits["connecte"] == "oui"
    assert faits["email du jeton d'identite"] == "None"  # ProConnect-like: no e-mail in the ID token
    assert faits["email"] == "agent.dupont@exemple.gouv.fr"
    assert faits["source"] == "userinfo"
    # The binding sub → e-mail is kept beside the journal of the base (the provider's sub is the login typed).
    assert connexions.email_de("Agent.Dupont@Exemple.GOUV.fr", dossier_journal(base_connexion)) == (
        "agent.dupont@exemple.gouv.fr"
    )

    # Logout goes through the provider's end_session_endpoint, back to /oauth2callback, then to the app.
    with page.expect_request(lambda r: "/session/end" in r.url, timeout=30_000):
        with page.expect_request(lambda r: r.url.startswith(appli + "/oauth2callback"), timeout=30_000):
            page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: url.rstrip("/") == appli, timeout=30_000)
    attendre_script(page)
    assert _faits(page) == {"mode": "authentifie", "connecte": "non"}
    # prompt=login and the provider's session ended: logging in again asks for the login form again.
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("input[name=login]", timeout=30_000)


def test_email_retrouve_par_sub_quand_le_jeton_d_acces_a_expire(
    modele_base_demo: Path, tmp_path: Path, context: Any
) -> None:
    base = copie_de(modele_base_demo, tmp_path)
    with appli_authentifiee(base, tmp_path, APPLI_IDENTITE, duree_jeton_s=5) as (url, _):
        page = context.new_page()
        page.goto(url)
        attendre_script(page)
        connecter(page, "copil-bzh")  # no "@": the provider's e-mail is copil-bzh@example.gouv.fr
        assert _faits(page)["source"] == "userinfo"

        time.sleep(6)  # the 5 s access token, issued at the login, has expired
        autre = context.new_page()  # a new session of the same browser: the identity cookie, no e-mail claim
        autre.goto(url)
        attendre_script(autre)
        faits = _faits(autre)
        assert faits["connecte"] == "oui"
        assert faits["email"] == "copil-bzh@example.gouv.fr"
        assert faits["source"] == "liaison"  # userinfo refused the expired token; found again by sub
        journal = (tmp_path / "oidc.log").read_text(encoding="utf-8").splitlines()
        requetes = [ligne for ligne in journal if " /me " in ligne]
        assert requetes == ["GET /me 200", "GET /me 401"]  # userinfo: at the login, then the expired token


# ---------------------------------------------------------------------------------------------------
# The dashboard itself (rebond_ui/acces.py and cadre.py gate every page with rebond_ui.identite)

CABINET = "Cabinet.Ministre@Exemple.gouv.fr"  # habilitated (stored in lower case); typed in mixed case
SANS_HABILITATION = "personne@exemple.gouv.fr"


@pytest.fixture(scope="module")
def tableau_de_bord(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from rebond_core.acces.habilitations import Habilitation, remplacer
    from rebond_core.db import Base

    dossier = tmp_path_factory.mktemp("tableau_de_bord")
    chemin = copie_de(modele_base_demo, dossier)
    base = Base.ouvrir(chemin)
    try:
        remplacer(base, [Habilitation(CABINET.lower(), "cabinet")], "tests")
    finally:
        base.fermer()
    with appli_authentifiee(chemin, dossier) as (url, _):
        yield url


def _rien_du_tableau_de_bord(page: Any) -> None:
    graphiques = ("stPlotlyChart", "stDeckGlJsonChart", "stBidiComponent")
    for element in ("stMetric", "stDataFrame", *graphiques, "stPageLink-NavLink"):
        assert page.locator(f"[data-testid^='{element}']").count() == 0, element
    assert page.locator(".rebond-graphique, .js-plotly-plot").count() == 0


def test_sans_connexion_le_tableau_de_bord_ne_montre_que_le_bouton(tableau_de_bord: str, page: Any) -> None:
    for chemin in ("/", "/territoire?territoire=douaisis", "/a-suivre"):
        page.goto(tableau_de_bord + chemin)
        attendre_script(page)
        assert page.get_by_role("button", name="Se connecter").count() == 1
        _rien_du_tableau_de_bord(page)
        assert "Sources : AMI" not in page.inner_text("body")


def test_connecte_l_en_tete_montre_l_email_puis_la_deconnexion_ramene_a_la_connexion(
    tableau_de_bord: str, page: Any
) -> None:
    page.goto(tableau_de_bord)
    attendre_script(page)
    connecter(page, CABINET)
    attendre(page)
    barre = page.locator("[data-testid='stSidebar']").inner_text().replace("\u2060", "")
    assert f"Connecté : {CABINET.lower()}" in barre
    assert page.locator("[data-testid='stMetric']").count() > 0

    with page.expect_request(lambda r: r.url.startswith(tableau_de_bord + "/oauth2callback"), timeout=30_000):
        page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: url.startswith(tableau_de_bord) and "oauth2callback" not in url, timeout=30_000)
    attendre_script(page)
    assert page.get_by_role("button", name="Se connecter").count() == 1
    _rien_du_tableau_de_bord(page)


def test_sans_habilitation_l_acces_est_refuse_sans_aucun_chiffre(tableau_de_bord: str, page: Any) -> None:
    page.goto(tableau_de_bord)
    attendre_script(page)
    connecter(page, SANS_HABILITATION)
    texte = page.inner_text("body").replace("\u2060", "")  # the word joiner that keeps "@" from linking
    assert "Accès non autorisé" in texte
    assert f"Le compte {SANS_HABILITATION} n'a pas d'habilitation" in texte
    _rien_du_tableau_de_bord(page)
