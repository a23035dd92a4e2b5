"""rebond_ui/serveur.py: the dashboard's server answers a kept-alive connection without Nagle's 40 ms waits.

Streamlit 1.67's own listening socket leaves Nagle's algorithm on for every connection (the first test shows
the defect: when it fails, Streamlit sets TCP_NODELAY itself and the launcher can go)."""

from __future__ import annotations

import asyncio
import socket
import threading
import urllib.request
from collections.abc import Callable

import pytest
from streamlit.web.server.starlette import starlette_server

from rebond_ui import serveur
from tests.outils.serveur import assert_sans_attente_de_nagle, fichier_js

ORIGINAL = getattr(starlette_server._bind_socket, "__wrapped__", starlette_server._bind_socket)


def _nodelay(sock: socket.socket) -> bool:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def _connexion_acceptee(lier: Callable[[str, int, int], socket.socket]) -> tuple[bool, bool]:
    """TCP_NODELAY on the listening socket `lier` makes, and on a connection it accepts (asyncio, as uvicorn)."""
    ecoute = lier("127.0.0.1", 0, 8)
    acceptee: dict[str, bool] = {}
    erreurs: list[BaseException] = []

    async def scenario() -> None:
        async def accueil(_: asyncio.StreamReader, ecrivain: asyncio.StreamWriter) -> None:
            acceptee["nodelay"] = _nodelay(ecrivain.get_extra_info("socket"))
            ecrivain.close()

        serveur_asyncio = await asyncio.start_server(accueil, sock=ecoute)
        _, ecrivain = await asyncio.open_connection("127.0.0.1", ecoute.getsockname()[1])
        for _ in range(100):
            if acceptee:
                break
            await asyncio.sleep(0.01)
        ecrivain.close()
        serveur_asyncio.close()
        await serveur_asyncio.wait_closed()

    nodelay_ecoute = _nodelay(ecoute)

    # In a thread of its own: in the whole suite, the browser tests' Playwright keeps a loop running here.
    def dans_le_fil() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as erreur:  # noqa: BLE001 — rendue au test ci-dessous
            erreurs.append(erreur)

    fil = threading.Thread(target=dans_le_fil)
    fil.start()
    fil.join(30)
    assert not erreurs, erreurs
    assert "nodelay" in acceptee, "aucune connexion acceptée en 1 s"
    return nodelay_ecoute, acceptee["nodelay"]


def test_streamlit_laisse_nagle_sur_ses_connexions() -> None:
    assert _connexion_acceptee(ORIGINAL) == (False, False)


def test_le_lanceur_coupe_nagle_sur_chaque_connexion_acceptee() -> None:
    assert _connexion_acceptee(serveur.sans_nagle(ORIGINAL)) == (True, True)


def test_installer_enveloppe_une_seule_fois(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(starlette_server, "_bind_socket", ORIGINAL)  # put back after the test
    serveur.installer()
    serveur.installer()
    installe = starlette_server._bind_socket
    assert installe.__wrapped__ is ORIGINAL  # type: ignore[attr-defined]
    assert _connexion_acceptee(installe) == (True, True)


def test_le_serveur_du_tableau_de_bord_repond_sans_attente_de_nagle(serveur: str) -> None:
    """A server started as `make run` starts it (tests/outils/serveur.py: python -m rebond_ui.serveur run …):
    the small JavaScript files of a first visit follow each other on a kept-alive connection without waiting."""
    with urllib.request.urlopen(serveur + "/", timeout=30) as r:
        page = r.read().decode()
    assert_sans_attente_de_nagle(serveur, fichier_js(page))
