"""Temps des pages de Rebond dans un vrai navigateur, sur la démonstration et sur la base × facteur.

Appelé par `bench/bench.py --pages` (ou directement : `.venv/bin/python bench/pages.py [--facteur 100]`).

1. Bases : la démonstration (`creer_base(…, demo=True)`) et la grande base, importée des CSV de
   `bench/resultats/donnees` dans une base vide (`creer_base(…, demo=False)` puis `importer`). Les deux
   fichiers restent dans `bench/resultats/bases/` et sont réutilisés tant que les CSV n'ont pas changé.
2. Pour chaque base et chaque tour (`--tours`, 3 par défaut), un serveur Streamlit neuf
   (`streamlit run dashboard.py`, REBOND_DB, REBOND_GEO_DIR) — donc des caches serveur froids — puis,
   dans Chromium (Playwright), chaque « premier chargement » dans un nouveau contexte (cache du
   navigateur vide, les morceaux de JavaScript des éléments sont retéléchargés) :
   - vue d'ensemble `/`, premier chargement, serveur froid puis serveur chaud ;
   - vue d'ensemble, relance après le choix d'une région dans le filtre « Région » de la barre latérale
     (deux régions différentes par tour, jamais vues par ce serveur : cache froid), et le retour sans
     filtre en retirant la région (touche Retour arrière ; cache chaud) ;
   - fiche `/territoire?territoire=CODE`, premier chargement (territoire jamais ouvert) ;
   - fiche, relance après le choix d'un statut dans le filtre « Statut » du tableau des projets
     (données en cache : filtrage pandas et rendu) et après le choix d'un autre territoire dans la
     liste « Territoire » (cache froid).
3. Une page est « complète » quand l'application est connectée, le script a fini
   (`data-test-script-state='notRunning'`), le pied de page « Sources : AMI » est affiché et plus
   aucun élément `stSkeleton` ne reste. Premier chargement : du début de la navigation à la page
   complète. Relance : du clic (pointerdown) ou de la touche qui change la valeur à la page complète, découpé en
   « avant le script » (clic → état `running`), « script » (`running` → `notRunning`, vu du navigateur :
   exécution côté serveur et envoi des éléments) et « après le script » (fin du rendu).
4. Profil côté serveur : les appels du cœur que font les pages (requêtes, figures, sérialisation),
   chronométrés en Python sur la grande base, sans cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
sys.path.insert(0, str(RACINE / "bench"))

from rapport import ms, tableau, verdict  # noqa: E402  (bench/rapport.py)

from rebond_core.formats import VIDE  # noqa: E402
from tests.outils.navigateur import ARGUMENTS_CHROMIUM, CHROMIUM  # noqa: E402
from tests.outils.serveur import GEO, serveur_streamlit  # noqa: E402

CIBLE_RELANCE_S = 1.0  # un changement de filtre redessine la vue d'ensemble en moins d'une seconde
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

# Posé dans chaque page avant ses scripts : journal des états du script et des clics (performance.now()).
SCRIPT_INITIAL = """
window.__etats = []; window.__clics = [];
new MutationObserver(ms => { for (const m of ms) window.__etats.push(
    [m.target.getAttribute('data-test-script-state'), performance.now()]); })
  .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
document.addEventListener('pointerdown', () => window.__clics.push(performance.now()), true);
document.addEventListener('keydown', () => window.__clics.push(performance.now()), true);
window.__complete = () => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll('[data-testid^="stSkeleton"]').length === 0
    && document.body.textContent.includes('Sources : AMI');
};
"""
# Premier chargement : rend l'instant (depuis le début de la navigation) où la page est complète.
CHARGEMENT_FINI = "() => window.__complete() && !!window.__etats.find(e => e[0] === 'running') && performance.now()"
# Relance : un état `running` après le clic, puis `notRunning`, et la page complète.
# (Si le clic tombe pendant une exécution, Streamlit la relance sans repasser par `notRunning`.)
RELANCE_FINIE = """t0 => {
  const e = window.__etats, avant = e.filter(x => x[1] < t0);
  const enCours = avant.length > 0 && avant[avant.length - 1][0] === 'running';
  const lance = enCours || e.some(x => x[0] === 'running' && x[1] >= t0);
  return lance && e.some(x => x[0] === 'notRunning' && x[1] >= t0) && window.__complete() && performance.now();
}"""


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


@dataclass
class Mesure:
    """Une mesure, en secondes : totale, et son découpage autour de l'exécution du script."""

    total_s: float
    avant_script_s: float  # premier chargement : navigation → `running` ; relance : clic → `running`
    script_s: float  # `running` → `notRunning`
    apres_script_s: float  # `notRunning` → page complète
    executions: int  # nombre d'exécutions du script pendant la mesure


def decouper(etats: list[list[Any]], debut_ms: float, fin_ms: float) -> Mesure:
    avant = [e for e in etats if e[1] < debut_ms]
    etats = [e for e in etats if e[1] >= debut_ms]
    if avant and avant[-1][0] == "running":  # clic pendant une exécution : elle est relancée
        etats.insert(0, ["running", debut_ms])
    i = next(k for k, e in enumerate(etats) if e[0] == "running")
    # la dernière fin d'exécution avant la page complète
    fin_script = max(e[1] for e in etats[i:] if e[0] == "notRunning" and e[1] <= fin_ms)
    return Mesure(
        total_s=(fin_ms - debut_ms) / 1000,
        avant_script_s=(etats[i][1] - debut_ms) / 1000,
        script_s=(fin_script - etats[i][1]) / 1000,
        apres_script_s=(fin_ms - fin_script) / 1000,
        executions=sum(1 for e in etats if e[0] == "running" and e[1] <= fin_ms),
    )


class Navigateur:
    """Chromium (Playwright) : des pages neuves et des relances chronométrées."""

    def __init__(self, playwright: Any) -> None:
        self.chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS_CHROMIUM)
        self.contextes: list[Any] = []

    def fermer(self) -> None:
        self.chromium.close()

    def premier_chargement(self, url: str) -> tuple[Mesure, Any]:
        """Ouvre `url` dans un nouveau contexte (cache vide) ; rend la mesure et la page, laissée ouverte."""
        contexte = self.chromium.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
        contexte.add_init_script(SCRIPT_INITIAL)
        self.contextes.append(contexte)
        page = contexte.new_page()
        page.goto(url)
        fin = page.wait_for_function(CHARGEMENT_FINI, polling="raf", timeout=180_000).json_value()
        return decouper(page.evaluate("window.__etats"), 0.0, fin), page

    def fermer_pages(self) -> None:
        for contexte in self.contextes:
            contexte.close()
        self.contextes.clear()

    @staticmethod
    def relance(page: Any, preparer: Callable[[], None], declencher: Callable[[], None]) -> Mesure:
        """`preparer` (ouvrir une liste, non chronométré) puis `declencher` (le clic qui change la valeur)."""
        preparer()
        page.evaluate("window.__clics = []")
        declencher()
        debut = page.evaluate("window.__clics.length ? window.__clics[window.__clics.length - 1] : null")
        if debut is None:
            raise RuntimeError("le clic n'a pas été vu par la page")
        try:
            fin = page.wait_for_function(RELANCE_FINIE, arg=debut, polling="raf", timeout=120_000).json_value()
        except Exception:
            etat = page.evaluate("[window.__etats, window.__clics, window.__complete()]")
            raise RuntimeError(f"relance inachevée (clic à {debut:.0f} ms) ; états, clics, complète : {etat}") from None
        mesure = decouper(page.evaluate("window.__etats"), debut, fin)
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


def choisir_dans_multiselect(page: Any, conteneur: str, libelle: str, option: str) -> Mesure:
    liste = page.locator(f"{conteneur} [data-testid='stMultiSelect']").filter(has_text=libelle).first
    return Navigateur.relance(
        page,
        lambda: ouvrir(page, liste),
        lambda: page.get_by_role("option", name=option, exact=True).click(),
    )


def choisir_territoire(page: Any, debut_du_nom: str, rang: int) -> Mesure:
    """Tape le début d'un nom dans la liste « Territoire » de la fiche et clique la `rang`-ième proposition."""
    liste = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(has_text="Territoire").first

    def preparer() -> None:
        ouvrir(page, liste)
        page.keyboard.type(debut_du_nom)
        page.get_by_role("option").first.wait_for()

    def declencher() -> None:
        options = page.get_by_role("option")
        options.nth(min(rang, options.count() - 1)).click()

    return Navigateur.relance(page, preparer, declencher)


def attendre_complete(page: Any) -> None:
    """Laisse passer une éventuelle exécution de plus (la liste refermée, l'adresse mise à jour)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => window.__complete()", polling="raf", timeout=180_000)


def retirer_la_region(page: Any) -> Mesure:
    """Retour sans filtre (déjà en cache) : Retour arrière dans le filtre « Région » retire la région choisie.
    (Le clic sur « Réinitialiser les filtres » juste après la fermeture de la liste est parfois perdu.)"""
    liste = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text="Région").first
    return Navigateur.relance(page, lambda: ouvrir(page, liste), lambda: page.keyboard.press("Backspace"))


def un_tour(navigateur: Navigateur, url: str, tour: int, suffixe: str) -> dict[str, list[Mesure]]:
    """Toutes les mesures d'un tour, sur un serveur neuf."""
    m: dict[str, list[Mesure]] = {}

    def noter(cle: str, mesure: Mesure) -> None:
        m.setdefault(cle, []).append(mesure)
        print(
            f"    {cle:<32} {mesure.total_s * 1000:8.0f} ms (avant script {mesure.avant_script_s * 1000:.0f}, "
            f"script {mesure.script_s * 1000:.0f}, après {mesure.apres_script_s * 1000:.0f})",
            flush=True,
        )

    mesure, _ = navigateur.premier_chargement(url + "/")
    noter("vue_premier_froid", mesure)
    mesure, page = navigateur.premier_chargement(url + "/")
    noter("vue_premier_chaud", mesure)
    for k in range(2):
        region = REGIONS[(2 * tour + k) % len(REGIONS)]
        noter("vue_relance_region", choisir_dans_multiselect(page, "[data-testid='stSidebar']", "Région", region))
        noter("vue_relance_cache_chaud", retirer_la_region(page))
    navigateur.fermer_pages()

    code = TERRITOIRES[tour % len(TERRITOIRES)] + suffixe
    mesure, page = navigateur.premier_chargement(f"{url}/territoire?territoire={code}")
    noter("fiche_premier", mesure)
    statut = STATUTS[tour % len(STATUTS)]
    noter("fiche_relance_statut", choisir_dans_multiselect(page, "[data-testid='stMain']", "Statut", statut))
    for k in range(2):
        nom = AUTRES_TERRITOIRES[(2 * tour + k) % len(AUTRES_TERRITOIRES)]
        noter("fiche_relance_territoire", choisir_territoire(page, nom, 1 + tour))
    navigateur.fermer_pages()
    return m


def mesurer_base(chemin_base: Path, tours: int, suffixe: str, journaux: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    mesures: dict[str, list[Mesure]] = {}
    with sync_playwright() as playwright:
        navigateur = Navigateur(playwright)
        try:
            for tour in range(tours):
                print(f"  tour {tour + 1}/{tours} (serveur neuf)", flush=True)
                journal = journaux / f"serveur-{chemin_base.stem}-{tour + 1}.log"
                with serveur_streamlit(chemin_base, journal) as url:
                    for cle, liste in un_tour(navigateur, url, tour, suffixe).items():
                        mesures.setdefault(cle, []).extend(liste)
        finally:
            navigateur.fermer()
    return {cle: resumer(liste) for cle, liste in mesures.items()}


def resumer(mesures: list[Mesure]) -> dict[str, Any]:
    mediane = {
        champ: statistics.median(getattr(m, champ) for m in mesures)
        for champ in ("total_s", "avant_script_s", "script_s", "apres_script_s")
    }
    return {**mediane, "n": len(mesures), "mesures": [asdict(m) for m in mesures]}


# --- 3. Profil côté serveur -------------------------------------------------------------------------


def profil_serveur(chemin_base: Path, repetitions: int = 3) -> dict[str, float]:
    """Médiane (en s) de chaque appel que fait la vue d'ensemble filtrée sur une région, puis la fiche,
    sans cache Streamlit : requêtes du cœur, figures, et leur sérialisation (plotly.io.to_json, Arrow)."""
    import pandas as pd  # noqa: PLC0415
    import plotly.io  # noqa: PLC0415
    from streamlit import dataframe_util  # noqa: PLC0415

    from rebond_core import (  # noqa: PLC0415
        cartographie,  # noqa: PLC0415
        figures,
        geo,
        perimetre,
        projection,
        versions,
    )
    from rebond_core.db import Base  # noqa: PLC0415
    from rebond_core.indicateurs import Filtres, calculer, verifier_filtres  # noqa: PLC0415
    from rebond_ui import tableaux_affiches  # noqa: PLC0415

    if GEO.is_dir():
        os.environ.setdefault("REBOND_GEO_DIR", str(GEO))
    base = Base.ouvrir(chemin_base, lecture_seule=True)
    durees: dict[str, list[float]] = {}
    resultats: dict[str, Any] = {}

    def chrono(nom: str, fonction: Callable[[], Any]) -> Any:
        debut = time.perf_counter()
        valeur = fonction()
        durees.setdefault(nom, []).append(time.perf_counter() - debut)
        resultats[nom] = valeur
        return valeur

    try:
        for rang in range(repetitions + 1):  # le premier passage échauffe (non compté)
            region = Filtres(region=(("32", "44", "53", "76")[rang % 4],))
            filtres = verifier_filtres(base, region)
            tous = verifier_filtres(base, Filtres())
            chrono("vue : perimetre.options_filtres", lambda: perimetre.options_filtres(base))
            chrono("vue : versions.statut_donnees", lambda: versions.statut_donnees(base))
            res = chrono("vue : calculer (région)", lambda: calculer(base, filtres))
            chrono("vue : calculer (sans filtre, projection)", lambda: calculer(base, tous))
            rel = chrono("vue : perimetre.laureats_par_releve", lambda: perimetre.laureats_par_releve(base, filtres))
            aides = chrono("vue : perimetre.aides_par_date (région)", lambda: perimetre.aides_par_date(base, filtres))
            aides_tous = chrono(
                "vue : perimetre.aides_par_date (sans filtre)", lambda: perimetre.aides_par_date(base, tous)
            )
            pfs = chrono(
                "vue : perimetre.projets_filiere_statut", lambda: perimetre.projets_filiere_statut(base, filtres)
            )
            terr = chrono("vue : perimetre.territoires (région)", lambda: perimetre.territoires(base, filtres))
            v = res.valeurs
            figs = [
                chrono(
                    "vue : figures.jauge_enveloppe",
                    lambda: figures.jauge_enveloppe(
                        [("Subventions", float(v["enveloppe_aides.subventions_eur"]), figures.BLEU_FRANCE)],
                        float(v["enveloppe_aides.total_eur"]),
                        "Aides",
                    ),
                ),
                chrono("vue : figures.laureats_par_releve", lambda: figures.laureats_par_releve(rel)),
            ]
            projection = chrono(
                "vue : projection.projection_epuisement",
                lambda: projection.projection_epuisement(aides_tous, v["enveloppe_aides.engage_eur"]),
            )
            figs.append(
                chrono(
                    "vue : figures.trajectoire_aides",
                    lambda: figures.trajectoire_aides(
                        aides,
                        projection.trajectoire_lineaire(),
                        projection.epuisement,
                        float(projection.engage_eur),
                        projection.reference,
                    ),
                )
            )
            figs.append(chrono("vue : figures.projets_filiere_statut", lambda: figures.projets_filiere_statut(pfs)))
            if geo.dossier_geo() is not None:
                valeurs = chrono(
                    "vue : cartographie.valeurs_par_epci",
                    lambda: cartographie.valeurs_par_epci(terr, "aides_engagees_eur"),
                )
                couches = chrono(
                    "vue : geo.couche (EPCI, régions ; en cache dans l'appli)",
                    lambda: (geo.couche("epci", set(valeurs["siren"])), geo.couche("regions")),
                )
                figs.append(
                    chrono(
                        "vue : figures.carte_epci",
                        lambda: figures.carte_epci(valeurs, couches[0] or {}, couches[1], "M€", "%{customdata[1]}"),
                    )
                )
            chrono(
                "vue : plotly.io.to_json (toutes les figures)",
                lambda: [plotly.io.to_json(f, validate=False) for f in figs],
            )
            if "vue : figures.carte_epci" in resultats:
                chrono(
                    "vue : plotly.io.to_json (carte seule)",
                    lambda: plotly.io.to_json(resultats["vue : figures.carte_epci"], validate=False),
                )
            vue = terr[list(tableaux_affiches.COLONNES_TERRITOIRES)].rename(
                columns=tableaux_affiches.COLONNES_TERRITOIRES
            )
            chrono(
                "vue : tableau des territoires → Arrow", lambda: dataframe_util.convert_pandas_df_to_arrow_bytes(vue)
            )

            code = str(terr["code_territoire"].iloc[rang % len(terr)])
            fiche = verifier_filtres(base, Filtres(territoire=(code,)))
            chrono(
                "fiche : perimetre.territoires (sans filtre, liste et médiane)",
                lambda: perimetre.territoires(base, tous),
            )
            chrono("fiche : calculer (territoire)", lambda: calculer(base, fiche))
            chrono("fiche : perimetre.territoires (territoire)", lambda: perimetre.territoires(base, fiche))
            chrono("fiche : perimetre.epci_du_territoire", lambda: perimetre.epci_du_territoire(base, code))
            projets = chrono("fiche : perimetre.projets (territoire)", lambda: perimetre.projets(base, fiche))
            chrono(
                "fiche : tableau des projets → Arrow",
                lambda: dataframe_util.convert_pandas_df_to_arrow_bytes(pd.DataFrame(projets)),
            )
            ratios = chrono(
                "fiche : projection.ratios_territoires",
                lambda: projection.ratios_territoires(
                    resultats["fiche : perimetre.territoires (sans filtre, liste et médiane)"]
                ),
            )
            chrono("fiche : projection.comparaison_mediane", lambda: projection.comparaison_mediane(ratios, code))
            if rang == 0:
                durees.clear()
    finally:
        base.fermer()
    return {nom: statistics.median(liste) for nom, liste in durees.items()}


# --- 4. Rapport -------------------------------------------------------------------------------------

LIBELLES = {
    "vue_premier_froid": "Vue d'ensemble `/`, premier chargement, serveur neuf",
    "vue_premier_chaud": "Vue d'ensemble `/`, premier chargement, serveur déjà servi",
    "vue_relance_region": "Vue d'ensemble, relance après choix d'une région (cache froid)",
    "vue_relance_cache_chaud": "Vue d'ensemble, relance après retrait de la région (sans filtre, cache chaud)",
    "fiche_premier": "Fiche `/territoire?territoire=…`, premier chargement",
    "fiche_relance_statut": "Fiche, relance après choix d'un « Statut » (données en cache)",
    "fiche_relance_territoire": "Fiche, relance après choix d'un autre « Territoire » (cache froid)",
}


def tableau_markdown(resultats: dict[str, Any]) -> str:
    facteur, demo, grande = resultats["facteur"], resultats["demo"], resultats["grande"]
    lignes = [
        f"## Pages dans le navigateur — facteur {facteur}",
        "",
        f"{resultats['date']} — Streamlit {resultats['streamlit']}, Chromium {resultats['chromium']} "
        f"(SwiftShader), {resultats['tours']} tours, chacun sur un serveur neuf ; médianes en ms. "
        f"Fonds de carte : {'oui' if resultats['geo'] else 'non'}.",
        "",
        "Premier chargement : début de la navigation → page complète (connectée, script fini, pied de "
        "page affiché, aucun `stSkeleton`), nouveau contexte de navigateur à chaque fois. Relance : clic "
        "→ page complète ; « script » = état `running` → `notRunning` vu du navigateur.",
        "",
    ]
    mesures = []
    for cle, libelle in LIBELLES.items():
        d, g = demo.get(cle), grande.get(cle)
        if g is None:
            continue
        cible = ""
        if cle == "vue_relance_region":
            cible = f"< {ms(CIBLE_RELANCE_S, 0)} ms : {verdict(g['total_s'] < CIBLE_RELANCE_S)}"
        mesures.append(
            [
                libelle,
                ms(d["total_s"], 0) if d else VIDE,
                f"**{ms(g['total_s'], 0)}**",
                ms(g["avant_script_s"], 0),
                ms(g["script_s"], 0),
                ms(g["apres_script_s"], 0),
                str(g["n"]),
                cible,
            ]
        )
    lignes += tableau(
        [
            "mesure",
            "démo total",
            f"×{facteur} total",
            f"×{facteur} avant script",
            f"×{facteur} script",
            f"×{facteur} après script",
            "n",
            "cible",
        ],
        mesures,
        [False, True, True, True, True, True, True, False],
    )
    lignes += [
        "",
        "Démonstration, découpage (avant script / script / après script, ms) : "
        + " ; ".join(
            f"{cle} {ms(m['avant_script_s'], 0)} / {ms(m['script_s'], 0)} / {ms(m['apres_script_s'], 0)}"
            for cle, m in demo.items()
        )
        + ".",
    ]
    if resultats.get("profil_serveur"):
        lignes += [
            "",
            f"### Côté serveur : appels des pages sur la base ×{facteur}, sans cache (médianes)",
            "",
            *tableau(
                ["appel", "ms"],
                ([nom, ms(duree)] for nom, duree in sorted(resultats["profil_serveur"].items(), key=lambda p: -p[1])),
                [False, True],
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


def executer(sortie: Path, facteur: int, tours: int) -> dict[str, Any]:
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
        "cible_relance_s": CIBLE_RELANCE_S,
    }
    with tempfile.TemporaryDirectory(prefix="rebond-pages-") as temporaire:
        journaux = Path(temporaire)
        for nom, suffixe in (("demo", ""), ("grande", f"-x{(facteur + 1) // 2:03d}")):
            print(f"Pages sur la base {nom} ({bases[nom].name})…", flush=True)
            resultats[nom] = mesurer_base(bases[nom], tours, suffixe, journaux)
    print("Profil côté serveur (grande base)…", flush=True)
    resultats["profil_serveur"] = profil_serveur(bases["grande"])
    markdown = tableau_markdown(resultats)
    ajouter_au_rapport(sortie, markdown, resultats)
    print()
    print(markdown)
    print(f"Résultats ajoutés à {sortie / 'resultats.md'} et {sortie / 'resultats.json'} (et pages.json).")
    return resultats


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="Temps des pages de Rebond dans Chromium.")
    analyseur.add_argument("--facteur", type=int, default=100)
    analyseur.add_argument("--tours", type=int, default=3, help="tours, chacun sur un serveur neuf (3)")
    analyseur.add_argument("--sortie", type=Path, default=RACINE / "bench" / "resultats")
    args = analyseur.parse_args(argv)
    executer(args.sortie.resolve(), args.facteur, args.tours)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
