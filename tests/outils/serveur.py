"""A Streamlit server of the dashboard on a given base, for the browser tests and the page bench."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent.parent
GEO = RACINE.parent / "shared" / "geo"  # the shared boundaries, used when present
DELAI_DEMARRAGE_S = 60


def port_libre() -> int:
    """A TCP port of 127.0.0.1 free at the time of asking."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lanceur(racine: Path) -> str:
    """The module that starts the dashboard: rebond_ui.serveur (`streamlit` without Nagle's delays), or plain
    `streamlit` in an older copy of the repository that has no such module (bench/ab_pages.py compares them)."""
    return "rebond_ui.serveur" if (racine / "rebond_ui" / "serveur.py").is_file() else "streamlit"


@contextmanager
def serveur_streamlit(
    chemin_base: Path,
    journal: Path | None = None,
    *,
    port: int | None = None,
    script: str = "dashboard.py",
    secrets: Path | None = None,
    racine: Path = RACINE,
) -> Iterator[str]:
    """`python -m rebond_ui.serveur run dashboard.py` (the `streamlit` command, see `lanceur`) on `chemin_base`
    (REBOND_DB; REBOND_GEO_DIR when the shared boundaries exist), its output in `journal`; yields its URL
    once healthy, then stops it (its own process group only). Raises RuntimeError with the end of the
    journal when it does not start within a minute. `port` (default: a free one), `script` (relative to
    the repository, which stays the working folder) and `secrets` (a secrets.toml given through
    Streamlit's `secrets.files` option, e.g. an `[auth]` section for authenticated mode: see
    tests/outils/oidc.py) are for the login tests. `racine`: the repository whose code runs (another copy
    of it, for bench/ab_pages.py)."""
    port = port or port_libre()
    env = {**os.environ, "REBOND_DB": str(chemin_base)}
    if GEO.is_dir():
        env["REBOND_GEO_DIR"] = str(GEO)
    with open(journal or os.devnull, "w", encoding="utf-8") as sortie:
        processus = subprocess.Popen(
            [
                sys.executable,
                "-m",
                lanceur(racine),
                "run",
                script,
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *(["--secrets.files", str(secrets)] if secrets else []),
            ],
            cwd=racine,
            env=env,
            stdout=sortie,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        echeance = time.monotonic() + DELAI_DEMARRAGE_S
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if processus.poll() is not None or time.monotonic() > echeance:
                    fin = journal.read_text(encoding="utf-8")[-3000:] if journal else ""
                    raise RuntimeError(f"Le serveur Streamlit n'a pas démarré :\n{fin}") from None
                time.sleep(0.2)
        yield url
    finally:
        if processus.poll() is None:
            os.killpg(processus.pid, signal.SIGTERM)  # the group of this one server (start_new_session)
            try:
                processus.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(processus.pid, signal.SIGKILL)
                processus.wait(timeout=10)


NAGLE_MIN_S = 0.040  # Linux's shortest delayed acknowledgement, which a response held by Nagle waits for


def assert_sans_attente_de_nagle(url: str, fichier: str) -> None:
    """The small file `fichier` (a path) fetched 12 times in a row on one kept-alive connection to `url`: one
    of the 5th to 12th comes in under 40 ms. Under Nagle each response from the second or third on took
    44 ms; a slow machine does not make all of them slower than that."""
    durees = durees_keep_alive(url, fichier)
    assert min(durees[4:]) < NAGLE_MIN_S, (url, [round(d * 1000) for d in durees])


def fichier_js(page: str) -> str:
    """The path of the last JavaScript file the page `page` (its HTML) loads: a small one."""
    fichiers = re.findall(r'"\./(static/js/[^"]+\.js)"', page)
    assert fichiers, "la page ne charge aucun fichier JavaScript"
    return "/" + fichiers[-1]


def durees_keep_alive(url: str, chemin: str, fois: int = 12) -> list[float]:
    """Seconds taken by each of `fois` GETs of `chemin` one after the other on one kept-alive connection.
    With Nagle's algorithm on the server's side, each response from the second or third on waits for the
    client's delayed acknowledgement (40 ms at least on Linux): see rebond_ui/serveur.py."""
    hote, port = url.removeprefix("http://").split(":")
    connexion = http.client.HTTPConnection(hote, int(port), timeout=30)
    durees = []
    try:
        for _ in range(fois):
            debut = time.perf_counter()
            connexion.request("GET", chemin)
            reponse = connexion.getresponse()
            reponse.read()
            assert reponse.status == 200, (chemin, reponse.status)
            durees.append(time.perf_counter() - debut)
    finally:
        connexion.close()
    return durees
