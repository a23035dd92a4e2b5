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
from collections.abc import Sequence
from pathlib import Path

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


async def premiere_page(url: str, delai_s: float = DELAI_S) -> float:
    """Open the overview once on the server at `url` (the script run to its end); its duration in seconds.
    Raises RuntimeError when the page shows an error, OSError, TimeoutError, httpx.HTTPError or
    websockets.WebSocketException when it cannot be reached."""
    debut = time.monotonic()
    async with httpx.AsyncClient(timeout=delai_s) as http:
        (await http.get(url + "/")).raise_for_status()
        cookies = "; ".join(f"{nom}={valeur}" for nom, valeur in http.cookies.items())
    adresse = url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
    async with websockets.connect(
        adresse,
        subprotocols=[Subprotocol("streamlit")],
        additional_headers={"Cookie": cookies} if cookies else {},
        max_size=None,
        open_timeout=delai_s,
    ) as ws:
        demande = BackMsg()
        demande.rerun_script.query_string = ""
        demande.rerun_script.page_script_hash = ""
        await ws.send(demande.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(ws.recv(), delai_s))
            if (erreur := _erreur(message)) is not None:
                raise RuntimeError(erreur)
            if message.WhichOneof("type") == "script_finished" and (
                message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                return time.monotonic() - debut


def _erreur(message: ForwardMsg) -> str | None:
    """What the page shows as an error (an exception, an error message, a script that does not compile)."""
    if message.WhichOneof("type") == "script_finished":
        return "le script ne compile pas" if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR else None
    if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
        return None
    element = message.delta.new_element
    if element.WhichOneof("type") == "exception":
        return f"exception {element.exception.type}"
    if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
        return f"erreur affichée : {element.alert.body[:200]}"
    return None


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
