"""Rebond à plusieurs processus sur une machine, en une commande (`make grappe`) : N serveurs de consultation
(lecteurs, REBOND_IMPORT=desactive) derrière HAProxy avec sessions collantes, et un atelier (import et
restauration) à part.

    .venv/bin/python deploiement/grappe.py [--repliques 3] [--port 8600] [--db CHEMIN] [--sans-atelier]

Les lecteurs lisent la publication courante de la base (rebond_core/instantanes.py : CURRENT, relu à chaque
relance) ; ils ne tiennent jamais la base de travail. L'atelier, lui, la tient en écriture dès qu'une page
l'ouvre : DuckDB n'admet qu'un processus écrivain, donc un import en ligne de commande est refusé tant que
l'atelier tourne (message « utilisée par un autre processus »). Pour importer en ligne de commande pendant que
les lecteurs servent, lancez la grappe avec --sans-atelier (`make grappe ATELIER=non`).

Ctrl-C (ou SIGTERM) arrête tout ce que la commande a lancé, et rien d'autre : chaque processus est arrêté par
son propre numéro (son groupe de processus, créé à son lancement).

Le module sert aussi aux tests et au banc de charge : `grappe(...)` est un gestionnaire de contexte."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

RACINE = Path(__file__).resolve().parent.parent
for _chemin in (RACINE, RACINE / "deploiement"):  # rebond_core, and rechauffer.py beside this file
    if str(_chemin) not in sys.path:
        sys.path.insert(0, str(_chemin))

from rechauffer import rechauffer  # noqa: E402

from rebond_core import formats, instantanes  # noqa: E402
from rebond_core.config import chemin_base  # noqa: E402
from rebond_core.db import Base  # noqa: E402

MODELE_HAPROXY = Path(__file__).with_name("haproxy.cfg.modele")
DELAI_DEMARRAGE_S = 90
COOKIE_NOEUD = "REBOND_NODE"


@dataclass
class Processus:
    nom: str
    popen: subprocess.Popen[bytes]
    journal: Path


@dataclass
class Grappe:
    """What `grappe()` started: the public URL (HAProxy), each reader's own URL (node name → URL), the
    workshop's URL (None without it), and the folder of the HAProxy configuration and the logs."""

    url: str
    repliques: dict[str, str]
    atelier: str | None
    dossier: Path
    processus: list[Processus] = field(default_factory=list)
    premieres_pages: dict[str, float] = field(default_factory=dict)  # node name → seconds (rechauffer.py)


def haproxy() -> str | None:
    """The haproxy executable (Debian package `haproxy`), or None."""
    return shutil.which("haproxy") or next(
        (c for c in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(c, os.X_OK)), None
    )


def configuration_haproxy(ecoute: str, serveurs: dict[str, str]) -> str:
    """The HAProxy configuration of the model for `ecoute` (address:port) and the readers (node → host:port)."""
    lignes = "\n".join(f"  server {nom} {adresse} check cookie {nom}" for nom, adresse in serveurs.items())
    return Template(MODELE_HAPROXY.read_text(encoding="utf-8")).substitute(ecoute=ecoute, serveurs=lignes)


def assurer_publication(chemin: Path) -> Path:
    """The current snapshot of the base, published now when there is none yet (a base made before snapshots)."""
    courant = instantanes.courant(instantanes.dossier(chemin))
    if courant is not None:
        return courant
    base = Base.ouvrir(chemin, lecture_seule=True)
    try:
        return instantanes.publier(base, chemin)
    finally:
        base.fermer()


def _streamlit(port: int, env: dict[str, str], journal: Path) -> subprocess.Popen[bytes]:
    with open(journal, "wb") as sortie:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rebond_ui.serveur",  # `streamlit` without Nagle's 40 ms waits (rebond_ui/serveur.py)
                "run",
                "dashboard.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=RACINE,
            env=env,
            stdout=sortie,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped alone, by its number
        )


def _attendre(url: str, processus: Processus, echeance: float) -> None:
    while True:
        try:
            if urllib.request.urlopen(url, timeout=2).read().strip() == b"ok":
                return
        except OSError:
            pass
        if processus.popen.poll() is not None or time.monotonic() > echeance:
            fin = processus.journal.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"{processus.nom} n'a pas démarré ({url}) :\n{fin}")
        time.sleep(0.2)


def arreter(processus: list[Processus]) -> None:
    """Stop each process started here, by its own number (its process group), TERM then KILL."""
    for p in processus:
        if p.popen.poll() is None:
            try:
                os.killpg(p.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for p in processus:
        try:
            p.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.popen.wait(timeout=10)


@contextmanager
def grappe(
    chemin: Path,
    repliques: int = 3,
    port: int = 8600,
    ports: Sequence[int] | None = None,
    port_atelier: int | None = None,
    dossier: Path | None = None,
    env: dict[str, str] | None = None,
    rechauffer_lecteurs: bool = True,
) -> Iterator[Grappe]:
    """Start the readers (on `ports`, default port+1…), HAProxy on `port`, and the workshop on
    `port_atelier` (None: no workshop), all on 127.0.0.1; yield once every one answers its health check;
    stop them all at the end. `env`: extra environment of the servers. `rechauffer_lecteurs`: each reader
    opens the overview once before HAProxy starts (deploiement/rechauffer.py), so that no user meets a
    cold process. Raises RuntimeError (French) when HAProxy is missing or a server does not start."""
    executable = haproxy()
    if executable is None:
        raise RuntimeError("HAProxy est introuvable : installez le paquet Debian `haproxy` (apt-get install haproxy).")
    chemin = chemin.resolve()
    assurer_publication(chemin)
    ports = list(ports) if ports is not None else [port + 1 + i for i in range(repliques)]
    with ExitStack() as pile:
        if dossier is None:
            dossier = Path(pile.enter_context(tempfile.TemporaryDirectory(prefix="rebond-grappe-")))
        dossier.mkdir(parents=True, exist_ok=True)
        commun = {**os.environ, **(env or {}), "REBOND_DB": str(chemin)}
        commun.pop("REBOND_IMPORT", None)
        lecteur = {**commun, "REBOND_IMPORT": "desactive"}
        lecteur.setdefault(instantanes.THREADS, "1")
        lecteur.setdefault(instantanes.MEMOIRE, "1GB")
        adresses = {f"s{i + 1}": f"127.0.0.1:{ports[i]}" for i in range(repliques)}
        config = dossier / "haproxy.cfg"
        config.write_text(configuration_haproxy(f"127.0.0.1:{port}", adresses), encoding="utf-8")
        lances: list[Processus] = []
        pile.callback(arreter, lances)
        for nom, adresse in adresses.items():
            journal = dossier / f"lecteur-{nom}.log"
            lances.append(
                Processus(f"Lecteur {nom}", _streamlit(int(adresse.rsplit(":", 1)[1]), lecteur, journal), journal)
            )
        if port_atelier is not None:
            journal = dossier / "atelier.log"
            lances.append(Processus("Atelier", _streamlit(port_atelier, commun, journal), journal))
        echeance = time.monotonic() + DELAI_DEMARRAGE_S
        urls = {nom: f"http://{adresse}" for nom, adresse in adresses.items()}
        sante = [*urls.values(), *([f"http://127.0.0.1:{port_atelier}"] if port_atelier else [])]
        for p, url in zip(lances, sante, strict=True):
            _attendre(f"{url}/_stcore/health", p, echeance)
        premieres_pages: dict[str, float] = {}
        if rechauffer_lecteurs:
            for (nom, url), resultat in zip(urls.items(), rechauffer(list(urls.values())).values(), strict=True):
                if isinstance(resultat, str):
                    raise RuntimeError(f"Lecteur {nom} ({url}) : {resultat}")
                premieres_pages[nom] = resultat
        # HAProxy once every reader answers: its first health checks find them all up.
        echeance = time.monotonic() + DELAI_DEMARRAGE_S  # its own delay, whatever the warm-up took
        journal = dossier / "haproxy.log"
        with open(journal, "wb") as sortie:
            proxy = subprocess.Popen(
                [executable, "-f", str(config), "-db"],
                stdout=sortie,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        lances.append(Processus("HAProxy", proxy, journal))
        _attendre(f"http://127.0.0.1:{port}/_stcore/health", lances[-1], echeance)
        yield Grappe(
            f"http://127.0.0.1:{port}",
            urls,
            f"http://127.0.0.1:{port_atelier}" if port_atelier else None,
            dossier,
            lances,
            premieres_pages,
        )


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="Rebond : N lecteurs derrière HAProxy et un atelier, ici.")
    analyseur.add_argument("--repliques", type=int, default=3, help="serveurs de consultation (3)")
    analyseur.add_argument("--port", type=int, default=8600, help="port public, celui de HAProxy (8600)")
    analyseur.add_argument("--port-atelier", type=int, default=8610, help="port de l'atelier (8610)")
    analyseur.add_argument("--sans-atelier", action="store_true", help="pas d'atelier : import en ligne de commande")
    analyseur.add_argument("--db", default=None, help="base de travail (sinon $REBOND_DB, sinon data/rebond.duckdb)")
    args = analyseur.parse_args(argv)
    chemin = chemin_base(args.db)
    if not chemin.exists():
        print(f"Base introuvable : {chemin}. Créez-la avec « make base » ou « python -m rebond_core init ».")
        return 2
    arret = False

    def signal_recu(_numero: int, _pile: object) -> None:
        nonlocal arret
        arret = True

    signal.signal(signal.SIGTERM, signal_recu)
    signal.signal(signal.SIGINT, signal_recu)
    dossier = Path(tempfile.mkdtemp(prefix="rebond-grappe-"))
    try:
        with grappe(
            chemin,
            args.repliques,
            args.port,
            port_atelier=None if args.sans_atelier else args.port_atelier,
            dossier=dossier,
        ) as g:
            print(f"Consultation (HAProxy, {args.repliques} lecteurs) : {g.url}")
            for nom, url in g.repliques.items():
                duree = formats.nombre(g.premieres_pages[nom], 1)
                print(f"  lecteur {nom} : {url} (réchauffé : première page en {duree} s)")
            if g.atelier:
                print(
                    f"Atelier (import, restauration ; tant qu'il tient la base, un import en ligne de commande "
                    f"est refusé) : {g.atelier}"
                )
            else:
                print(f"Import en ligne de commande : .venv/bin/python -m rebond_core importer FICHIERS --db {chemin}")
            print(f"Publication courante : {instantanes.courant(instantanes.dossier(chemin))}")
            print(f"Journaux et configuration HAProxy : {dossier}")
            print("Ctrl-C pour tout arrêter.")
            while not arret:
                if any(p.popen.poll() is not None for p in g.processus):
                    morts = [p.nom for p in g.processus if p.popen.poll() is not None]
                    print(f"Arrêt : {', '.join(morts)} s'est arrêté (voir {dossier}).")
                    return 1
                time.sleep(0.5)
    except RuntimeError as erreur:
        print(erreur, file=sys.stderr)
        return 1
    print("Grappe arrêtée.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
