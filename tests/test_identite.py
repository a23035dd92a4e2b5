"""rebond_ui.identite without a browser: the mode read from the `[auth]` secrets (a partial section refuses to
start, in French), the session's e-mail through AppTest's simulated user (ID-token claim, binding by `sub`),
and the userinfo answer checked with real keys served over real HTTP by a small local server."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey
from streamlit import config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from rebond_core.acces import connexions
from rebond_ui import identite
from rebond_ui.identite import ConfigurationAuthentificationInvalide, UserinfoInvalide

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "secret-de-cookie-0123456789abcdef",
    "client_id": "rebond",
    "client_secret": "secret-du-client-0123456789abcdef",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    "expose_tokens": ["access", "id"],
}

# ---------------------------------------------------------------------------------------------------
# Mode


def test_sans_rubrique_auth_le_mode_est_local() -> None:
    assert identite.verifier_section(None) == "local"


def test_une_rubrique_complete_donne_le_mode_authentifie() -> None:
    assert identite.verifier_section(AUTH) == "authentifie"


@pytest.mark.parametrize(
    "manquantes",
    [("client_secret",), ("redirect_uri", "cookie_secret"), ("client_id", "server_metadata_url", "cookie_secret")],
)
def test_une_rubrique_partielle_refuse_de_demarrer_en_nommant_les_cles_manquantes(manquantes: tuple[str, ...]) -> None:
    partielle = {cle: valeur for cle, valeur in AUTH.items() if cle not in manquantes}
    with pytest.raises(ConfigurationAuthentificationInvalide) as erreur:
        identite.verifier_section(partielle)
    message = erreur.value.message_fr
    assert message.startswith("Configuration d'authentification incomplète : il manque")
    assert all(f"« {cle} »" in message for cle in manquantes)
    assert not any(f"« {cle} »" in message for cle in identite.CLES_REQUISES if cle not in manquantes)


def test_une_valeur_vide_compte_comme_manquante() -> None:
    with pytest.raises(ConfigurationAuthentificationInvalide, match="« client_id »"):
        identite.verifier_section({**AUTH, "client_id": "  "})


def test_une_rubrique_vide_nomme_les_cinq_cles() -> None:
    with pytest.raises(ConfigurationAuthentificationInvalide) as erreur:
        identite.verifier_section({})
    assert all(f"« {cle} »" in erreur.value.message_fr for cle in identite.CLES_REQUISES)


def test_un_redirect_uri_hors_oauth2callback_est_refuse() -> None:
    with pytest.raises(ConfigurationAuthentificationInvalide, match="/oauth2callback"):
        identite.verifier_section({**AUTH, "redirect_uri": "http://127.0.0.1:8501/"})


@pytest.fixture
def fichiers_secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point Streamlit's `secrets.files` option at given paths, with a fresh secrets store; restored after."""
    avant = config.get_option("secrets.files")

    def pointer(*chemins: Path) -> None:
        config.set_option("secrets.files", [str(c) for c in chemins])
        monkeypatch.setattr(st, "secrets", Secrets())

    yield pointer
    config.set_option("secrets.files", avant)


def test_sans_fichier_de_secrets_le_mode_est_local(fichiers_secrets: Any, tmp_path: Path) -> None:
    fichiers_secrets(tmp_path / "absent.toml")
    assert identite.mode() == "local"


def test_un_fichier_de_secrets_sans_rubrique_auth_donne_le_mode_local(fichiers_secrets: Any, tmp_path: Path) -> None:
    (tmp_path / "secrets.toml").write_text('autre = "valeur"\n', encoding="utf-8")
    fichiers_secrets(tmp_path / "secrets.toml")
    assert identite.mode() == "local"


def test_un_fichier_de_secrets_illisible_refuse_de_demarrer(fichiers_secrets: Any, tmp_path: Path) -> None:
    (tmp_path / "secrets.toml").write_text('[auth]\nclient_id = "rebond\n', encoding="utf-8")  # unclosed string
    fichiers_secrets(tmp_path / "secrets.toml")
    with pytest.raises(ConfigurationAuthentificationInvalide, match="illisible"):
        identite.mode()


def test_un_fichier_de_secrets_partiel_refuse_de_demarrer(fichiers_secrets: Any, tmp_path: Path) -> None:
    (tmp_path / "secrets.toml").write_text('[auth]\nclient_id = "rebond"\n', encoding="utf-8")
    fichiers_secrets(tmp_path / "secrets.toml")
    with pytest.raises(ConfigurationAuthentificationInvalide, match="« cookie_secret »"):
        identite.mode()


# ---------------------------------------------------------------------------------------------------
# The session's e-mail (AppTest's simulated user: the claims Streamlit would have read from the ID token)


def _appli() -> None:
    import streamlit as st

    from rebond_core.erreurs import RebondError
    from rebond_ui import identite

    try:
        st.text(f"mode : {identite.mode()}")
        resolue = identite.identite_de_session()
        st.text(f"email : {resolue.email if resolue else None}")
        st.text(f"source : {resolue.source if resolue else None}")
    except RebondError as erreur:
        st.error(erreur.message_fr)


def _lancer(user: dict[str, Any] | None, secrets: dict[str, Any] | None = None) -> dict[str, str]:
    at = AppTest.from_function(_appli, default_timeout=30)
    at.secrets = {"auth": AUTH} if secrets is None else secrets
    if user is not None:
        at.user = user  # type: ignore[assignment]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    faits = {t.value.partition(" : ")[0]: t.value.partition(" : ")[2] for t in at.text}
    if at.error:
        faits["erreur"] = at.error[0].value
    return faits


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REBOND_JOURNAL", str(tmp_path / "journal"))
    return tmp_path / "journal"


def test_une_rubrique_partielle_s_affiche_en_francais_dans_l_application(journal: Path) -> None:
    faits = _lancer(None, {"auth": {"client_id": "rebond", "redirect_uri": AUTH["redirect_uri"]}})
    assert "mode" not in faits
    assert "il manque" in faits["erreur"] and "« client_secret »" in faits["erreur"]


def test_personne_n_est_connecte(journal: Path) -> None:
    assert _lancer({"is_logged_in": False}) == {"mode": "authentifie", "email": "None", "source": "None"}


def test_l_email_du_jeton_d_identite_en_minuscules_et_lie_au_sub(journal: Path) -> None:
    faits = _lancer({"is_logged_in": True, "sub": "s-1", "email": "Marie.Curie@Exemple.GOUV.fr"})
    assert (faits["email"], faits["source"]) == ("marie.curie@exemple.gouv.fr", "jeton")
    assert connexions.email_de("s-1", journal) == "marie.curie@exemple.gouv.fr"


def test_sans_email_ni_jeton_d_acces_l_email_est_retrouve_par_sub(journal: Path) -> None:
    connexions.lier("s-2", "Paul.Langevin@exemple.gouv.fr", journal)
    faits = _lancer({"is_logged_in": True, "sub": "s-2"})
    assert (faits["email"], faits["source"]) == ("paul.langevin@exemple.gouv.fr", "liaison")


def test_sans_email_ni_jeton_d_acces_ni_liaison_la_configuration_est_mise_en_cause(journal: Path) -> None:
    faits = _lancer({"is_logged_in": True, "sub": "s-3"})
    assert "expose_tokens" in faits["erreur"]


# ---------------------------------------------------------------------------------------------------
# Userinfo: plain JSON or a signed JWT, checked against keys served over HTTP


class _Fournisseur:
    """A small HTTP server on 127.0.0.1: discovery, JWKS and userinfo answers set by the test."""

    def __init__(self) -> None:
        self.cle = ECKey.generate_key("P-256", parameters={"kid": "cle-1", "use": "sig", "alg": "ES256"})
        self.reponses: dict[str, tuple[int, str, bytes]] = {}
        fournisseur = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                statut, type_contenu, corps = fournisseur.reponses.get(self.path, (404, "text/plain", b""))
                self.send_response(statut)
                self.send_header("Content-Type", type_contenu)
                if statut == 401:
                    self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
                self.end_headers()
                self.wfile.write(corps)

            def log_message(self, *args: Any) -> None:
                pass

        self.serveur = ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
        self.url = f"http://127.0.0.1:{self.serveur.server_address[1]}"
        self.metadonnees = {
            "issuer": self.url,
            "userinfo_endpoint": f"{self.url}/me",
            "jwks_uri": f"{self.url}/jwks",
            "userinfo_signing_alg_values_supported": ["ES256"],
        }
        self.reponses["/.well-known/openid-configuration"] = (
            200,
            "application/json",
            json.dumps(self.metadonnees).encode(),
        )
        self.reponses["/jwks"] = (
            200,
            "application/json",
            json.dumps({"keys": [self.cle.as_dict(private=False)]}).encode(),
        )

    def signer(self, revendications: dict[str, Any], cle: Any = None, alg: str = "ES256") -> bytes:
        cle = cle or self.cle
        entete = {"alg": alg, "kid": "cle-1"} if alg != "HS256" else {"alg": alg}
        return jwt.encode(entete, revendications, cle, algorithms=[alg]).encode()

    def auth(self) -> dict[str, Any]:
        return {**AUTH, "server_metadata_url": f"{self.url}/.well-known/openid-configuration"}


@pytest.fixture
def fournisseur() -> Iterator[_Fournisseur]:
    f = _Fournisseur()
    fil = threading.Thread(target=f.serveur.serve_forever, daemon=True)
    fil.start()
    identite._cache.vider()
    yield f
    f.serveur.shutdown()
    f.serveur.server_close()
    identite._cache.vider()


def _revendications(f: _Fournisseur, **autres: Any) -> dict[str, Any]:
    return {"iss": f.url, "aud": "rebond", "sub": "s-9", "email": "Agent@Exemple.gouv.fr", **autres}


def _lire(f: _Fournisseur, corps: bytes, type_contenu: str = "application/jwt; charset=utf-8") -> dict[str, Any]:
    return identite.lire_userinfo(
        type_contenu, corps, f.metadonnees, client_id="rebond", client_secret=str(AUTH["client_secret"])
    )


def test_un_userinfo_signe_par_le_fournisseur_est_lu(fournisseur: _Fournisseur) -> None:
    lues = _lire(fournisseur, fournisseur.signer(_revendications(fournisseur)))
    assert (lues["sub"], lues["email"]) == ("s-9", "Agent@Exemple.gouv.fr")


def test_un_userinfo_json_est_lu(fournisseur: _Fournisseur) -> None:
    corps = json.dumps({"sub": "s-9", "email": "a@b.fr"}).encode()
    assert _lire(fournisseur, corps, "application/json")["email"] == "a@b.fr"


@pytest.mark.parametrize(
    "defaut",
    ["autre cle", "autre emetteur", "autre audience", "sans audience", "expire"],
)
def test_un_userinfo_signe_non_fiable_est_refuse(fournisseur: _Fournisseur, defaut: str) -> None:
    revendications = _revendications(fournisseur)
    cle = None
    if defaut == "autre cle":
        cle = ECKey.generate_key("P-256", parameters={"kid": "cle-1"})
    elif defaut == "autre emetteur":
        revendications["iss"] = "http://127.0.0.1:1"
    elif defaut == "autre audience":
        revendications["aud"] = "un-autre-service"
    elif defaut == "sans audience":
        del revendications["aud"]
    else:
        revendications["exp"] = 1_000_000_000  # 2001
    with pytest.raises(UserinfoInvalide):
        _lire(fournisseur, fournisseur.signer(revendications, cle))


def test_un_algorithme_que_le_fournisseur_n_annonce_pas_est_refuse(fournisseur: _Fournisseur) -> None:
    secret = OctKey.import_key(str(AUTH["client_secret"]))
    corps = fournisseur.signer(_revendications(fournisseur), secret, "HS256")
    with pytest.raises(UserinfoInvalide, match="HS256"):
        _lire(fournisseur, corps)
    fournisseur.metadonnees["userinfo_signing_alg_values_supported"] = ["ES256", "HS256"]
    assert _lire(fournisseur, corps)["sub"] == "s-9"  # announced: checked with the client secret


def test_un_jwt_non_signe_est_refuse(fournisseur: _Fournisseur) -> None:
    fournisseur.metadonnees["userinfo_signing_alg_values_supported"] = ["ES256", "none"]
    entete = json.dumps({"alg": "none"}).encode()

    def b64(x: bytes) -> str:
        return base64.urlsafe_b64encode(x).rstrip(b"=").decode()

    corps = f"{b64(entete)}.{b64(json.dumps(_revendications(fournisseur)).encode())}.".encode()
    with pytest.raises(UserinfoInvalide, match="none"):
        _lire(fournisseur, corps)


def test_un_type_de_contenu_inattendu_est_refuse(fournisseur: _Fournisseur) -> None:
    with pytest.raises(UserinfoInvalide, match="text/html"):
        _lire(fournisseur, b"<html></html>", "text/html")


def test_email_userinfo_par_http(fournisseur: _Fournisseur) -> None:
    fournisseur.reponses["/me"] = (200, "application/jwt", fournisseur.signer(_revendications(fournisseur)))
    assert identite.email_userinfo("jeton", "s-9", fournisseur.auth()) == "agent@exemple.gouv.fr"
    with pytest.raises(UserinfoInvalide, match="sub"):
        identite.email_userinfo("jeton", "un-autre", fournisseur.auth())  # about someone else


def test_un_jeton_d_acces_expire_est_signale(fournisseur: _Fournisseur) -> None:
    fournisseur.reponses["/me"] = (401, "application/json", b'{"error":"invalid_token"}')
    with pytest.raises(identite._JetonRefuse):
        identite.email_userinfo("jeton", "s-9", fournisseur.auth())


def test_des_cles_renouvelees_sont_rechargees(fournisseur: _Fournisseur) -> None:
    _lire(fournisseur, fournisseur.signer(_revendications(fournisseur)))  # the keys are now cached
    fournisseur.cle = ECKey.generate_key("P-256", parameters={"kid": "cle-2", "use": "sig", "alg": "ES256"})
    jwks = {"keys": [fournisseur.cle.as_dict(private=False)]}
    fournisseur.reponses["/jwks"] = (200, "application/json", json.dumps(jwks).encode())
    corps = jwt.encode({"alg": "ES256", "kid": "cle-2"}, _revendications(fournisseur), fournisseur.cle)
    assert _lire(fournisseur, corps.encode())["sub"] == "s-9"
