"""Who is using the dashboard: the mode (local or authenticated), the session's e-mail, login and logout.

**Mode.** With no `[auth]` section in the secrets (`.streamlit/secrets.toml`, or the files named by Streamlit's
`secrets.files` option) the dashboard runs in local mode: one local operator, no login. With an `[auth]`
section it runs in authenticated mode (Streamlit's `st.login`, an OpenID Connect provider: ProConnect in
production). A partial `[auth]` section, or a secrets file that cannot be read, is an error
(`ConfigurationAuthentificationInvalide`, in French): local mode must never be the silent result of a broken
deployment.

**E-mail of the session.** Habilitations are keyed by e-mail. Streamlit's `st.user` only holds the claims of
the ID token; ProConnect puts only `sub` there and gives the e-mail through its userinfo endpoint, as a
signed JWT, with an access token valid 60 seconds. So, once per session: the `email` claim of the ID token
when there is one; otherwise the provider's userinfo (the access token exposed by `expose_tokens`), its
signature checked against the provider's keys (or the client secret for HS*), its `iss`, `aud` and `sub`
checked; the pair `sub → e-mail` is then kept (`rebond_core.acces.connexions.lier`) so that a later session,
whose access token has long expired (the identity cookie lasts 30 days), finds the e-mail again by `sub`
(`connexions.email_de`). E-mails are lower-cased.

How the frame uses this module:

    m = identite.mode()                      # may raise ConfigurationAuthentificationInvalide
    if m == "authentifie":
        if not identite.connecte():
            ... login page, with a button that calls identite.se_connecter()
        email = identite.email_de_session()  # None: logged in, but no e-mail could be established
        ... habilitation of `email`; a logout button calls identite.se_deconnecter()
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import httpx
import streamlit as st
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey

from rebond_core.erreurs import RebondError

Mode = Literal["local", "authentifie"]
Source = Literal["jeton", "userinfo", "liaison"]

CLES_REQUISES = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
CLE_SESSION = "_rebond_identite"
DELAI_HTTP_S = 10.0
DUREE_CACHE_S = 3600.0  # discovery document and keys of the provider
# Signature algorithms accepted for a signed userinfo (never "none"); further limited by the discovery document.
ALGORITHMES = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"}
)

journal = logging.getLogger("rebond.identite")


class ConfigurationAuthentificationInvalide(RebondError):
    """The `[auth]` section is incomplete, or the secrets cannot be read: the dashboard must not serve."""


class UserinfoInvalide(RebondError):
    """A userinfo answer that cannot be trusted (signature, issuer, audience, subject, content type)."""


class _JetonRefuse(Exception):
    """The provider refused the access token (expired, most often)."""


@dataclass(frozen=True)
class Identite:
    """The person of a session: provider subject, e-mail (lower case), and where the e-mail came from."""

    sub: str
    email: str
    source: Source


# ---------------------------------------------------------------------------------------------------
# Mode


def section_auth() -> Mapping[str, Any] | None:
    """The `[auth]` section of the secrets; None when there is no secrets file or no `[auth]` in it.
    Raises ConfigurationAuthentificationInvalide when a secrets file exists but cannot be read."""
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError as erreur:  # StreamlitSecretNotFoundError: no file, or a file that fails to parse
        if _fichiers_secrets_presents():
            raise ConfigurationAuthentificationInvalide(
                "Le fichier de secrets de l'application (.streamlit/secrets.toml) est illisible ; le tableau de "
                f"bord ne peut pas démarrer. Détail : {erreur}"
            ) from erreur
        return None
    auth = secrets.get("auth")
    if auth is None:
        return None
    if not isinstance(auth, Mapping):
        raise ConfigurationAuthentificationInvalide(
            "La rubrique [auth] des secrets doit être une table (redirect_uri, cookie_secret, client_id, "
            "client_secret, server_metadata_url)."
        )
    return auth


def verifier_section(auth: Mapping[str, Any] | None) -> Mode:
    """The mode that an `[auth]` section gives; raises ConfigurationAuthentificationInvalide, naming the
    missing keys, when the section is partial."""
    if auth is None:
        return "local"
    manquantes = [cle for cle in CLES_REQUISES if not str(auth.get(cle) or "").strip()]
    if manquantes:
        raise ConfigurationAuthentificationInvalide(
            "Configuration d'authentification incomplète : il manque dans la rubrique [auth] des secrets "
            f"(.streamlit/secrets.toml) {_liste(manquantes)}. Le tableau de bord refuse de démarrer "
            "sans authentification tant qu'elle est incomplète : complétez-la (voir le README, "
            "« Authentification (ProConnect) »), ou supprimez la rubrique [auth] pour le mode local."
        )
    if not str(auth["redirect_uri"]).rstrip().endswith("/oauth2callback"):
        raise ConfigurationAuthentificationInvalide(
            "Configuration d'authentification invalide : redirect_uri doit être l'adresse de l'application "
            f"suivie de /oauth2callback (lu : {auth['redirect_uri']})."
        )
    return "authentifie"


def mode() -> Mode:
    """'local' without an `[auth]` section, 'authentifie' with a complete one; raises
    ConfigurationAuthentificationInvalide (French message naming the missing keys) otherwise."""
    return verifier_section(section_auth())


# ---------------------------------------------------------------------------------------------------
# Session


def connecte() -> bool:
    """True when a user is logged in through the provider (always False in local mode)."""
    return bool(st.user.get("is_logged_in"))


def se_connecter() -> None:
    """Send the browser to the provider's login page (st.login with the `[auth]` provider)."""
    st.login()


def se_deconnecter() -> None:
    """Forget the session's identity, delete the identity cookie and log out at the provider (st.logout)."""
    st.session_state.pop(CLE_SESSION, None)
    st.logout()


def email_de_session() -> str | None:
    """The logged-in user's e-mail (lower case), or None when nobody is logged in or no e-mail could be
    established (no `email` in the ID token, userinfo unavailable and no earlier binding of `sub`)."""
    identite = identite_de_session()
    return identite.email if identite else None


def identite_de_session() -> Identite | None:
    """The session's `Identite`, resolved once per session (kept in st.session_state for the same `sub`)."""
    if not connecte():
        st.session_state.pop(CLE_SESSION, None)
        return None
    sub = str(st.user.get("sub") or "")
    memoire = st.session_state.get(CLE_SESSION)
    if isinstance(memoire, tuple) and memoire[0] == sub:
        return memoire[1]
    identite = _resoudre(sub)
    st.session_state[CLE_SESSION] = (sub, identite)
    return identite


def _resoudre(sub: str) -> Identite | None:
    from rebond_core.acces import connexions  # written by the habilitations work; imported when needed

    revendique = st.user.get("email")
    if isinstance(revendique, str) and revendique.strip():
        identite = Identite(sub, revendique.strip().lower(), "jeton")
        _lier(connexions, identite)
        return identite
    if not sub:
        journal.warning("Jeton d'identité sans sub ni email : identité indéterminable")
        return None
    acces = st.user.tokens.get("access")
    if acces:
        try:
            email = email_userinfo(acces, sub, _section_requise())
        except _JetonRefuse:
            journal.info("Jeton d'accès refusé par le fournisseur (expiré) : recherche par sub")
        except (httpx.HTTPError, UserinfoInvalide, ValueError) as erreur:
            journal.warning("userinfo indisponible ou invalide (%s) : recherche par sub", erreur)
        else:
            if email:
                identite = Identite(sub, email, "userinfo")
                _lier(connexions, identite)
                return identite
            journal.warning("userinfo sans adresse électronique pour ce sub")
    connu = connexions.email_de(sub)
    if connu:
        return Identite(sub, connu.strip().lower(), "liaison")
    if not acces:
        raise ConfigurationAuthentificationInvalide(
            "Le jeton d'identité ne contient pas l'adresse électronique et le jeton d'accès n'est pas exposé : "
            'ajoutez expose_tokens = ["access", "id"] à la rubrique [auth] des secrets (voir le README).'
        )
    journal.warning("Adresse électronique introuvable pour ce sub (ni userinfo, ni connexion antérieure)")
    return None


def _lier(connexions: Any, identite: Identite) -> None:
    try:
        connexions.lier(identite.sub, identite.email)
    except Exception:  # the user is identified for this session; later sessions will need userinfo again
        journal.exception("Liaison sub → e-mail non enregistrée")


def _section_requise() -> Mapping[str, Any]:
    auth = section_auth()
    verifier_section(auth)
    assert auth is not None
    return auth


# ---------------------------------------------------------------------------------------------------
# Userinfo (no Streamlit below: unit-tested with real keys and a real provider)


def email_userinfo(jeton_acces: str, sub: str, auth: Mapping[str, Any]) -> str | None:
    """The e-mail (lower case) that the provider's userinfo endpoint gives for `jeton_acces`, checked to be
    about `sub`. Raises _JetonRefuse (401/403 or `invalid_token`), UserinfoInvalide, httpx.HTTPError."""
    metadonnees = document_decouverte(str(auth["server_metadata_url"]))
    url = metadonnees.get("userinfo_endpoint")
    if not url:
        raise UserinfoInvalide("Le fournisseur d'identité n'annonce pas de userinfo_endpoint.")
    reponse = httpx.get(
        str(url),
        headers={"Authorization": f"Bearer {jeton_acces}", "Accept": "application/jwt, application/json"},
        timeout=DELAI_HTTP_S,
    )
    if reponse.status_code in (401, 403) or (
        reponse.status_code == 400 and "invalid_token" in reponse.headers.get("www-authenticate", "")
    ):
        raise _JetonRefuse
    reponse.raise_for_status()
    revendications = lire_userinfo(
        reponse.headers.get("content-type", ""),
        reponse.content,
        metadonnees,
        client_id=str(auth["client_id"]),
        client_secret=str(auth["client_secret"]),
    )
    if str(revendications.get("sub") or "") != sub:
        raise UserinfoInvalide("La réponse userinfo ne concerne pas l'utilisateur connecté (sub différent).")
    email = revendications.get("email")
    return email.strip().lower() if isinstance(email, str) and email.strip() else None


def lire_userinfo(
    type_contenu: str, corps: bytes, metadonnees: Mapping[str, Any], *, client_id: str, client_secret: str
) -> dict[str, Any]:
    """The claims of a userinfo answer: plain JSON, or a signed JWT (`application/jwt`) whose signature is
    checked (provider's JWKS, or the client secret for HS*, with an algorithm the discovery document
    announces) and whose `iss` and `aud` must be the provider and this client."""
    media = type_contenu.split(";")[0].strip().lower()
    if media == "application/json":
        try:
            revendications = json.loads(corps)
        except ValueError as erreur:
            raise UserinfoInvalide("Réponse userinfo JSON illisible.") from erreur
        if not isinstance(revendications, dict):
            raise UserinfoInvalide("Réponse userinfo JSON qui n'est pas un objet.")
        return revendications
    if media != "application/jwt":
        raise UserinfoInvalide(f"Réponse userinfo d'un type inattendu : {media or 'aucun'}.")
    texte = corps.decode("ascii", errors="replace").strip()
    algorithme = _entete(texte).get("alg")
    annonces = metadonnees.get("userinfo_signing_alg_values_supported") or ["RS256"]
    if algorithme not in ALGORITHMES or algorithme not in annonces:
        raise UserinfoInvalide(f"Réponse userinfo signée avec un algorithme non accepté : {algorithme}.")
    try:
        if algorithme.startswith("HS"):
            jeton = jwt.decode(texte, OctKey.import_key(client_secret), algorithms=[algorithme])
        else:
            jwks_uri = str(metadonnees.get("jwks_uri") or "")
            try:
                jeton = jwt.decode(texte, _jeu_de_cles(jwks_uri), algorithms=[algorithme])
            except JoseError:  # keys rotated since they were cached: fetch them once more
                jeton = jwt.decode(texte, _jeu_de_cles(jwks_uri, forcer=True), algorithms=[algorithme])
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": str(metadonnees.get("issuer"))},
            aud={"essential": True, "value": client_id},
        ).validate(jeton.claims)
    except (JoseError, ValueError) as erreur:
        raise UserinfoInvalide(f"Réponse userinfo signée refusée : {erreur}") from erreur
    return dict(jeton.claims)


def document_decouverte(url: str) -> dict[str, Any]:
    """The provider's discovery document (kept an hour)."""
    return _cache.obtenir(("decouverte", url), lambda: _get_json(url))


def cles_publiques(url: str, forcer: bool = False) -> dict[str, Any]:
    """The provider's JWKS (kept an hour; `forcer` fetches it again)."""
    if not url:
        raise UserinfoInvalide("Le fournisseur d'identité n'annonce pas de jwks_uri.")
    return _cache.obtenir(("jwks", url), lambda: _get_json(url), forcer=forcer)


def _jeu_de_cles(url: str, forcer: bool = False) -> KeySet:
    return KeySet.import_key_set(cast(Any, cles_publiques(url, forcer)))


def _get_json(url: str) -> dict[str, Any]:
    reponse = httpx.get(url, timeout=DELAI_HTTP_S, headers={"Accept": "application/json"})
    reponse.raise_for_status()
    document = reponse.json()
    if not isinstance(document, dict):
        raise UserinfoInvalide(f"Document inattendu à {url}.")
    return document


def _entete(texte: str) -> dict[str, Any]:
    try:
        segment = texte.split(".")[0]
        entete = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError) as erreur:
        raise UserinfoInvalide("Réponse userinfo : JWT illisible.") from erreur
    if not isinstance(entete, dict):
        raise UserinfoInvalide("Réponse userinfo : en-tête JWT illisible.")
    return entete


class _CacheTemporise:
    """A small process-wide cache with an expiry, safe across the server's threads."""

    def __init__(self, duree_s: float) -> None:
        self._duree_s = duree_s
        self._valeurs: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        self._verrou = threading.Lock()

    def obtenir(
        self, cle: tuple[str, str], charger: Callable[[], dict[str, Any]], forcer: bool = False
    ) -> dict[str, Any]:
        with self._verrou:
            present = self._valeurs.get(cle)
        if present and not forcer and present[0] > time.monotonic():
            return present[1]
        valeur: dict[str, Any] = charger()
        with self._verrou:
            self._valeurs[cle] = (time.monotonic() + self._duree_s, valeur)
        return valeur

    def vider(self) -> None:
        with self._verrou:
            self._valeurs.clear()


_cache = _CacheTemporise(DUREE_CACHE_S)


def _fichiers_secrets_presents() -> bool:
    from streamlit import config

    return any(Path(chemin).exists() for chemin in config.get_option("secrets.files") or [])


def _liste(cles: list[str]) -> str:
    noms = [f"« {cle} »" for cle in cles]
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]
