"""Bench of the COPIL reports (issue 11): a territory's report on a warm process (what a click on the
territory page costs once the server has made one report), the national note, and the batch of every
demonstration territory, in process and through the command line (a cold process, as before a committee
round). Targets: under 2 s a report, under 30 s the batch.

    .venv/bin/python bench/bench_rapport_copil.py [--repetitions 5]

Runs on a fresh demonstration base in a temporary folder, with the boundaries of REBOND_GEO_DIR when set
(the map is part of the report); prints the figures as Markdown."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from rebond_core import rapports  # noqa: E402
from rebond_core.creation import creer_base  # noqa: E402
from rebond_core.db import Base  # noqa: E402
from rebond_core.perimetre import Filtres  # noqa: E402

TERRITOIRES = ("ardennes", "lorient", "grand-chatellerault")  # the largest (189 projects), a middle one, the smallest


def _mesure(fonction: object, repetitions: int) -> tuple[float, float]:
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()  # type: ignore[operator]
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees), max(durees)


def main() -> None:
    parametres = argparse.ArgumentParser(description=__doc__)
    parametres.add_argument("--repetitions", type=int, default=5)
    args = parametres.parse_args()
    au = date.today()
    with tempfile.TemporaryDirectory() as dossier:
        chemin = Path(dossier) / "demo.duckdb"
        creer_base(chemin, demo=True).fermer()
        base = Base.ouvrir(chemin)
        try:
            debut = time.perf_counter()
            rapports.rapport_territoire(base, "lorient", au, enregistrer=False)
            premier = time.perf_counter() - debut
            print("| Mesure | Médiane (s) | Max (s) |\n| --- | ---: | ---: |")
            print(f"| premier rapport du processus (lorient) | {premier:.2f} | {premier:.2f} |")
            codes = [c for (c,) in base.lignes("select code_territoire from territoires_a(1) order by 1")]
            durees = []
            for code in codes:  # the batch, in this warm process: each report made for the first time
                debut = time.perf_counter()
                rapports.rapport_territoire(base, code, au, enregistrer=False)
                durees.append(time.perf_counter() - debut)
            print(
                f"| un rapport de territoire, processus chaud ({len(codes)} territoires) "
                f"| {statistics.median(durees):.2f} | {max(durees):.2f} |"
            )
            for code in TERRITOIRES:
                mediane, maximum = _mesure(
                    lambda c=code: rapports.rapport_territoire(base, c, au, enregistrer=False), args.repetitions
                )
                print(f"| rapport {code} redemandé | {mediane:.2f} | {maximum:.2f} |")
            mediane, maximum = _mesure(lambda: rapports.note_nationale(base, Filtres(au=au)), args.repetitions)
            print(f"| note nationale, processus chaud | {mediane:.2f} | {maximum:.2f} |")
            print(f"| lot des {len(codes)} territoires, dans le processus | {sum(durees):.2f} | {sum(durees):.2f} |")
        finally:
            base.fermer()
        debut = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rebond_core",
                "rapport",
                "--tous",
                "-o",
                str(Path(dossier) / "lot"),
                "--db",
                str(chemin),
            ],
            cwd=RACINE,
            check=True,
            capture_output=True,
        )
        commande = time.perf_counter() - debut
        libelle = f"lot des {len(codes)} territoires, commande `rapport --tous` (processus neuf)"
        print(f"| {libelle} | {commande:.2f} | {commande:.2f} |")


if __name__ == "__main__":
    main()
