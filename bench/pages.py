"""Temps des pages de Rebond dans un vrai navigateur, sur la démonstration et sur la base × facteur, et
où passe ce temps (issue 13 : première apparition de la vue d'ensemble, relance après un changement de filtre).

Appelé par `bench/bench.py --pages` (ou directement : `.venv/bin/python bench/pages.py [--facteur 100]`).

1. Bases : la démonstration (`creer_base(…, demo=True)`) et la grande base, importée des CSV de
   `bench/resultats/donnees` dans une base vide (`creer_base(…, demo=False)` puis `importer`). Les deux
   fichiers restent dans `bench/resultats/bases/` et sont réutilisés tant que les CSV n'ont pas changé.
2. Pour chaque base et chaque tour (`--tours`, 3 par défaut), un serveur Streamlit neuf (`python -m
   rebond_ui.serveur run dashboard.py`, REBOND_DB, REBOND_GEO_DIR) — donc des caches serveur froids — chronométré
   de l'intérieur par `bench/chrono/sitecustomize.py` (chaque exécution du script : durée, temps des figures
   plotly et des tableaux, taille des messages par type d'élément) ; puis, dans Chromium (Playwright),
   chaque « premier chargement » dans un nouveau contexte (cache du navigateur vide : le JavaScript de
   Streamlit et de plotly est retéléchargé et recompilé) :
   - vue d'ensemble `/`, premier chargement, serveur froid puis serveur déjà servi (le chiffre de l'issue),
     puis rechargement de la page dans le même contexte (cache du navigateur chaud, nouvelle session) ;
   - vue d'ensemble, relance après le choix d'une région dans le filtre « Région » de la barre latérale
     (deux régions différentes par tour, jamais vues par ce serveur : cache froid ; le chiffre de l'issue),
     et le retour sans filtre en retirant la région (touche Retour arrière ; cache chaud) ;
   - fiche `/territoire?territoire=CODE`, premier chargement (territoire jamais ouvert) ;
   - fiche, relance après le choix d'un statut dans le filtre « Statut » du tableau des projets
     (données en cache : filtrage pandas et rendu) et après le choix d'un autre territoire dans la
     liste « Territoire » (cache froid).
3. Une page est « complète » quand l'application est connectée, le script a fini
   (`data-test-script-state='notRunning'`), le pied de page « Sources : AMI » est affiché, plus aucun
   élément `stSkeleton` ne reste et chaque graphique (rebond_ui/graphiques.py) montre la dernière figure
   envoyée (`data-dessine` = `data-demande`) ; elle est « stable » quand, complète, plus rien n'y bouge pendant
   CALME_MS (aucune modification du DOM, aucune longue tâche du navigateur) : l'instant retenu est la
   dernière activité. Premier chargement : du début de la navigation à la page stable. Relance : du clic
   (pointerdown) ou de la touche qui change la valeur à la page stable. Chaque mesure est découpée en
   « avant le script » (→ début de l'exécution côté serveur : chargement de la page et du JavaScript, ou
   envoi de la demande), « script serveur » (durée des exécutions, dont figures plotly → JSON, tableaux →
   Arrow, hachage des messages par Streamlit), « après le script » (fin de la dernière exécution → page
   stable : envoi et dessin), avec les octets reçus par la WebSocket et le temps des longues tâches
   (≥ 50 ms) du navigateur.
4. Profil (sauf `--sans-profil`) : un serveur de plus, sur la grande base, sous cProfile et non compté
   dans les mesures : les exécutions du script d'un premier chargement de la vue d'ensemble (serveur
   déjà servi) et d'une relance après choix d'une région, résumées par fonction du projet et grands postes
   des bibliothèques (`profil_pages.txt`).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
sys.path.insert(0, str(RACINE / "bench"))

from rapport import ms, tableau, verdict  # noqa: E402  (bench/rapport.py)

from rebond_core.formats import VIDE  # noqa: E402
from tests.outils.navigateur import ARGUMENTS_CHROMIUM, CHROMIUM, GRAPHIQUES_A_JOUR  # noqa: E402
from tests.outils.serveur import GEO, serveur_streamlit  # noqa: E402

# Issue 13, en secondes, sur la médiane : (démonstration, base × facteur).
CIBLES_S = {"vue_premier": (2.0, 3.0), "vue_relance_region": (0.5, 0.8)}
CALME_MS = 600  # une page complète est stable quand plus rien n'y a bougé depuis ce temps
CHRONO = RACINE / "bench" / "chrono"  # le sitecustomize.py qui chronomètre le serveur
TABLES = ("releves", "territoires", "projets", "sites")

# Choix faits à chaque tour (par rotation) : régions de la démonstration, territoires ouverts, noms
# tapés dans la liste « Territoire » (tous différents des territoires ouverts), statuts.
REGIONS = (
    "Hauts-de-France",
    "Grand Est",
    "Bretagne",
    "Occitanie",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Centre-Val de Loire",
)
TERRITOIRES = ("douaisis", "lorient", "ardennes", "dreux", "cambrai")
AUTRES_TERRITOIRES = ("Morlaix", "Grand Ch", "Chaumont", "Flers", "Sillon")
STATUTS = ("Accordé", "Déposé", "Identifié", "Priorisé", "Refusé")

# Posé dans chaque page avant ses scripts (instants en ms de performance.now()) : états du script, clics,
# dernière activité (modification du DOM, fin d'une longue tâche), longues tâches, messages reçus par la
# WebSocket (instant, octets).
SCRIPT_INITIAL = """
window.__etats = []; window.__clics = []; window.__ws = []; window.__longues = []; window.__activite = 0;
new MutationObserver(ms => {
  const t = performance.now();
  for (const m of ms) if (m.type === 'attributes' && m.attributeName === 'data-test-script-state')
    window.__etats.push([m.target.getAttribute('data-test-script-state'), t]);
  window.__activite = t;
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
try {
  new PerformanceObserver(liste => { for (const e of liste.getEntries()) {
    window.__longues.push([e.startTime, e.duration]);
    window.__activite = Math.max(window.__activite, e.startTime + e.duration);
  } }).observe({type: 'longtask', buffered: true});
} catch (e) {}
const WebSocketNatif = window.WebSocket;
window.WebSocket = class extends WebSocketNatif {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', ev => {
      const d = ev.data;
      window.__ws.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
    });
  }
};
document.addEventListener('pointerdown', () => window.__clics.push(performance.now()), true);
document.addEventListener('keydown', () => window.__clics.push(performance.now()), true);
window.__complete = () => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll('[data-testid^="stSkeleton"]').length === 0
    && GRAPHIQUES_A_JOUR
    && document.body.textContent.includes('Sources : AMI');
};
""".replace("GRAPHIQUES_A_JOUR", GRAPHIQUES_A_JOUR)
# Premier chargement : rend l'instant (depuis le début de la navigation) où la page est complète.
CHARGEMENT_FINI = "() => window.__complete() && !!window.__etats.find(e => e[0] === 'running') && performance.now()"
# Relance : un état `running` après le clic, puis `notRunning`, et la page complète.
# (Si le clic tombe pendant une exécution, Streamlit la relance sans repasser par `notRunning`.)
_LANCEE = """const e = window.__etats, avant = e.filter(x => x[1] < t0);
  const enCours = avant.length > 0 && avant[avant.length - 1][0] === 'running';
  const lance = enCours || e.some(x => x[0] === 'running' && x[1] >= t0);"""
RELANCE_LANCEE = "t0 => {\n  " + _LANCEE + "\n  return lance;\n}"
RELANCE_FINIE = (
    "t0 => {\n  "
    + _LANCEE
    + "\n  return lance && e.some(x => x[0] === 'notRunning' && x[1] >= t0)"
    + " && window.__complete() && performance.now();\n}"
)
# Un clic sur une option qui ne lance aucune exécution en 15 s est perdu (rare, sur une machine chargée : la
# liste redessinée sous le pointeur) : la mesure est reprise, au plus CLICS_PERDUS_MAX fois, et comptée.
DELAI_LANCEMENT_MS = 15_000
CLICS_PERDUS_MAX = 2
# Page stable : complète, et rien n'a bougé depuis CALME_MS ; rend [instant de la dernière activité].
STABLE = f"""t0 => {{
  if (!window.__complete()) return false;
  const derniere = Math.max(window.__activite, t0);
  return performance.now() - derniere >= {CALME_MS} && [derniere];
}}"""
# Ce que le navigateur a vu depuis t0 : octets reçus, longues tâches, JavaScript chargé, premier affichage.
RELEVES = r"""t0 => ({
  origine: performance.timeOrigin,
  octets: window.__ws.filter(m => m[0] >= t0).reduce((s, m) => s + m[1], 0),
  longues: window.__longues.filter(l => l[0] + l[1] > t0).reduce((s, l) => s + l[1] - Math.max(0, t0 - l[0]), 0),
  js: performance.getEntriesByType('resource').filter(e => /\.m?js(\?|$)/.test(e.name) && e.startTime >= t0)
    .map(e => [e.decodedBodySize, e.responseEnd]),
  fcp: t0 === 0 ? ((performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0) : 0,
})"""


# --- 1. Bases ---------------------------------------------------------------------------------------


def csv_a_jour(donnees: Path, facteur: int) -> bool:
    """Les quatre CSV existent et sont bien ceux du facteur demandé (13 territoires par copie)."""
    if not all((donnees / f"{t}.csv").exists() for t in TABLES):
        return False
    with (donnees / "territoires.csv").open(encoding="utf-8") as flux:
        return sum(1 for _ in flux) - 1 == 13 * facteur


def preparer_bases(sortie: Path, facteur: int) -> dict[str, Path]:
    """La base de démonstration et la grande base (réutilisées si plus récentes que les CSV)."""
    import bench as banc  # noqa: PLC0415 — bench/bench.py, le générateur de CSV du banc
    from rebond_core.creation import creer_base  # noqa: PLC0415
    from rebond_core.db import Base  # noqa: PLC0415
    from rebond_core.importation.pipeline import importer, sans_ramasse_miettes  # noqa: PLC0415

    donnees, dossier = sortie / "donnees", sortie / "bases"
    dossier.mkdir(parents=True, exist_ok=True)
    if not csv_a_jour(donnees, facteur):
        print(f"Fabrication des CSV (facteur {facteur}) dans {donnees}…", flush=True)
        banc.fabriquer_csv(donnees, facteur)
    fichiers = [donnees / f"{t}.csv" for t in TABLES]
    bases = {"demo": dossier / "demo.duckdb", "grande": dossier / f"grande-x{facteur}.duckdb"}
    plus_recent_csv = max(f.stat().st_mtime for f in fichiers)
    for nom, chemin in bases.items():
        if chemin.exists() and chemin.stat().st_mtime > plus_recent_csv and not Path(f"{chemin}.wal").exists():
            print(f"Base {nom} réutilisée : {chemin}", flush=True)
            continue
        provisoire = chemin.with_suffix(".provisoire.duckdb")
        for reste in (provisoire, Path(f"{provisoire}.wal")):
            reste.unlink(missing_ok=True)
        debut = time.perf_counter()
        if nom == "demo":
            creer_base(provisoire, demo=True).fermer()
        else:
            creer_base(provisoire, demo=False).fermer()
            base = Base.ouvrir(provisoire)
            try:
                with sans_ramasse_miettes():
                    resultat = importer(base, fichiers, "bench")
            finally:
                base.fermer()
            if not resultat.rapport.valide:
                raise SystemExit(f"Import de la grande base refusé ({resultat.rapport.nombre_erreurs} erreurs).")
        provisoire.replace(chemin)
        print(f"Base {nom} créée en {time.perf_counter() - debut:.1f} s : {chemin}", flush=True)
    return bases


# --- 2. Serveur et navigateur -----------------------------------------------------------------------


@contextmanager
def serveur_chronometre(
    chemin_base: Path, journal: Path, chrono: Path, profils: Path | None = None, racine: Path = RACINE
) -> Iterator[str]:
    """`serveur_streamlit` avec bench/chrono/sitecustomize.py chargé : chaque exécution du script ajoute sa
    ligne à `chrono` (et son profil cProfile dans `profils`, si donné). `racine` : le dépôt dont le code
    tourne (une autre copie, pour bench/ab_pages.py)."""
    ajouts = {"PYTHONPATH": os.pathsep.join(filter(None, [str(CHRONO), os.environ.get("PYTHONPATH")]))}
    ajouts["REBOND_BENCH_CHRONO"] = str(chrono)
    if profils is not None:
        profils.mkdir(parents=True, exist_ok=True)
        ajouts["REBOND_BENCH_PROFIL"] = str(profils)
    anciens = {cle: os.environ.get(cle) for cle in [*ajouts, "REBOND_BENCH_PROFIL"]}
    os.environ.update(ajouts)  # serveur_streamlit donne au serveur l'environnement de ce processus
    if profils is None:
        os.environ.pop("REBOND_BENCH_PROFIL", None)
    try:
        with serveur_streamlit(chemin_base, journal, racine=racine) as url:
            yield url
    finally:
        for cle, valeur in anciens.items():
            if valeur is None:
                os.environ.pop(cle, None)
            else:
                os.environ[cle] = valeur


TICS = os.sysconf("SC_CLK_TCK")


def cpu_des_processus() -> dict[str, float]:
    """Temps CPU (utilisateur + système, en s) des processus lancés par ce banc, par genre : le serveur
    Streamlit (python), le rendu de Chromium (renderer), son processus graphique (gpu-process : le rendu
    logiciel SwiftShader) et ses autres processus. Moins sensible que les durées murales à une machine
    partagée : le travail fait, quel que soit le temps d'attente d'un cœur."""
    parents: dict[int, list[int]] = {}
    stats: dict[int, tuple[str, float]] = {}
    for nom in os.listdir("/proc"):
        if not nom.isdigit():
            continue
        try:
            texte = Path(f"/proc/{nom}/stat").read_text()
        except OSError:
            continue
        commande, reste = texte[texte.index("(") + 1 : texte.rindex(")")], texte[texte.rindex(")") + 2 :].split()
        parents.setdefault(int(reste[1]), []).append(int(nom))
        stats[int(nom)] = (commande, (int(reste[11]) + int(reste[12])) / TICS)
    cpu: dict[str, float] = {}
    a_voir = list(parents.get(os.getpid(), []))
    while a_voir:
        pid = a_voir.pop()
        a_voir += parents.get(pid, [])
        commande, temps = stats.get(pid, ("", 0.0))
        if commande.startswith("python") or commande.startswith("streamlit"):
            genre = "serveur"
        elif commande.startswith("chrom"):
            try:
                ligne = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                ligne = b""
            genre = "rendu" if b"--type=renderer" in ligne else "gpu" if b"--type=gpu-process" in ligne else "chromium"
        else:
            continue
        cpu[genre] = cpu.get(genre, 0.0) + temps
    return cpu


def executions_serveur(chrono: Path, debut: float, fin: float) -> list[dict[str, Any]]:
    """Les exécutions du script (lignes de `chrono`) commencées entre `debut` et `fin` (secondes epoch)."""
    if not chrono.exists():
        return []
    lignes = [json.loads(ligne) for ligne in chrono.read_text(encoding="utf-8").splitlines() if ligne.strip()]
    return [ligne for ligne in lignes if debut - 0.05 <= ligne["debut"] <= fin]


@dataclass
class Mesure:
    """Une mesure, en secondes (octets en octets) : totale, et où passe le temps."""

    total_s: float  # début → page stable (dernière activité : DOM modifié, longue tâche)
    complete_s: float  # début → page complète (script fini, pied de page, aucun stSkeleton)
    avant_script_s: float  # début → début de la première exécution côté serveur
    serveur_s: float  # durée des exécutions du script côté serveur (somme)
    apres_script_s: float  # fin de la dernière exécution → page stable (envoi, dessin)
    plotly_s: float  # dans le script : figures plotly → dict → JSON (st.plotly_chart)
    tableaux_s: float  # dans le script : Styler et Arrow des tableaux (st.dataframe)
    hachage_s: float  # dans le script : hachage des messages par Streamlit (cache de messages du navigateur)
    figures_s: float  # dans le script : construction des figures (rebond_core.figures)
    duckdb_s: float  # dans le script : requêtes (rebond_core.db.Base)
    ramasse_miettes_s: float  # dans le script : ramasse-miettes de Python (collections faites dans ce fil)
    requetes: int  # nombre de requêtes
    cpu_serveur_s: float  # temps CPU du fil du script
    executions: int  # exécutions du script pendant la mesure
    octets_recus: int  # reçus par la WebSocket (décompressés)
    longues_taches_s: float  # longues tâches (≥ 50 ms) du navigateur pendant la mesure
    cpu_serveur_total_s: float = 0.0  # CPU de tout le processus serveur (script, envoi, DuckDB)
    cpu_rendu_s: float = 0.0  # CPU des processus de rendu de Chromium (JavaScript, mise en page, dessin)
    cpu_gpu_s: float = 0.0  # CPU du processus graphique de Chromium (WebGL et composition, en logiciel)
    octets: dict[str, int] = field(default_factory=dict)  # messages du script par type d'élément (avant référence)
    references: int = 0  # messages remplacés par une référence (déjà dans le navigateur)
    js_octets: int = 0  # premier chargement : JavaScript téléchargé (décompressé)
    js_fin_s: float = 0.0  # premier chargement : fin du dernier téléchargement de JavaScript
    premier_affichage_s: float = 0.0  # premier chargement : first-contentful-paint


def mesurer(page: Any, t0: float, complete: float, chrono: Path, cpu_avant: dict[str, float]) -> Mesure:
    """Attend la page stable puis assemble la mesure commencée à `t0` (ms, performance.now()), complète à
    `complete`, avec les exécutions du serveur relevées dans `chrono` et le temps CPU des processus depuis
    `cpu_avant` (cpu_des_processus() au début)."""
    stable = page.wait_for_function(STABLE, arg=t0, polling=100, timeout=180_000).json_value()[0]
    cpu = {genre: temps - cpu_avant.get(genre, 0.0) for genre, temps in cpu_des_processus().items()}
    stable = max(stable, complete)
    vu = page.evaluate(RELEVES, t0)
    origine = vu["origine"] / 1000  # epoch, en secondes, de performance.now() = 0
    debut_s, stable_s = origine + t0 / 1000, origine + stable / 1000
    runs = executions_serveur(chrono, debut_s, stable_s)
    octets: dict[str, int] = {}
    for run in runs:
        for genre, taille in run.get("octets", {}).items():
            octets[genre] = octets.get(genre, 0) + taille

    def somme(cle: str) -> float:
        return sum(run.get(cle, 0.0) for run in runs)

    return Mesure(
        total_s=(stable - t0) / 1000,
        complete_s=(complete - t0) / 1000,
        avant_script_s=(runs[0]["debut"] - debut_s) if runs else math.nan,
        serveur_s=sum(run["fin"] - run["debut"] for run in runs),
        apres_script_s=(stable_s - runs[-1]["fin"]) if runs else math.nan,
        plotly_s=somme("plotly_s"),
        tableaux_s=somme("tableaux_s"),
        hachage_s=somme("hachage_s"),
        figures_s=somme("figures_s"),
        duckdb_s=somme("duckdb_s"),
        ramasse_miettes_s=somme("ramasse_miettes_s"),
        requetes=int(somme("requetes")),
        cpu_serveur_s=somme("cpu_s"),
        executions=len(runs),
        octets_recus=int(vu["octets"]),
        longues_taches_s=vu["longues"] / 1000,
        cpu_serveur_total_s=cpu.get("serveur", 0.0),
        cpu_rendu_s=cpu.get("rendu", 0.0),
        cpu_gpu_s=cpu.get("gpu", 0.0),
        octets=octets,
        references=int(somme("references")),
        js_octets=int(sum(taille for taille, _ in vu["js"])),
        js_fin_s=max((fin for _, fin in vu["js"]), default=0.0) / 1000,
        premier_affichage_s=vu["fcp"] / 1000,
    )


class Navigateur:
    """Chromium (Playwright) : des pages neuves et des relances chronométrées."""

    def __init__(self, playwright: Any, chrono: Path) -> None:
        self.chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS_CHROMIUM)
        self.contextes: list[Any] = []
        self.chrono = chrono
        self.clics_perdus = 0  # relances reprises (voir CLICS_PERDUS_MAX)

    def fermer(self) -> None:
        self.chromium.close()

    def premier_chargement(self, url: str) -> tuple[Mesure, Any]:
        """Ouvre `url` dans un nouveau contexte (cache vide) ; rend la mesure et la page, laissée ouverte."""
        contexte = self.chromium.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
        contexte.add_init_script(SCRIPT_INITIAL)
        self.contextes.append(contexte)
        page = contexte.new_page()
        cpu = cpu_des_processus()
        page.goto(url)
        return self._chargement(page, cpu), page

    def rechargement(self, page: Any) -> Mesure:
        """Recharge la page dans son contexte (JavaScript en cache, nouvelle session Streamlit)."""
        cpu = cpu_des_processus()
        page.reload()
        return self._chargement(page, cpu)

    def _chargement(self, page: Any, cpu: dict[str, float]) -> Mesure:
        fin = page.wait_for_function(CHARGEMENT_FINI, polling="raf", timeout=180_000).json_value()
        return mesurer(page, 0.0, fin, self.chrono, cpu)

    def fermer_pages(self) -> None:
        for contexte in self.contextes:
            contexte.close()
        self.contextes.clear()

    def relance(self, page: Any, preparer: Callable[[], None], declencher: Callable[[], None]) -> Mesure:
        """`preparer` (ouvrir une liste, non chronométré) puis `declencher` (le clic qui change la valeur)."""
        for essai in range(CLICS_PERDUS_MAX + 1):
            preparer()
            page.evaluate("window.__clics = []")
            cpu = cpu_des_processus()
            declencher()
            debut = page.evaluate("window.__clics.length ? window.__clics[window.__clics.length - 1] : null")
            if debut is None:
                raise RuntimeError("le clic n'a pas été vu par la page")
            try:
                page.wait_for_function(RELANCE_LANCEE, arg=debut, polling="raf", timeout=DELAI_LANCEMENT_MS)
                break
            except PlaywrightTimeoutError:
                if page.evaluate(RELANCE_LANCEE, debut):  # lancée juste après le délai : mesurée telle quelle
                    break
                if essai == CLICS_PERDUS_MAX:
                    raise RuntimeError(f"{essai + 1} clics de suite sans relance (dernier à {debut:.0f} ms)") from None
                self.clics_perdus += 1
                print(f"    clic perdu (aucune exécution après {DELAI_LANCEMENT_MS} ms) : mesure reprise", flush=True)
                page.keyboard.press("Escape")
                attendre_complete(page)
        try:
            fin = page.wait_for_function(RELANCE_FINIE, arg=debut, polling="raf", timeout=120_000).json_value()
        except Exception:
            etat = page.evaluate("[window.__etats, window.__clics, window.__complete()]")
            raise RuntimeError(f"relance inachevée (clic à {debut:.0f} ms) ; états, clics, complète : {etat}") from None
        mesure = mesurer(page, debut, fin, self.chrono, cpu)
        page.keyboard.press("Escape")  # referme la liste restée ouverte, avant tout autre clic
        page.locator("[role='listbox']").first.wait_for(state="hidden", timeout=10_000)
        attendre_complete(page)
        return mesure


def ouvrir(page: Any, liste: Any, essais: int = 4) -> None:
    """Ouvre une liste déroulante (le premier clic est parfois perdu quand la page vient de se redessiner)."""
    for _ in range(essais):
        liste.locator("input").click()
        try:
            page.get_by_role("option").first.wait_for(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 — Playwright TimeoutError : on réessaie
            page.keyboard.press("Escape")
    raise RuntimeError("la liste déroulante ne s'ouvre pas")


def choisir_dans_multiselect(navigateur: Navigateur, page: Any, conteneur: str, libelle: str, option: str) -> Mesure:
    liste = page.locator(f"{conteneur} [data-testid='stMultiSelect']").filter(has_text=libelle).first
    return navigateur.relance(
        page,
        lambda: ouvrir(page, liste),
        lambda: page.get_by_role("option", name=option, exact=True).click(),
    )


def choisir_territoire(navigateur: Navigateur, page: Any, debut_du_nom: str, rang: int) -> Mesure:
    """Tape le début d'un nom dans la liste « Territoire » de la fiche et clique la `rang`-ième proposition."""
    liste = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(has_text="Territoire").first

    def preparer() -> None:
        ouvrir(page, liste)
        page.keyboard.type(debut_du_nom)
        page.get_by_role("option").first.wait_for()

    def declencher() -> None:
        options = page.get_by_role("option")
        options.nth(min(rang, options.count() - 1)).click()

    return navigateur.relance(page, preparer, declencher)


def attendre_complete(page: Any) -> None:
    """Laisse passer une éventuelle exécution de plus (la liste refermée, l'adresse mise à jour) et le
    dessin qui suit : la mesure suivante part d'une page au repos."""
    page.wait_for_timeout(300)
    page.wait_for_function(STABLE, arg=0, polling=100, timeout=180_000)


def retirer_la_region(navigateur: Navigateur, page: Any) -> Mesure:
    """Retour sans filtre (déjà en cache) : Retour arrière dans le filtre « Région » retire la région choisie.
    (Le clic sur « Réinitialiser les filtres » juste après la fermeture de la liste est parfois perdu.)"""
    liste = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text="Région").first
    return navigateur.relance(page, lambda: ouvrir(page, liste), lambda: page.keyboard.press("Backspace"))


def noter_mesure(m: dict[str, list[Mesure]], cle: str, mesure: Mesure) -> None:
    m.setdefault(cle, []).append(mesure)
    print(
        f"    {cle:<26} {mesure.total_s * 1000:6.0f} ms (complète {mesure.complete_s * 1000:.0f} ; "
        f"avant script {mesure.avant_script_s * 1000:.0f}, serveur {mesure.serveur_s * 1000:.0f} "
        f"[requêtes {mesure.duckdb_s * 1000:.0f}, figures {mesure.figures_s * 1000:.0f}, "
        f"plotly {mesure.plotly_s * 1000:.0f}, tableaux {mesure.tableaux_s * 1000:.0f}], "
        f"après {mesure.apres_script_s * 1000:.0f} ; longues tâches {mesure.longues_taches_s * 1000:.0f} ; "
        f"CPU serveur {mesure.cpu_serveur_total_s * 1000:.0f}, rendu {mesure.cpu_rendu_s * 1000:.0f}, "
        f"gpu {mesure.cpu_gpu_s * 1000:.0f} ; "
        f"{mesure.octets_recus / 1000:.0f} Ko reçus ; {mesure.executions} exéc.)",
        flush=True,
    )


def un_tour(navigateur: Navigateur, url: str, tour: int, suffixe: str, fiche: bool = True) -> dict[str, list[Mesure]]:
    """Toutes les mesures d'un tour, sur un serveur neuf."""
    m: dict[str, list[Mesure]] = {}
    mesure, _ = navigateur.premier_chargement(url + "/")
    noter_mesure(m, "vue_premier_froid", mesure)
    mesure, page = navigateur.premier_chargement(url + "/")
    noter_mesure(m, "vue_premier", mesure)
    noter_mesure(m, "vue_rechargement", navigateur.rechargement(page))
    for k in range(2):
        region = REGIONS[(2 * tour + k) % len(REGIONS)]
        mesure = choisir_dans_multiselect(navigateur, page, "[data-testid='stSidebar']", "Région", region)
        noter_mesure(m, "vue_relance_region", mesure)
        noter_mesure(m, "vue_relance_cache_chaud", retirer_la_region(navigateur, page))
    navigateur.fermer_pages()
    if not fiche:
        return m

    code = TERRITOIRES[tour % len(TERRITOIRES)] + suffixe
    mesure, page = navigateur.premier_chargement(f"{url}/territoire?territoire={code}")
    noter_mesure(m, "fiche_premier", mesure)
    statut = STATUTS[tour % len(STATUTS)]
    noter_mesure(
        m,
        "fiche_relance_statut",
        choisir_dans_multiselect(navigateur, page, "[data-testid='stMain']", "Statut", statut),
    )
    for k in range(2):
        nom = AUTRES_TERRITOIRES[(2 * tour + k) % len(AUTRES_TERRITOIRES)]
        noter_mesure(m, "fiche_relance_territoire", choisir_territoire(navigateur, page, nom, 1 + tour))
    navigateur.fermer_pages()
    return m


def mesurer_base(
    chemin_base: Path, tours: int, suffixe: str, journaux: Path, fiche: bool = True, perdus: list[int] | None = None
) -> dict[str, Any]:
    """Les mesures résumées de `tours` tours ; `perdus` reçoit le nombre de clics perdus puis repris par tour."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    mesures: dict[str, list[Mesure]] = {}
    with sync_playwright() as playwright:
        for tour in range(tours):
            print(f"  tour {tour + 1}/{tours} (serveur neuf)", flush=True)
            nom = f"{chemin_base.stem}-{tour + 1}"
            chrono = journaux / f"chrono-{nom}.jsonl"
            navigateur = Navigateur(playwright, chrono)  # un navigateur neuf par tour
            try:
                with serveur_chronometre(chemin_base, journaux / f"serveur-{nom}.log", chrono) as url:
                    for cle, liste in un_tour(navigateur, url, tour, suffixe, fiche).items():
                        mesures.setdefault(cle, []).extend(liste)
            finally:
                navigateur.fermer()
                if perdus is not None:
                    perdus.append(navigateur.clics_perdus)
    return {cle: resumer(liste) for cle, liste in mesures.items()}


CHAMPS = (
    "total_s",
    "complete_s",
    "avant_script_s",
    "serveur_s",
    "apres_script_s",
    "plotly_s",
    "tableaux_s",
    "hachage_s",
    "figures_s",
    "duckdb_s",
    "ramasse_miettes_s",
    "requetes",
    "cpu_serveur_s",
    "octets_recus",
    "longues_taches_s",
    "cpu_serveur_total_s",
    "cpu_rendu_s",
    "cpu_gpu_s",
    "js_octets",
    "js_fin_s",
    "premier_affichage_s",
)


def resumer(mesures: list[Mesure]) -> dict[str, Any]:
    mediane = {
        champ: statistics.median(v for m in mesures if not math.isnan(v := float(getattr(m, champ))))
        if any(not math.isnan(float(getattr(m, champ))) for m in mesures)
        else math.nan
        for champ in CHAMPS
    }
    genres = sorted({g for m in mesures for g in m.octets})
    octets = {g: statistics.median(m.octets.get(g, 0) for m in mesures) for g in genres}
    return {**mediane, "octets": octets, "n": len(mesures), "mesures": [asdict(m) for m in mesures]}


def profil_pages(chemin_base: Path, journaux: Path, sortie: Path) -> dict[str, list[tuple[str, float, float]]]:
    """Un serveur de plus sous cProfile (non compté dans les mesures) : premier chargement de la vue
    d'ensemble puis relance après choix d'une région. Écrit `profil_pages.txt` (30 premières fonctions par
    temps cumulé, puis par temps propre) et rend, pour chacune, les fonctions du projet (pages/,
    rebond_ui/, rebond_core/) et les grands postes des bibliothèques : (nom, ms cumulées, part du script)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    chrono, profils = journaux / "chrono-profil.jsonl", journaux / "profils"
    textes, resume = [], {}
    with sync_playwright() as playwright:
        navigateur = Navigateur(playwright, chrono)
        try:
            with serveur_chronometre(chemin_base, journaux / "serveur-profil.log", chrono, profils) as url:
                m: dict[str, list[Mesure]] = {}
                navigateur.premier_chargement(url + "/")  # le serveur a déjà servi : imports faits
                debut = len(chrono.read_text(encoding="utf-8").splitlines())
                _, page = navigateur.premier_chargement(url + "/")
                milieu = len(chrono.read_text(encoding="utf-8").splitlines())
                relance = choisir_dans_multiselect(navigateur, page, "[data-testid='stSidebar']", "Région", REGIONS[0])
                noter_mesure(m, "profil : relance", relance)
                runs = [json.loads(ligne) for ligne in chrono.read_text(encoding="utf-8").splitlines()]
        finally:
            navigateur.fermer()
    for titre, choisis in (("premier chargement", runs[debut:milieu]), ("relance (région)", runs[milieu:])):
        fichiers = [r["profil"] for r in choisis if r.get("profil")]
        if not fichiers:
            continue
        stats = pstats.Stats(*fichiers, stream=io.StringIO())
        flux = io.StringIO()
        stats.stream = flux  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(30)
        textes.append(f"# Vue d'ensemble, {titre}, {chemin_base.name} (sous cProfile)\n{flux.getvalue()}")
        resume[titre] = postes_du_profil(stats)
    (sortie / "profil_pages.txt").write_text("\n".join(textes), encoding="utf-8")
    return resume


# Grands postes des bibliothèques dans un profil : (libellé, fin du chemin du fichier, fonction).
POSTES_BIBLIOTHEQUES = (
    ("plotly : figure → dict (st.plotly_chart)", "plotly/tools.py", "return_figure_from_figure_or_data"),
    ("plotly : dict → JSON (st.plotly_chart)", "plotly/io/_json.py", "to_json"),
    ("Streamlit : Styler → Arrow (st.dataframe)", "pandas_styler_utils.py", "marshall_styler"),
    (
        "Streamlit : fonctions en cache (lues, ou calculées si absentes)",
        "caching/cache_utils.py",
        "_get_or_create_cached_value",
    ),
    ("Streamlit : hachage des messages", "forward_msg_cache.py", "populate_hash_if_needed"),
)


def postes_du_profil(stats: pstats.Stats) -> list[tuple[str, float, float]]:
    """Les fonctions du projet les plus coûteuses (temps cumulé), les grands postes des bibliothèques et le
    temps passé dans DuckDB (temps propre des fonctions de rebond_core/db.py, qui l'appellent) :
    (nom, ms, part du script)."""
    donnees: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max((entree[3] for entree in donnees.values()), default=0.0)
    projet = []
    for (fichier, ligne, fonction), (_, _, _, cumule, _) in donnees.items():
        relatif = fichier.replace(str(RACINE) + os.sep, "")
        if relatif.startswith(("pages/", "rebond_ui/", "rebond_core/")) and fonction not in ("<module>", "<lambda>"):
            projet.append((f"{relatif}:{ligne} {fonction}", cumule))
    projet.sort(key=lambda p: -p[1])
    postes = [
        (libelle, sum(e[3] for (f, _, nom), e in donnees.items() if f.endswith(fin) and nom == fonction))
        for libelle, fin, fonction in POSTES_BIBLIOTHEQUES
    ]
    postes.append(
        (
            "DuckDB (temps propre de rebond_core/db.py)",
            sum(e[2] for (f, _, _), e in donnees.items() if f.endswith("rebond_core/db.py")),
        )
    )
    return [(nom, cumule * 1000, cumule / total if total else 0.0) for nom, cumule in [*projet[:15], *postes]]


# --- 4. Rapport -------------------------------------------------------------------------------------

LIBELLES = {
    "vue_premier_froid": "Vue d'ensemble `/`, premier chargement, serveur neuf",
    "vue_premier": "Vue d'ensemble `/`, première apparition (serveur déjà servi, cache du navigateur vide)",
    "vue_rechargement": "Vue d'ensemble, rechargement (cache du navigateur chaud, nouvelle session)",
    "vue_relance_region": "Vue d'ensemble, relance après choix d'une région (cache froid)",
    "vue_relance_cache_chaud": "Vue d'ensemble, relance après retrait de la région (sans filtre, cache chaud)",
    "fiche_premier": "Fiche `/territoire?territoire=…`, premier chargement",
    "fiche_relance_statut": "Fiche, relance après choix d'un « Statut » (données en cache)",
    "fiche_relance_territoire": "Fiche, relance après choix d'un autre « Territoire » (cache froid)",
}
GENRES = {"plotly_chart": "plotly", "dataframe": "tableaux"}  # le reste : « autres »


def ko(octets: float) -> str:
    return VIDE if math.isnan(octets) else f"{octets / 1000:.0f}".replace(".", ",")


def duree(secondes: float) -> str:
    return VIDE if math.isnan(secondes) else ms(secondes, 0)


def _cible(cle: str, base: str, total: float) -> str:
    if cle not in CIBLES_S:
        return ""
    cible = CIBLES_S[cle][0 if base == "demo" else 1]
    return f"≤ {ms(cible, 0)} : {verdict(total <= cible)}"


def tableau_markdown(resultats: dict[str, Any]) -> str:
    facteur = resultats["facteur"]
    bases = {"demo": "démo", "grande": f"×{facteur}"}
    charge = resultats.get("charge", {})
    lignes = [
        f"## Pages dans le navigateur — facteur {facteur}",
        "",
        f"{resultats['date']} — Streamlit {resultats['streamlit']}, Chromium {resultats['chromium']} "
        f"(SwiftShader), {resultats['tours']} tours, chacun sur un serveur neuf ; médianes en ms. "
        f"Fonds de carte : {'oui' if resultats['geo'] else 'non'}. Charge de la machine (moyenne sur 1 min, "
        f"{os.cpu_count()} cœurs) : "
        + ", ".join(f"{bases.get(b, b)} {v[0]:.1f} → {v[1]:.1f}".replace(".", ",") for b, v in charge.items())
        + ". Les durées murales varient avec la charge : comparer des mesures prises dans les mêmes "
        "conditions, et les temps CPU (moins sensibles). Clics perdus, mesure reprise : "
        + (", ".join(f"{bases.get(b, b)} {n}" for b, n in resultats.get("clics_perdus", {}).items()) or "aucun")
        + ".",
        "",
        "Complète : début (navigation, ou clic qui change la valeur) → page complète (connectée, script fini, "
        "pied de page affiché, aucun `stSkeleton`, chaque graphique dessiné avec sa dernière figure), la "
        "définition des chiffres de l'issue. Stable : → plus rien "
        f"qui bouge pendant {CALME_MS} ms (l'instant retenu est la dernière modification du DOM ou la fin de la "
        "dernière longue tâche : les graphiques dessinés).",
        "",
        "### Les chiffres de l'issue 13",
        "",
    ]
    cibles = []
    for cle in CIBLES_S:
        cellules = [LIBELLES[cle]]
        for base in bases:
            m = resultats.get(base, {}).get(cle)
            cellules += (
                [f"**{duree(m['complete_s'])}**", duree(m["total_s"]), _cible(cle, base, m["complete_s"])]
                if m
                else [VIDE, VIDE, ""]
            )
        cibles.append(cellules)
    lignes += tableau(
        ["mesure", "démo complète", "démo stable", "cible démo", f"×{facteur} complète", f"×{facteur} stable", "cible"],
        cibles,
        [False, True, True, False, True, True, False],
    )
    lignes += [
        "",
        "### Où passe le temps (durées murales)",
        "",
        "Avant script : début → début de l'exécution du script côté serveur (premier chargement : page, "
        "JavaScript, connexion ; relance : envoi de la demande). Script serveur : durée des exécutions, dont "
        "requêtes DuckDB, construction des figures (rebond_core.figures), figures plotly → dict → JSON "
        "(st.plotly_chart), tableaux → Styler → Arrow (st.dataframe) et ramasse-miettes de Python. Après "
        "script : fin de la dernière exécution → page stable (envoi et dessin). Longues tâches : temps du "
        "navigateur en tâches de 50 ms et plus.",
        "",
    ]
    murales, travail = [], []
    for cle, libelle in LIBELLES.items():
        for base, nom in bases.items():
            m = resultats.get(base, {}).get(cle)
            if m is None:
                continue
            murales.append(
                [
                    f"{libelle} — {nom}",
                    f"**{duree(m['complete_s'])}**",
                    duree(m["total_s"]),
                    duree(m["avant_script_s"]),
                    duree(m["serveur_s"]),
                    duree(m["duckdb_s"]),
                    duree(m["figures_s"]),
                    duree(m["plotly_s"]),
                    duree(m["tableaux_s"]),
                    duree(m["ramasse_miettes_s"]),
                    duree(m["apres_script_s"]),
                    duree(m["longues_taches_s"]),
                    str(m["n"]),
                ]
            )
            autres = sum(v for g, v in m["octets"].items() if g not in GENRES)
            travail.append(
                [
                    f"{libelle} — {nom}",
                    duree(m["cpu_serveur_s"]),
                    duree(m["cpu_serveur_total_s"]),
                    duree(m["cpu_rendu_s"]),
                    duree(m["cpu_gpu_s"]),
                    f"{m['requetes']:.0f}",
                    ko(m["octets_recus"]),
                    ko(m["octets"].get("plotly_chart", 0)),
                    ko(m["octets"].get("dataframe", 0)),
                    ko(autres),
                    f"{ko(m['js_octets'])} / {duree(m['js_fin_s'])}" if m["js_octets"] else "",
                ]
            )
    lignes += tableau(
        [
            "mesure",
            "complète",
            "stable",
            "avant script",
            "script serveur",
            "dont requêtes",
            "dont figures",
            "dont plotly → JSON",
            "dont tableaux",
            "dont ramasse-miettes",
            "après script",
            "longues tâches",
            "n",
        ],
        murales,
        [False, *([True] * 12)],
    )
    lignes += [
        "",
        "### Travail fait (temps CPU, ms) et octets",
        "",
        "CPU script : fil du script ; serveur : tout le processus Streamlit (script, envoi des messages, "
        "DuckDB) ; rendu : processus de rendu de Chromium (JavaScript, mise en page, dessin) ; GPU : son "
        "processus graphique (WebGL et composition, en logiciel avec SwiftShader). Ko : reçus par la WebSocket "
        "(décompressés), et messages du script par type d'élément (avant leur remplacement par une référence "
        "quand le navigateur les a déjà). JS : JavaScript téléchargé (Ko) et fin de son téléchargement (ms).",
        "",
    ]
    lignes += tableau(
        [
            "mesure",
            "CPU script",
            "CPU serveur",
            "CPU rendu",
            "CPU GPU",
            "requêtes",
            "Ko reçus",
            "Ko plotly",
            "Ko tableaux",
            "Ko autres",
            "JS Ko / fin",
        ],
        travail,
        [False, *([True] * 10)],
    )
    for titre, postes in resultats.get("profil", {}).items():
        lignes += [
            "",
            f"### Script de la vue d'ensemble sous cProfile, base ×{facteur} : {titre}",
            "",
            "Un serveur de plus, non compté dans les mesures (cProfile ralentit le Python d'un facteur 2 à 3 : "
            "lire les parts plutôt que les durées). Fonctions du projet par temps cumulé, puis grands postes des "
            "bibliothèques ; détail dans `profil_pages.txt`.",
            "",
            *tableau(
                ["fonction", "ms cumulées", "part du script"],
                ([f"`{nom}`", ms(d / 1000, 0), f"{part * 100:.0f} %"] for nom, d, part in postes),
                [False, True, True],
            ),
        ]
    return "\n".join(lignes) + "\n"


def ajouter_au_rapport(sortie: Path, markdown: str, resultats: dict[str, Any]) -> None:
    """Ajoute (ou remplace) la section « Pages » de resultats.md, et la clé "pages" de resultats.json."""
    chemin_md = sortie / "resultats.md"
    ancien = chemin_md.read_text(encoding="utf-8") if chemin_md.exists() else ""
    ancien = ancien.split("## Pages dans le navigateur")[0].rstrip()
    chemin_md.write_text((ancien + "\n\n" if ancien else "") + markdown, encoding="utf-8")
    chemin_json = sortie / "resultats.json"
    tout = json.loads(chemin_json.read_text(encoding="utf-8")) if chemin_json.exists() else {}
    tout["pages"] = resultats
    chemin_json.write_text(json.dumps(tout, ensure_ascii=False, indent=2), encoding="utf-8")
    (sortie / "pages.json").write_text(json.dumps(resultats, ensure_ascii=False, indent=2), encoding="utf-8")


def version_chromium() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def executer(
    sortie: Path,
    facteur: int,
    tours: int,
    fiche: bool = True,
    profil: bool = True,
    bases_choisies: str = "demo,grande",
) -> dict[str, Any]:
    import streamlit  # noqa: PLC0415

    sortie.mkdir(parents=True, exist_ok=True)
    bases = preparer_bases(sortie, facteur)
    resultats: dict[str, Any] = {
        "facteur": facteur,
        "tours": tours,
        "date": datetime.now().isoformat(timespec="seconds"),
        "streamlit": streamlit.__version__,
        "chromium": version_chromium(),
        "geo": GEO.is_dir(),
        "cibles_s": CIBLES_S,
        "calme_ms": CALME_MS,
    }
    with tempfile.TemporaryDirectory(prefix="rebond-pages-") as temporaire:
        journaux = Path(temporaire)
        for nom, suffixe in (("demo", ""), ("grande", f"-x{(facteur + 1) // 2:03d}")):
            if nom not in bases_choisies.split(","):
                continue
            print(f"Pages sur la base {nom} ({bases[nom].name})…", flush=True)
            charge = os.getloadavg()[0]
            perdus: list[int] = []
            resultats[nom] = mesurer_base(bases[nom], tours, suffixe, journaux, fiche, perdus)
            resultats.setdefault("charge", {})[nom] = (charge, os.getloadavg()[0])
            resultats.setdefault("clics_perdus", {})[nom] = sum(perdus)
        if profil and "grande" in bases_choisies.split(","):
            print("Profil des exécutions du script (cProfile, grande base, non compté)…", flush=True)
            resultats["profil"] = profil_pages(bases["grande"], journaux, sortie)
    markdown = tableau_markdown(resultats)
    ajouter_au_rapport(sortie, markdown, resultats)
    print()
    print(markdown)
    print(f"Résultats ajoutés à {sortie / 'resultats.md'} et {sortie / 'resultats.json'} (et pages.json).")
    return resultats


def ajouter_options(analyseur: argparse.ArgumentParser) -> None:
    """Les options des pages (aussi celles de `bench/bench.py --pages`)."""
    analyseur.add_argument("--tours", type=int, default=3, help="tours, chacun sur un serveur neuf (3)")
    analyseur.add_argument("--sans-fiche", action="store_true", help="la vue d'ensemble seulement (pas la fiche)")
    analyseur.add_argument(
        "--sans-profil", action="store_true", help="sans le serveur de plus sous cProfile (profil_pages.txt)"
    )
    analyseur.add_argument("--bases", default="demo,grande", help="bases mesurées : demo, grande (les deux)")


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="Temps des pages de Rebond dans Chromium.")
    analyseur.add_argument("--facteur", type=int, default=100)
    analyseur.add_argument("--sortie", type=Path, default=RACINE / "bench" / "resultats")
    ajouter_options(analyseur)
    args = analyseur.parse_args(argv)
    executer(args.sortie.resolve(), args.facteur, args.tours, not args.sans_fiche, not args.sans_profil, args.bases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
