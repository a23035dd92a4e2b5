"""Banc de charge de Rebond : K sessions simultanées sur le protocole websocket de Streamlit (issue 13).

    .venv/bin/python bench/charge.py [--sessions 30] [--relances 5] [--pause 0.5] [--repliques 3]
                                     [--db CHEMIN | --facteur 100] [--sans-publication] [--url URL]

Chaque session fait ce que fait un navigateur, sans navigateur : un GET de la page (cookies, dont celui de
HAProxy qui fixe le lecteur), un websocket vers /_stcore/stream, puis des `BackMsg.rerun_script` : d'abord
l'ouverture de la vue d'ensemble, puis des changements du filtre « Région » de la barre latérale (l'état du
widget, comme l'envoie le navigateur ; une relance sur trois et la dernière retirent le filtre), chacune
chronométrée de l'envoi au `script_finished` du serveur. De la page reçue, elle lit la version des données
(« Données : version N » de l'en-tête), les tuiles d'indicateurs et toute erreur affichée (st.error,
exception).

Sans --url, le banc lance lui-même deux scénarios sur la même base, l'un après l'autre : 1 processus de
consultation seul (sans HAProxy), puis --repliques lecteurs derrière HAProxy (deploiement/grappe.py). Dans
chacun, une fois que chaque session a ouvert sa page, un import en ligne de commande (`python -m rebond_core
importer`, un projet ajouté) publie une nouvelle version ; la dernière relance de chaque session part après la
fin de l'import et doit montrer cette version.

Il compte comme erreur : un message d'erreur ou une exception dans la page, un script qui échoue, une relance
sans réponse en 60 s, une connexion refusée ou coupée. Il compte comme « publication à moitié vue » : une même
(version, filtre) montrée avec des tuiles différentes, une version qui recule dans une session, une relance
partie après la publication qui montre encore l'ancienne version, ou un nombre de projets (sans filtre) qui ne
croît pas exactement du projet ajouté entre l'ancienne et la nouvelle version.

Sortie : p50/p95/max des relances (ouverture et changements de filtre), erreurs, sessions par lecteur et délai
de visibilité de la publication, en tableau Markdown et dans bench/resultats/charge.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RACINE = Path(__file__).resolve().parent.parent
for chemin in (RACINE, RACINE / "deploiement"):
    if str(chemin) not in sys.path:
        sys.path.insert(0, str(chemin))

from grappe import COOKIE_NOEUD, grappe  # noqa: E402  (deploiement/grappe.py)
from rechauffer import erreur_affichee, relancer, session  # noqa: E402  (deploiement/rechauffer.py)

from rebond_core import instantanes  # noqa: E402
from rebond_core.db import Base  # noqa: E402

DELAI_MESSAGE_S = 60.0  # une relance sans réponse pendant ce temps est une erreur
FILTRE = "Région"
VERSION = re.compile(r"Données : version ([0-9]+)")
TUILE_PROJETS = "Projets détectés"
ENTETE_PROJETS = (
    "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus"
)


@dataclass
class Relance:
    """One rerun as seen by a session: when it started (monotonic clock of the bench), how long it took,
    and what the page showed."""

    session: int
    noeud: str
    rang: int
    genre: str  # "ouverture" or "filtre"
    filtre: str
    debut: float
    duree: float
    version: int | None = None
    tuiles: dict[str, str] = field(default_factory=dict)
    erreurs: list[str] = field(default_factory=list)


@dataclass
class Publication:
    """The import run during the load: the version it created, when it ended (same clock), its output."""

    version: int | None = None
    fin: float | None = None
    duree: float | None = None
    sortie: str = ""


@dataclass
class Resultat:
    scenario: str
    sessions: int
    relances: list[Relance]
    erreurs: list[str]
    publication: Publication | None
    duree_s: float
    incoherences: list[str] = field(default_factory=list)
    cpu_serveurs_s: float | None = None  # CPU time of the server processes during the load
    charge_machine: tuple[float, float] | None = None  # 1-min load average before and after (shared machine)


class _Page:
    """What one run of the script sent: the elements the bench reads."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.tuiles: dict[str, str] = {}
        self.erreurs: list[str] = []
        self.choix: dict[str, tuple[str, list[str]]] = {}  # multiselect label → (widget id, options)
        self.query_string: str | None = None

    def lire(self, message: ForwardMsg) -> None:
        if (erreur := erreur_affichee(message)) is not None:
            self.erreurs.append(erreur)
        genre = message.WhichOneof("type")
        if genre == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif genre == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            sorte = element.WhichOneof("type")
            if sorte == "markdown":
                if (trouve := VERSION.search(element.markdown.body)) is not None:
                    self.version = int(trouve.group(1))
            elif sorte == "metric":
                self.tuiles[element.metric.label] = element.metric.body
            elif sorte == "multiselect":
                self.choix[element.multiselect.label] = (element.multiselect.id, list(element.multiselect.options))


async def _relancer(ws: Any, client: BackMsg) -> _Page:
    """Send one rerun and read the page until the script has finished."""
    page = _Page()
    await relancer(ws, client, page.lire, DELAI_MESSAGE_S)
    return page


async def _session(
    url: str,
    numero: int,
    relances: int,
    pause: float,
    ouverte: Callable[[], None],
    avant_derniere: asyncio.Event | None,
    depart: float,
) -> tuple[list[Relance], list[str]]:
    """One browser session: the overview, then filter changes; the last rerun waits for `avant_derniere`."""
    vues: list[Relance] = []
    noeud = "direct"
    hasard = random.Random(numero)
    try:
        async with session(url, DELAI_MESSAGE_S, ouverture_s=30) as (ws, cookies):
            noeud = cookies.get(COOKIE_NOEUD) or "direct"
            query_string, choix = "", ""
            region: tuple[str, list[str]] | None = None
            for rang in range(relances):
                if rang == relances - 1 and avant_derniere is not None:
                    await avant_derniere.wait()
                    await asyncio.sleep(pause * hasard.uniform(0.0, 1.0))  # users do not all click at once
                client = BackMsg()
                client.rerun_script.query_string = query_string
                client.rerun_script.page_script_hash = ""
                if rang > 0 and region is not None:
                    identifiant, options = region
                    retour = rang % 3 == 0 or rang == relances - 1  # back to no filter; the last one always
                    choix = "" if retour or not options else options[(numero * 7 + rang) % len(options)]
                    etat = client.rerun_script.widget_states.widgets.add()
                    etat.id = identifiant
                    etat.string_array_value.data.extend([choix] if choix else [])
                debut = time.monotonic()
                page = await _relancer(ws, client)
                duree = time.monotonic() - debut
                vues.append(
                    Relance(
                        numero,
                        noeud,
                        rang,
                        "ouverture" if rang == 0 else "filtre",
                        choix,
                        debut - depart,
                        duree,
                        page.version,
                        page.tuiles,
                        page.erreurs,
                    )
                )
                if page.query_string is not None:
                    query_string = page.query_string
                region = page.choix.get(FILTRE, region)
                if rang == 0:
                    ouverte()
                    if region is None:
                        return vues, [f"session {numero} ({noeud}) : filtre « {FILTRE} » absent de la page"]
                if pause and rang < relances - 1:  # reading the page: pause × 0.5 to 1.5, not in step
                    await asyncio.sleep(pause * hasard.uniform(0.5, 1.5))
    except (OSError, TimeoutError, httpx.HTTPError, websockets.WebSocketException) as erreur:
        return vues, [f"session {numero} ({noeud}) : {type(erreur).__name__} {erreur}"]
    return vues, []


def charger(
    url: str,
    sessions: int = 30,
    relances: int = 5,
    pause: float = 0.5,
    publier: Callable[[], Publication] | None = None,
    scenario: str = "",
) -> Resultat:
    """Run `sessions` simultaneous sessions against `url`; when `publier` is given, call it (in a thread)
    once every session has opened its page, and start each session's last rerun after it has returned."""
    return asyncio.run(_charger(url, sessions, relances, pause, publier, scenario))


async def _charger(
    url: str,
    sessions: int,
    relances: int,
    pause: float,
    publier: Callable[[], Publication] | None,
    scenario: str,
) -> Resultat:
    boucle = asyncio.get_running_loop()
    depart = time.monotonic()
    ouvertes = 0
    toutes_ouvertes = asyncio.Event()
    publiee = asyncio.Event() if publier is not None else None

    def ouverte() -> None:
        nonlocal ouvertes
        ouvertes += 1
        if ouvertes == sessions:
            toutes_ouvertes.set()

    async def publication() -> Publication | None:
        if publier is None or publiee is None:
            return None
        try:
            await asyncio.wait_for(toutes_ouvertes.wait(), 10 * DELAI_MESSAGE_S)
        except TimeoutError:
            pass  # some session failed before opening: publish anyway, the others wait for it
        try:
            resultat = await boucle.run_in_executor(None, publier)
            resultat.fin = (resultat.fin or time.monotonic()) - depart
            return resultat
        finally:
            publiee.set()

    tache_publication = asyncio.create_task(publication())
    par_session = await asyncio.gather(
        *(_session(url, n, relances, pause, ouverte, publiee, depart) for n in range(sessions))
    )
    publie = await tache_publication
    vues = [v for session_vues, _ in par_session for v in session_vues]
    erreurs = [e for _, session_erreurs in par_session for e in session_erreurs]
    erreurs += [f"session {v.session} ({v.noeud}) relance {v.rang} : {e}" for v in vues for e in v.erreurs]
    if publie is not None and publie.version is None:
        erreurs.append(f"l'import pendant la charge n'a pas créé de version : {publie.sortie[-500:]}")
    resultat = Resultat(scenario, sessions, vues, erreurs, publie, time.monotonic() - depart)
    resultat.incoherences = incoherences(resultat)
    return resultat


def cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (from /proc; 0 for one that has ended)."""
    total = 0.0
    for pid in pids:
        try:
            champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(champs[11]) + int(champs[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def _nombre(texte: str) -> int | None:
    chiffres = re.sub(r"[^0-9]", "", texte)
    return int(chiffres) if chiffres else None


def incoherences(resultat: Resultat) -> list[str]:
    """Every sign of a half-seen publish (see the module's docstring)."""
    trouvees: list[str] = []
    vues_par_cle: dict[tuple[int | None, str], set[tuple[tuple[str, str], ...]]] = defaultdict(set)
    for vue in resultat.relances:
        if vue.tuiles:
            vues_par_cle[(vue.version, vue.filtre)].add(tuple(sorted(vue.tuiles.items())))
        if vue.version is None and not vue.erreurs:
            trouvees.append(f"session {vue.session} relance {vue.rang} : version des données absente de la page")
    for (version, filtre), tuiles in vues_par_cle.items():
        if len(tuiles) > 1:
            trouvees.append(
                f"version {version}, filtre « {filtre or 'aucun'} » : {len(tuiles)} jeux de tuiles différents"
            )
    par_session: dict[int, list[Relance]] = defaultdict(list)
    for vue in resultat.relances:
        par_session[vue.session].append(vue)
    for numero, vues in par_session.items():
        versions = [v.version for v in sorted(vues, key=lambda v: v.rang) if v.version is not None]
        if versions != sorted(versions):
            trouvees.append(f"session {numero} : la version recule ({versions})")
    publication = resultat.publication
    if publication is not None and publication.version is not None and publication.fin is not None:
        for vue in resultat.relances:
            if vue.debut >= publication.fin and vue.version is not None and vue.version < publication.version:
                trouvees.append(
                    f"session {vue.session} ({vue.noeud}) : relance partie {vue.debut - publication.fin:.2f} s après "
                    f"la publication de la version {publication.version}, montre la version {vue.version}"
                )
        projets: dict[int, set[int | None]] = defaultdict(set)
        for vue in resultat.relances:
            if vue.version is not None and not vue.filtre and TUILE_PROJETS in vue.tuiles:
                projets[vue.version].add(_nombre(vue.tuiles[TUILE_PROJETS]))
        avant = projets.get(publication.version - 1, set())
        apres = projets.get(publication.version, set())
        if len(avant) == 1 and len(apres) == 1:
            (n_avant,), (n_apres,) = avant, apres
            if n_avant is None or n_apres != n_avant + 1:
                trouvees.append(f"projets : {n_avant} avant la publication, {n_apres} après (un seul ajouté)")
    return trouvees


def centile(valeurs: list[float], q: float) -> float:
    """The q-th percentile (0–100), inclusive method; the value itself for a single one."""
    if len(valeurs) == 1:
        return valeurs[0]
    return statistics.quantiles(valeurs, n=100, method="inclusive")[round(q) - 1]


def resume(resultat: Resultat) -> dict[str, Any]:
    """p50/p95/max per kind of rerun and overall, errors, sessions per node, publish visibility."""
    sortie: dict[str, Any] = {
        "scenario": resultat.scenario,
        "sessions": resultat.sessions,
        "relances": len(resultat.relances),
        "erreurs": len(resultat.erreurs),
        "incoherences": len(resultat.incoherences),
        "duree_s": round(resultat.duree_s, 1),
        "cpu_serveurs_s": None if resultat.cpu_serveurs_s is None else round(resultat.cpu_serveurs_s, 1),
        "charge_machine": resultat.charge_machine,
        "cpu_par_relance_s": None
        if resultat.cpu_serveurs_s is None or not resultat.relances
        else round(resultat.cpu_serveurs_s / len(resultat.relances), 3),
    }
    for genre in ("ouverture", "filtre", None):
        durees = [v.duree for v in resultat.relances if genre is None or v.genre == genre]
        if durees:
            sortie[genre or "toutes"] = {
                "n": len(durees),
                "p50_s": round(centile(durees, 50), 3),
                "p95_s": round(centile(durees, 95), 3),
                "max_s": round(max(durees), 3),
            }
    noeuds: dict[str, set[int]] = defaultdict(set)
    for vue in resultat.relances:
        noeuds[vue.noeud].add(vue.session)
    sortie["sessions_par_noeud"] = {n: len(s) for n, s in sorted(noeuds.items())}
    publication = resultat.publication
    if publication is not None and publication.fin is not None and publication.version is not None:
        # Per reader: the longest wait, over its sessions, from the end of the import to the end of the
        # session's first rerun started after it (which shows the new version, or it is an incoherence).
        premieres: dict[int, Relance] = {}
        for vue in sorted(resultat.relances, key=lambda v: v.debut):
            if vue.debut >= publication.fin:
                premieres.setdefault(vue.session, vue)
        visible: dict[str, float] = {}
        for vue in premieres.values():
            attente = vue.debut + vue.duree - publication.fin
            visible[vue.noeud] = max(visible.get(vue.noeud, 0.0), attente)
        sortie["publication"] = {
            "version": publication.version,
            "import_s": round(publication.duree or 0.0, 2),
            "visible_apres_s_par_noeud": {n: round(d, 2) for n, d in sorted(visible.items())},
        }
    return sortie


# --- the import run during the load ----------------------------------------------------------------


def importeur(chemin_base: Path, dossier: Path) -> Callable[[], Publication]:
    """A callable that imports, from the command line, one new project into an existing territory of the
    base (read from its current snapshot), and reports the version it created."""
    compteur = [0]
    verrou = threading.Lock()

    def importer() -> Publication:
        with verrou:
            compteur[0] += 1
            rang = compteur[0]
        instantane = instantanes.courant(instantanes.dossier(chemin_base))
        lue = Base.ouvrir(instantane or chemin_base, lecture_seule=True)
        try:
            territoire = lue.scalaire(
                "select min(code_territoire) from territoires_a($v)", {"v": lue.version_courante()}
            )
        finally:
            lue.fermer()
        fichier = dossier / f"import-{rang}" / "projets.csv"  # the file's name says its table
        fichier.parent.mkdir(parents=True, exist_ok=True)
        identifiant = f"PRJ-charge-{int(time.time())}-{rang}"
        fichier.write_text(
            f"{ENTETE_PROJETS}\r\n{identifiant};{territoire};Projet du banc de charge;Banc;automobile;endogene;"
            "identifie;1 000 000;3\r\n",
            encoding="utf-8",
        )
        debut = time.monotonic()
        commande = [sys.executable, "-m", "rebond_core", "importer", str(fichier), "--db", str(chemin_base)]
        fait = subprocess.run([*commande, "--auteur", "banc"], cwd=RACINE, capture_output=True, text=True)
        fin = time.monotonic()
        trouve = re.search(r"version ([0-9]+) créée", fait.stdout)
        return Publication(
            int(trouve.group(1)) if trouve and fait.returncode == 0 else None,
            fin,
            fin - debut,
            fait.stdout + fait.stderr,
        )

    return importer


# --- the two scenarios -----------------------------------------------------------------------------


def tableau(resumes: list[dict[str, Any]]) -> str:
    lignes = [
        "| Scénario | Sessions | Relances | Ouverture p50 / p95 / max (s) | Filtre p50 / p95 / max (s) | "
        "Toutes p50 / p95 / max (s) | Erreurs | Incohérences | Sessions par lecteur | Publication visible après (s) | "
        "CPU serveurs par relance (s) | Charge de la machine avant → après |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in resumes:

        def triplet(cle: str, r: dict[str, Any] = r) -> str:
            m = r.get(cle)
            return f"{m['p50_s']:.2f} / {m['p95_s']:.2f} / {m['max_s']:.2f}" if m else "—"

        publication = r.get("publication", {}).get("visible_apres_s_par_noeud", {})
        visible = ", ".join(f"{n} {d:.1f}" for n, d in publication.items()) or "—"
        noeuds = ", ".join(f"{n} {k}" for n, k in r["sessions_par_noeud"].items())
        charge = "{:.1f} → {:.1f}".format(*r["charge_machine"]) if r.get("charge_machine") else "—"
        lignes.append(
            f"| {r['scenario']} | {r['sessions']} | {r['relances']} | {triplet('ouverture')} | {triplet('filtre')} | "
            f"{triplet('toutes')} | {r['erreurs']} | {r['incoherences']} | {noeuds} | {visible} | "
            f"{r['cpu_par_relance_s'] if r['cpu_par_relance_s'] is not None else '—'} | {charge} |"
        )
    return "\n".join(lignes)


def _base_de_travail(args: argparse.Namespace, dossier: Path) -> Path:
    """The base the bench loads: a copy of --db, else of the ×facteur base of bench/pages.py, else a new
    demonstration base (the copy is imported into: the bench never writes the original)."""
    if args.db:
        source = Path(args.db)
    elif args.facteur > 1:
        from pages import preparer_bases  # bench/pages.py: the ×facteur base, made once and kept

        source = preparer_bases(args.sortie, args.facteur)["grande"]
    else:
        from rebond_core.creation import creer_base

        source = dossier / "demo.duckdb"
        creer_base(source, demo=True).fermer()
    chemin = dossier / "charge.duckdb"
    shutil.copyfile(source, chemin)
    return chemin


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    analyseur.add_argument("--sessions", type=int, default=30, help="sessions simultanées (30)")
    analyseur.add_argument("--relances", type=int, default=5, help="relances par session, ouverture comprise (5)")
    analyseur.add_argument(
        "--pause", type=float, default=0.5, help="lecture de la page entre deux relances, en secondes (±50 %%)"
    )
    analyseur.add_argument("--repliques", type=int, default=3, help="lecteurs derrière HAProxy (3)")
    analyseur.add_argument("--db", default=None, help="base à copier et charger (sinon une base de démonstration)")
    analyseur.add_argument("--facteur", type=int, default=1, help="la base ×facteur de bench/pages.py (1 : démo)")
    analyseur.add_argument("--sans-publication", action="store_true", help="pas d'import pendant la charge")
    analyseur.add_argument("--sans-prechauffage", action="store_true", help="serveurs froids (modules, caches)")
    analyseur.add_argument("--url", default=None, help="charger ce serveur déjà lancé (sans import)")
    analyseur.add_argument("--port", type=int, default=8650, help="premier port utilisé par le banc (8650)")
    analyseur.add_argument("--sortie", type=Path, default=RACINE / "bench" / "resultats")
    args = analyseur.parse_args(argv)
    sys.path.insert(0, str(RACINE / "bench"))
    resultats: list[Resultat] = []
    if args.url:
        resultats.append(charger(args.url, args.sessions, args.relances, args.pause, scenario=args.url))
    else:
        with tempfile.TemporaryDirectory(prefix="rebond-charge-") as temporaire:
            dossier = Path(temporaire)
            chemin = _base_de_travail(args, dossier)
            publier = None if args.sans_publication else importeur(chemin, dossier)
            for repliques, nom in ((1, "1 processus"), (args.repliques, f"{args.repliques} lecteurs + HAProxy")):
                with grappe(  # warmed by default: modules imported, overview cached (deploiement/rechauffer.py)
                    chemin,
                    repliques,
                    args.port,
                    dossier=dossier / f"grappe-{repliques}",
                    rechauffer_lecteurs=not args.sans_prechauffage,
                ) as g:
                    cible = g.repliques["s1"] if repliques == 1 else g.url  # 1 processus : sans HAProxy
                    print(f"{nom} : {args.sessions} sessions × {args.relances} relances sur {cible}…", flush=True)
                    pids = [p.popen.pid for p in g.processus]
                    avant, charge_avant = cpu_s(pids), os.getloadavg()[0]
                    resultat = charger(cible, args.sessions, args.relances, args.pause, publier, nom)
                    resultat.cpu_serveurs_s = cpu_s(pids) - avant
                    resultat.charge_machine = (charge_avant, os.getloadavg()[0])
                    resultats.append(resultat)
    resumes = [resume(r) for r in resultats]
    print(tableau(resumes))
    for r in resultats:
        for ligne in (r.erreurs + r.incoherences)[:20]:
            print(f"  {r.scenario} : {ligne}")
    args.sortie.mkdir(parents=True, exist_ok=True)
    (args.sortie / "charge.json").write_text(
        json.dumps(
            {
                "parametres": {k: str(v) for k, v in vars(args).items()},
                "resumes": resumes,
                "relances": [[asdict(v) for v in r.relances] for r in resultats],
                "erreurs": [r.erreurs + r.incoherences for r in resultats],
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return 1 if any(r.erreurs or r.incoherences for r in resultats) else 0


if __name__ == "__main__":
    sys.exit(main())
