"""Réchauffer un serveur du tableau de bord avant qu'il ne reçoive ses premiers utilisateurs (issue 13).

    .venv/bin/python deploiement/rechauffer.py URL [URL …]

Un processus Streamlit neuf importe le code des pages (pandas, plotly, DuckDB…), ouvre la publication et
remplit ses caches à la première page ouverte : 3,5 à 3,9 s pour le premier visiteur, au lieu d'environ
2 s ensuite. Ce module ouvre la vue d'ensemble une fois sur chaque serveur, comme un navigateur sans
navigateur : un GET de la page, puis le websocket de Streamlit et une exécution du script jusqu'à sa fin.
`deploiement/grappe.py` le fait pour chaque lecteur avant de lancer HAProxy ; sur plusieurs machines, le
lancer après le démarrage de chaque processus, avant de l'ajouter au répartiteur. En mode authentifié, une
session sans connexion ne voit que la page de connexion : seul le code est alors chargé, pas les caches.
Sortie : la durée de la première page de chaque serveur ; code 1 si une page n'a pas pu s'ouvrir ou
affiche une erreur."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Subprotocol

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

from rebond_core import formats  # noqa: E402

DELAI_S = 120.0  # au-delà, le serveur est réputé ne pas répondre


@asynccontextmanager
async def session(
    url: str, delai_s: float = DELAI_S, ouverture_s: float | None = None
) -> AsyncIterator[tuple[Any, dict[str, str]]]:
    """A browser session without a browser: a GET of the page (its cookies, HAProxy's among them, so that
    the websocket goes to the same server), then Streamlit's websocket, opened within `ouverture_s`
    (default `delai_s`). Yields the websocket and the cookies. Raises OSError, TimeoutError,
    httpx.HTTPError or websockets.WebSocketException."""
    async with httpx.AsyncClient(timeout=delai_s) as http:
        (await http.get(url + "/")).raise_for_status()
        cookies = dict(http.cookies.items())
    adresse = url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
    entete = "; ".join(f"{nom}={valeur}" for nom, valeur in cookies.items())
    async with websockets.connect(
        adresse,
        subprotocols=[Subprotocol("streamlit")],
        additional_headers={"Cookie": entete} if entete else {},
        max_size=None,
        open_timeout=ouverture_s or delai_s,
    ) as ws:
        yield ws, cookies


async def relancer(ws: Any, demande: BackMsg, lire: Callable[[ForwardMsg], None], delai_s: float = DELAI_S) -> None:
    """Send one rerun and hand each message to `lire` until the script has finished (not for a rerun)."""
    await ws.send(demande.SerializeToString())
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(ws.recv(), delai_s))
        lire(message)
        if message.WhichOneof("type") == "script_finished" and (
            message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN  # st.rerun(): the next run follows
        ):
            return


def erreur_affichee(message: ForwardMsg) -> str | None:
    """What a message shows a person as an error: an exception, an error message, a missing page, a script
    that does not compile."""
    genre = message.WhichOneof("type")
    if genre == "page_not_found":
        return "page introuvable"
    if genre == "script_finished":
        return (
            "le script de la page ne compile pas"
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
            else None
        )
    if genre != "delta" or message.delta.WhichOneof("type") != "new_element":
        return None
    element = message.delta.new_element
    if element.WhichOneof("type") == "exception":
        return f"exception : {element.exception.type} {element.exception.message[:300]}"
    if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
        return element.alert.body[:300]
    return None


async def premiere_page(url: str, delai_s: float = DELAI_S) -> float:
    """Open the overview once on the server at `url` (the script run to its end); its duration in seconds.
    Raises RuntimeError when the page shows an error, OSError, TimeoutError, httpx.HTTPError or
    websockets.WebSocketException when it cannot be reached."""
    debut = time.monotonic()
    erreurs: list[str] = []
    async with session(url, delai_s) as (ws, _):
        demande = BackMsg()
        demande.rerun_script.query_string = ""
        demande.rerun_script.page_script_hash = ""
        await relancer(ws, demande, lambda m: erreurs.extend(filter(None, [erreur_affichee(m)])), delai_s)
    if erreurs:
        raise RuntimeError(f"erreur affichée : {erreurs[0]}")
    return time.monotonic() - debut


def rechauffer(urls: Sequence[str], delai_s: float = DELAI_S) -> dict[str, float | str]:
    """The first page of each server, all at once: URL → seconds, or the French reason it failed."""

    async def une(url: str) -> float | str:
        try:
            return await premiere_page(url, delai_s)
        except (OSError, TimeoutError, RuntimeError, httpx.HTTPError, websockets.WebSocketException) as erreur:
            return f"première page impossible ({type(erreur).__name__} : {erreur})"

    async def toutes() -> list[float | str]:
        return list(await asyncio.gather(*(une(url) for url in urls)))

    return dict(zip(urls, asyncio.run(toutes()), strict=True))


def main(argv: Sequence[str] | None = None) -> int:
    urls = [u.rstrip("/") for u in (sys.argv[1:] if argv is None else argv)]
    if not urls:
        print(__doc__.split("\n\n")[1].strip())
        return 2
    resultats = rechauffer(urls)
    for url, resultat in resultats.items():
        texte = resultat if isinstance(resultat, str) else f"première page en {formats.nombre(resultat, 1)} s"
        print(f"{url} : {texte}")
    return 0 if all(isinstance(r, float) for r in resultats.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
