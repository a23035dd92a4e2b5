"""Mémoire du serveur Streamlit sur un grand territoire (100 000 projets), page par page.

`.venv/bin/python bench/memoire.py [--projets 100000]` (environ une minute) :

1. Base : la démonstration (`creer_base(…, demo=True)`) plus un territoire « geant » de `--projets`
   projets de tous statuts et des versements de la moitié de ses projets accordés, importés par le vrai
   pipeline depuis des CSV (`tests/outils/grand_territoire.py`). La base reste dans
   `bench/resultats/bases/` et est réutilisée.
2. Un serveur neuf (`python -m rebond_ui.serveur run dashboard.py`), puis, dans Chromium, chaque page
   ouverte l'une après l'autre dans la même session du serveur : la mémoire résidente du processus serveur (VmRSS de
   /proc, en Mo) après le démarrage, puis une fois chaque page complète (connectée, script fini, pied de
   page affiché), et le pic (VmHWM) à la fin. Durée du premier chargement de chaque page.

Le tableau est ajouté à `bench/resultats/resultats.md` (section « Mémoire du serveur », remplacée à chaque
exécution) et écrit dans `bench/resultats/memoire.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from tests.outils.navigateur import ARGUMENTS_CHROMIUM, CHROMIUM, attendre  # noqa: E402
from tests.outils.serveur import serveur_streamlit  # noqa: E402

PAGES = (
    ("/", "Vue d'ensemble (tout le programme)"),
    ("/territoire?territoire=geant", "Fiche du territoire géant"),
    ("/a-suivre?territoire=geant", "Projets à suivre du territoire géant"),
    ("/sites?territoire=geant", "Sites (territoire géant)"),
    ("/historique", "Historique des versions"),
)


def preparer_base(dossier: Path, projets: int) -> Path:
    from rebond_core.creation import creer_base  # noqa: PLC0415
    from tests.outils.grand_territoire import importer_grand_territoire  # noqa: PLC0415

    dossier.mkdir(parents=True, exist_ok=True)
    chemin = dossier / f"geant-{projets}.duckdb"
    if chemin.exists() and not Path(f"{chemin}.wal").exists():
        print(f"Base réutilisée : {chemin}", flush=True)
        return chemin
    provisoire = chemin.with_suffix(".provisoire.duckdb")
    for reste in (provisoire, Path(f"{provisoire}.wal")):
        reste.unlink(missing_ok=True)
    debut = time.perf_counter()
    creer_base(provisoire, demo=True).fermer()
    importer_grand_territoire(provisoire, dossier / "geant-csv", projets)
    provisoire.replace(chemin)
    print(f"Base créée en {time.perf_counter() - debut:.1f} s : {chemin}", flush=True)
    return chemin


def pid_du_serveur(port: int) -> int:
    """The process of `… run dashboard.py … --server.port PORT` (tests/outils/serveur.py starts one)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            arguments = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"dashboard.py" in arguments and str(port).encode() in arguments:
            return int(proc.name)
    raise RuntimeError(f"aucun serveur Streamlit sur le port {port}")


def memoire_mo(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of a process, in MB."""
    valeurs = {}
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        cle, _, reste = ligne.partition(":")
        if cle in ("VmRSS", "VmHWM"):
            valeurs[cle] = int(reste.split()[0]) / 1024
    return valeurs


def mesurer(chemin_base: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    resultats: dict[str, Any] = {"pages": []}
    with serveur_streamlit(chemin_base, chemin_base.parent / "memoire-serveur.log") as url:
        pid = pid_du_serveur(int(url.rsplit(":", 1)[1]))
        resultats["demarrage_mo"] = memoire_mo(pid)["VmRSS"]
        with sync_playwright() as playwright:
            navigateur = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS_CHROMIUM)
            try:
                page = navigateur.new_page(locale="fr-FR", viewport={"width": 1400, "height": 1000})
                for chemin, libelle in PAGES:
                    debut = time.perf_counter()
                    page.goto(url + chemin)
                    attendre(page)
                    duree = time.perf_counter() - debut
                    exceptions = page.locator("[data-testid='stException']").count()
                    mesure = memoire_mo(pid)
                    resultats["pages"].append(
                        {
                            "page": libelle,
                            "chemin": chemin,
                            "s": duree,
                            "rss_mo": mesure["VmRSS"],
                            "erreurs": exceptions,
                        }
                    )
                    print(f"  {libelle:<45} {duree:6.1f} s  {mesure['VmRSS']:7.0f} Mo", flush=True)
            finally:
                navigateur.close()
        resultats["pic_mo"] = memoire_mo(pid)["VmHWM"]
    return resultats


def markdown(resultats: dict[str, Any]) -> str:
    from rebond_core.formats import nombre  # noqa: PLC0415

    lignes = [
        f"## Mémoire du serveur — territoire de {nombre(resultats['projets'])} projets",
        "",
        f"{resultats['date']} — serveur neuf, pages ouvertes l'une après l'autre dans Chromium ; mémoire "
        "résidente du processus serveur (VmRSS) une fois chaque page complète.",
        "",
        "| page | premier chargement (s) | mémoire (Mo) | exceptions |",
        "| --- | ---: | ---: | ---: |",
        f"| serveur démarré | | {nombre(resultats['demarrage_mo'])} | |",
        *(
            f"| {p['page']} (`{p['chemin']}`) | {nombre(p['s'], 1)} | {nombre(p['rss_mo'])} | {p['erreurs']} |"
            for p in resultats["pages"]
        ),
        f"| **pic (VmHWM)** | | **{nombre(resultats['pic_mo'])}** | |",
    ]
    return "\n".join(lignes) + "\n"


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="Mémoire du serveur sur un grand territoire.")
    analyseur.add_argument("--projets", type=int, default=100_000)
    analyseur.add_argument("--sortie", type=Path, default=RACINE / "bench" / "resultats")
    args = analyseur.parse_args(argv)
    sortie = args.sortie.resolve()
    chemin = preparer_base(sortie / "bases", args.projets)
    resultats = {"projets": args.projets, "date": datetime.now().isoformat(timespec="seconds"), **mesurer(chemin)}
    texte = markdown(resultats)
    print()
    print(texte)
    (sortie / "memoire.json").write_text(json.dumps(resultats, ensure_ascii=False, indent=2), encoding="utf-8")
    chemin_md = sortie / "resultats.md"
    ancien = chemin_md.read_text(encoding="utf-8") if chemin_md.exists() else ""
    avant, _, apres = ancien.partition("## Mémoire du serveur")
    suite = apres.split("\n## ", 1)[1] if "\n## " in apres else ""
    chemin_md.write_text(
        avant.rstrip() + ("\n\n" if avant.strip() else "") + texte + (f"\n## {suite}" if suite else ""),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
