"""Banc d'essai du classement des sites : calcul de robustesse (tirages de poids) sur une grande liste.

Usage (depuis la racine du dépôt) :

    .venv/bin/python bench/bench_sites.py [--sites 500] [--tirages 1000] [--repetitions 7]

Fabrique `--sites` sites notés au hasard (graine fixe) sur la grille « Sites industriels de demain »
(10 critères, notes 0 à 5, 15 % non évaluées), les classe, puis chronomètre `rebond_core.sites.robustesse`
(`--tirages` jeux de poids à ± 25 %, rangs de chaque tirage, centiles, part dans les 3 premiers) :
médiane de `--repetitions` mesures après un appel d'échauffement. Cible : moins d'une seconde pour
1 000 tirages sur 500 sites.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rebond_core import sites  # noqa: E402

CIBLE_S = 1.0


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="Banc d'essai : robustesse du classement des sites.")
    analyseur.add_argument("--sites", type=int, default=500)
    analyseur.add_argument("--tirages", type=int, default=sites.TIRAGES_PAR_DEFAUT)
    analyseur.add_argument("--repetitions", type=int, default=7)
    args = analyseur.parse_args(argv)

    grille = sites.grille(None)
    generateur = np.random.default_rng(1)
    matrice = generateur.integers(0, 6, size=(args.sites, len(grille.criteres))).astype(float)
    matrice[generateur.random(matrice.shape) < 0.15] = np.nan
    poids = {
        c.code: float(p) for c, p in zip(grille.criteres, generateur.uniform(0.5, 3, len(grille.criteres)), strict=True)
    }
    debut = time.perf_counter()
    classement = sites.classer(matrice, sites.reglages(grille, poids))
    duree_classement = time.perf_counter() - debut
    sites.robustesse(classement, tirages=args.tirages)  # warm-up
    durees = []
    for _ in range(args.repetitions):
        debut = time.perf_counter()
        resultat = sites.robustesse(classement, tirages=args.tirages)
        durees.append(time.perf_counter() - debut)
    mediane = statistics.median(durees)
    robustes = sum(p == sites.ROBUSTE for p in resultat.position)
    print(
        f"Sites : {args.sites} ({int(classement.retenu.sum())} classés), critères : {len(grille.criteres)}, "
        f"tirages : {args.tirages}"
    )
    print(f"Classement : {duree_classement * 1000:.1f} ms".replace(".", ","))
    print(
        f"Robustesse : médiane {mediane * 1000:.0f} ms (min {min(durees) * 1000:.0f} ms, max "
        f"{max(durees) * 1000:.0f} ms) — cible < {CIBLE_S:g} s : {'atteinte' if mediane < CIBLE_S else 'MANQUÉE'}"
    )
    print(f"Positions robustes : {robustes}")
    return 0 if mediane < CIBLE_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
