"""The `streamlit` command, with Nagle's algorithm off on the server's connections.

    python -m rebond_ui.serveur run dashboard.py [options of `streamlit run`]

Streamlit 1.67 binds its listening socket itself (`starlette_server._bind_socket`) with
`socket.socket(family=…)`, so the socket's protocol number is 0 and asyncio, which sets TCP_NODELAY only on
sockets whose protocol is TCP (6), leaves Nagle's algorithm on for every connection it accepts. On a kept-alive
connection the body of a response then waits for the browser's delayed acknowledgement of the previous packet
(40 ms at least on Linux): measured here, from the second or third static file on a connection, each took
44 ms instead of 1. A first visit loads about 120 JavaScript files (about 60 before the page can connect),
six connections at a time: the overview's first appearance took 0,2 s more, and each rerun 0,1 s more (its
websocket messages were held the same way; bench/README.md, "Cinquième passe").

TCP_NODELAY set on the listening socket is inherited by the sockets it accepts (Linux), which is what this
launcher does before handing over to Streamlit's own command line. Everything else is `streamlit` unchanged:
`make run`, `make grappe` and the test and bench servers start the dashboard through here."""

from __future__ import annotations

import functools
import socket
import sys
from collections.abc import Callable

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

Lier = Callable[[str, int, int], socket.socket]


def sans_nagle(lier: Lier) -> Lier:
    """`lier` (Streamlit's socket binding), then TCP_NODELAY on the socket it returns."""

    @functools.wraps(lier)
    def lier_sans_nagle(address: str, port: int, backlog: int) -> socket.socket:
        sock = lier(address, port, backlog)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    return lier_sans_nagle


def installer() -> None:
    """Wraps Streamlit's socket binding once (a second call changes nothing)."""
    if not hasattr(starlette_server._bind_socket, "__wrapped__"):
        starlette_server._bind_socket = sans_nagle(starlette_server._bind_socket)  # type: ignore[assignment]


def main() -> None:
    installer()
    sys.argv[0] = "streamlit"
    cli.main()


if __name__ == "__main__":
    main()
