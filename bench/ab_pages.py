"""A/B de la vue d'ensemble entre deux copies du dépôt (ou plus) : première apparition et relance après une région.

    git worktree add /tmp/avant REV        # ou toute copie du dépôt, à comparer à celui-ci
    .venv/bin/python bench/ab_pages.py --variantes "avant=/tmp/avant;apres=." [--tours 6] [--base CHEMIN]

Sur une machine partagée, deux exécutions de `bench.py --pages` à des moments différents ne se comparent pas :
la charge change entre elles. Ici, à chaque tour, un serveur neuf par variante (le code de sa copie, la même
base), réchauffé par une première apparition non comptée, puis, variante après variante (l'ordre s'inverse
d'un tour à l'autre) : une première apparition dans un contexte neuf (cache du navigateur vide), puis
`--relances` choix d'une région, chacun suivi d'un retour sans filtre non compté. Les mesures et la page
« complète » sont celles de bench/pages.py (graphiques dessinés compris). Sortie : chaque mesure, puis les
médianes par variante (durée jusqu'à la page complète et stable, CPU du rendu, du processus graphique et du
serveur, script), et bench/resultats/ab/ab-HHMMSS.json."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

import pages as banc  # bench/pages.py, à côté de ce fichier

CHAMPS = ("complete_s", "total_s", "cpu_rendu_s", "cpu_gpu_s", "cpu_serveur_total_s", "serveur_s")


def _mesure(m: banc.Mesure) -> dict[str, float]:
    return {champ: float(getattr(m, champ)) for champ in CHAMPS}


def relance_region(nav: banc.Navigateur, page: Any, region: str) -> dict[str, float]:
    mesure = banc.choisir_dans_multiselect(nav, page, "[data-testid='stSidebar']", "Région", region)
    banc.retirer_la_region(nav, page)  # retour sans filtre, non compté : la relance suivante part du programme
    return _mesure(mesure)


def ligne(nom: str, genre: str, d: dict[str, float]) -> str:
    return (
        f"  {nom:<10} {genre:<8} complète {d['complete_s'] * 1000:5.0f} stable {d['total_s'] * 1000:5.0f} | CPU "
        f"rendu {d['cpu_rendu_s'] * 1000:5.0f} gpu {d['cpu_gpu_s'] * 1000:5.0f} serveur "
        f"{d['cpu_serveur_total_s'] * 1000:4.0f} | script {d['serveur_s'] * 1000:4.0f} | "
        f"charge {os.getloadavg()[0]:.1f}"
    )


def mediane(mesures: list[dict[str, float]], champ: str) -> float:
    return statistics.median(m[champ] for m in mesures) * 1000


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="A/B de la vue d'ensemble entre copies du dépôt.")
    analyseur.add_argument("--variantes", required=True, help='"nom=dossier;nom=dossier" (copies du dépôt)')
    analyseur.add_argument("--tours", type=int, default=6, help="tours, chacun sur des serveurs neufs (6)")
    analyseur.add_argument("--relances", type=int, default=2, help="choix d'une région par tour et variante (2)")
    analyseur.add_argument("--base", type=Path, default=banc.RACINE / "bench" / "resultats" / "bases" / "demo.duckdb")
    args = analyseur.parse_args(argv)
    variantes = [
        (nom, Path(dossier).resolve()) for nom, dossier in (v.split("=", 1) for v in args.variantes.split(";"))
    ]
    for nom, dossier in variantes:
        if not (dossier / "dashboard.py").is_file():
            print(f"{nom} : {dossier} n'est pas une copie du dépôt (dashboard.py absent).", file=sys.stderr)
            return 2
    if not args.base.is_file():
        print(f"Base introuvable : {args.base} (bench/bench.py --pages la prépare).", file=sys.stderr)
        return 2
    sortie = banc.RACINE / "bench" / "resultats" / "ab"
    sortie.mkdir(parents=True, exist_ok=True)
    instant = time.strftime("%H%M%S")
    resultats: dict[str, dict[str, list[dict[str, float]]]] = {n: {"premier": [], "relance": []} for n, _ in variantes}
    charges: list[float] = []
    perdus = {n: 0 for n, _ in variantes}  # clics perdus puis repris (bench/pages.py, Navigateur.relance)
    with sync_playwright() as pw:
        for tour in range(args.tours):
            with ExitStack() as pile:
                navigateurs: dict[str, tuple[banc.Navigateur, str]] = {}
                for nom, dossier in variantes:
                    chrono = sortie / f"chrono-{instant}-{nom}-{tour}.jsonl"
                    journal = sortie / f"serveur-{nom}.log"
                    url = pile.enter_context(banc.serveur_chronometre(args.base, journal, chrono, racine=dossier))
                    nav = banc.Navigateur(pw, chrono)
                    pile.callback(nav.fermer)
                    nav.premier_chargement(url + "/")  # le serveur sert une fois : non compté
                    nav.fermer_pages()
                    navigateurs[nom] = (nav, url)
                print(f"tour {tour + 1}/{args.tours}", flush=True)
                charges.append(os.getloadavg()[0])
                for nom, _ in variantes if tour % 2 == 0 else variantes[::-1]:
                    nav, url = navigateurs[nom]
                    premiere, page = nav.premier_chargement(url + "/")  # contexte neuf : cache du navigateur vide
                    mesure = _mesure(premiere)
                    resultats[nom]["premier"].append(mesure)
                    print(ligne(nom, "premier", mesure), flush=True)
                    banc.attendre_complete(page)
                    for rang in range(args.relances):
                        region = banc.REGIONS[(args.relances * tour + rang) % len(banc.REGIONS)]
                        mesure = relance_region(nav, page, region)
                        resultats[nom]["relance"].append(mesure)
                        print(ligne(nom, "relance", mesure), flush=True)
                    nav.fermer_pages()
                for nom, (nav, _) in navigateurs.items():
                    perdus[nom] += nav.clics_perdus
    print(f"\nMédianes (charge pendant les tours : {min(charges):.1f} à {max(charges):.1f})")
    print("Clics perdus, mesure reprise : " + ", ".join(f"{nom} {n}" for nom, n in perdus.items()))
    for genre in ("premier", "relance"):
        for nom, dossier in variantes:
            m = resultats[nom][genre]
            print(
                f"{genre:<8} {nom:<10} n={len(m):2d} complète {mediane(m, 'complete_s'):5.0f} stable "
                f"{mediane(m, 'total_s'):5.0f} | CPU rendu {mediane(m, 'cpu_rendu_s'):5.0f} gpu "
                f"{mediane(m, 'cpu_gpu_s'):5.0f} serveur {mediane(m, 'cpu_serveur_total_s'):4.0f} | script "
                f"{mediane(m, 'serveur_s'):4.0f}   [{dossier}]"
            )
    fichier = sortie / f"ab-{instant}.json"
    fichier.write_text(json.dumps({"variantes": [[n, str(d)] for n, d in variantes], "resultats": resultats}))
    print(f"Résultats : {fichier}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
