"""The local OpenID Connect provider of tests/oidc (configured like ProConnect), and the dashboard served in
authenticated mode against it, for the login tests.

    with appli_authentifiee(chemin_base, dossier) as (url, fournisseur):
        page.goto(url); connecter(page, "agent@exemple.gouv.fr")   # tests/outils/navigateur.py

One origin everywhere: the application is reached at http://127.0.0.1:<port>, which is also the origin of
`redirect_uri` (Streamlit refuses a callback or a session from another origin). The secrets are written in
the test's folder and given to Streamlit by its `secrets.files` option: nothing is written in the repository.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.outils.serveur import RACINE, port_libre, serveur_streamlit

DOSSIER = RACINE / "tests" / "oidc"
NODE = shutil.which("node") or "/usr/bin/node"
DELAI_DEMARRAGE_S = 30
SCOPES = "openid email given_name usual_name uid siret idp_id"  # ProConnect's scopes (no `profile`)


@dataclass(frozen=True)
class Fournisseur:
    """A running local provider: its issuer URL and the one client it knows."""

    url: str
    client_id: str
    client_secret: str

    @property
    def decouverte(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"


def fournisseur_disponible() -> bool:
    """Node and the provider's packages (`npm ci --prefix tests/oidc`, i.e. `make oidc`) are installed."""
    return Path(NODE).exists() and (DOSSIER / "node_modules" / "oidc-provider").is_dir()


def exiger_fournisseur() -> None:
    """Skip the test when the provider cannot run here, except in CI (where it is a failure)."""
    if not fournisseur_disponible():
        message = "fournisseur OIDC local absent (make oidc : npm ci --prefix tests/oidc)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def fournisseur_oidc(origine_appli: str, journal: Path | None = None, duree_jeton_s: int = 60) -> Iterator[Fournisseur]:
    """`node tests/oidc/provider.mjs` on a free port of 127.0.0.1, for an application at `origine_appli`
    (its redirect and post-logout URI: `<origine_appli>/oauth2callback`), access tokens valid `duree_jeton_s`
    seconds; its output in `journal`. Yields once its discovery document answers; stops it afterwards."""
    exiger_fournisseur()
    port = port_libre()
    fournisseur = Fournisseur(f"http://127.0.0.1:{port}", "rebond-test", "rebond-test-secret-0123456789abcdef")
    env = {
        **os.environ,
        "REBOND_OIDC_PORT": str(port),
        "REBOND_OIDC_APPLI": origine_appli,
        "REBOND_OIDC_CLIENT_ID": fournisseur.client_id,
        "REBOND_OIDC_CLIENT_SECRET": fournisseur.client_secret,
        "REBOND_OIDC_DUREE_JETON": str(duree_jeton_s),
    }
    with open(journal or os.devnull, "w", encoding="utf-8") as sortie:
        processus = subprocess.Popen(
            [NODE, "provider.mjs"],
            cwd=DOSSIER,
            env=env,
            stdout=sortie,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        echeance = time.monotonic() + DELAI_DEMARRAGE_S
        while True:
            try:
                with urllib.request.urlopen(fournisseur.decouverte, timeout=2) as reponse:
                    if reponse.status == 200:
                        break
            except OSError:
                if processus.poll() is not None or time.monotonic() > echeance:
                    fin = journal.read_text(encoding="utf-8")[-3000:] if journal else ""
                    raise RuntimeError(f"Le fournisseur OIDC local n'a pas démarré :\n{fin}") from None
                time.sleep(0.2)
        yield fournisseur
    finally:
        if processus.poll() is None:
            os.killpg(processus.pid, signal.SIGTERM)  # its own process group only (start_new_session)
            try:
                processus.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(processus.pid, signal.SIGKILL)
                processus.wait(timeout=10)


def secrets_auth(fournisseur: Fournisseur, origine_appli: str) -> str:
    """The `[auth]` section of secrets.toml for this provider: the configuration the README gives for
    ProConnect, with the local provider's discovery URL and client."""
    return f"""[auth]
redirect_uri = "{origine_appli}/oauth2callback"
cookie_secret = "secret-de-cookie-des-tests-0123456789abcdef"
client_id = "{fournisseur.client_id}"
client_secret = "{fournisseur.client_secret}"
server_metadata_url = "{fournisseur.decouverte}"
expose_tokens = ["access", "id"]
client_kwargs = {{ scope = "{SCOPES}", prompt = "login", token_endpoint_auth_method = "client_secret_post" }}
"""


@contextmanager
def appli_authentifiee(
    chemin_base: Path, dossier: Path, script: str = "dashboard.py", duree_jeton_s: int = 60
) -> Iterator[tuple[str, Fournisseur]]:
    """The local provider, then `python -m rebond_ui.serveur run <script>` on `chemin_base` in authenticated
    mode against it (secrets in `dossier/secrets.toml`, logs in `dossier/oidc.log` and `dossier/streamlit.log`).
    Yields the application's URL (http://127.0.0.1:<port>, the origin of redirect_uri) and the provider."""
    port = port_libre()
    origine = f"http://127.0.0.1:{port}"
    with fournisseur_oidc(origine, dossier / "oidc.log", duree_jeton_s) as fournisseur:
        secrets = dossier / "secrets.toml"
        secrets.write_text(secrets_auth(fournisseur, origine), encoding="utf-8")
        with serveur_streamlit(
            chemin_base, dossier / "streamlit.log", port=port, script=script, secrets=secrets
        ) as url:
            assert url == origine
            yield url, fournisseur
