"""Banc d'essai de Rebond : import validé contre chargement brut, et requêtes d'indicateurs à grande échelle.

Usage (depuis la racine du dépôt) :

    .venv/bin/python bench/bench.py [--facteur 100] [--repetitions 5] [--sortie bench/resultats]
    .venv/bin/python bench/bench.py --pages [--facteur 100] [--tours 3] [--sans-fiche] [--sans-profil]  # pages
    .venv/bin/python bench/bench.py --import-seul [--repetitions 3]        # l'import seul

1. Fabrique une base `facteur` fois la démonstration, en fichiers CSV façon Excel français
   (`;`, virgule décimale, UTF-8) : chaque territoire, projet et site de la démonstration est recopié
   `facteur` fois sous une nouvelle clé (`ardennes-x042`, `PRJ-ardennes-001-x042`), avec les vraies
   régions, EPCI et communes.
2. Chronomètre l'import validé (`rebond_core.importation.importer`, et chacune de ses étapes) et un
   chargement brut des mêmes fichiers (pandas.read_csv puis CREATE TABLE … AS SELECT dans DuckDB, sans
   validation), et profile un import.
3. Chronomètre les indicateurs (`calculer` et la commande `indicateurs --json`) sur la base de
   démonstration et sur la grande base.
4. Écrit un tableau Markdown et un fichier JSON des résultats dans le dossier de sortie.

Avec `--pages`, mesure à la place les temps des pages dans Chromium (voir bench/pages.py) et ajoute
leur tableau à resultats.md et resultats.json.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import python_calamine  # noqa: E402

from rebond_core.config import CLASSEUR_DEMO, ENVELOPPE_AIDES_EUR, ENVELOPPE_INGENIERIE_EUR  # noqa: E402
from rebond_core.creation import creer_base  # noqa: E402
from rebond_core.db import Base  # noqa: E402
from rebond_core.importation.pipeline import importer, sans_ramasse_miettes  # noqa: E402
from rebond_core.indicateurs import Filtres, calculer, verifier_filtres  # noqa: E402
from tests.outils.bases import copie_de  # noqa: E402

sys.path.insert(0, str(RACINE / "bench"))
from rapport import mo, ms, s, tableau, verdict, x  # noqa: E402  (bench/rapport.py)

TABLES = ("releves", "territoires", "projets", "sites")
CIBLE_RATIO_IMPORT = 3.0
CIBLE_RATIO_COMMANDE = 1.5
CENTIMES = Decimal("0.01")
BASE_IMPORTEE = "import.duckdb"  # la dernière copie importée sert ensuite aux mesures d'indicateurs

# Montants divisés par le facteur, pour que les totaux du programme restent sous les enveloppes
# nationales (règle 5) et que chaque territoire garde le même rapport aides / enveloppe (règle 4).
MONTANTS_REDUITS = {
    "territoires": ("cout_mission_eur", "enveloppe_aides_eur", "cofinancement_local_eur"),
    "projets": ("subvention_eur", "avance_remboursable_eur"),
}

# Types pour le chargement brut (pandas) : codes en texte, dates jour/mois/année, booléens oui/non.
TEXTES_BRUTS = {
    "releves": [],
    "territoires": ["code_territoire", "nom", "region", "epci", "filieres", "statut_mission", "cabinet"],
    "projets": [
        "id_projet",
        "code_territoire",
        "intitule",
        "entreprise",
        "siren",
        "commune",
        "filiere",
        "origine",
        "statut",
    ],
    "sites": ["id_site", "code_territoire", "nom", "commune", "type_foncier", "maitrise_fonciere"],
}
DATES_BRUTES = {
    "releves": ["date_limite", "date_annonce"],
    "territoires": ["date_debut_mission", "date_fin_mission"],
    "projets": ["date_decision"],
    "sites": [],
}

Table = tuple[list[str], list[list[Any]]]  # en-têtes, lignes


# --- 1. La grande base en CSV -------------------------------------------------------------------


def lire_demo() -> dict[str, Table]:
    """Les quatre feuilles du classeur de démonstration, cellules telles que lues (en-têtes, lignes)."""
    classeur = python_calamine.CalamineWorkbook.from_path(str(CLASSEUR_DEMO))
    tables = {}
    for table in TABLES:
        lignes = classeur.get_sheet_by_name(table).to_python()
        entetes = [str(c) for c in lignes[0]]
        tables[table] = (entetes, [list(ligne) for ligne in lignes[1:] if any(c != "" for c in ligne)])
    return tables


def suffixe(copie: int) -> str:
    return f"-x{copie:03d}"


def reduire(valeur: Any, facteur: int) -> Any:
    """Un montant divisé par le facteur, arrondi au centime ; cellule vide inchangée."""
    if valeur in ("", None):
        return valeur
    return (Decimal(str(valeur)) / facteur).quantize(CENTIMES, rounding=ROUND_HALF_EVEN)


def copier_ligne(table: str, entetes: list[str], ligne: list[Any], copie: int, facteur: int) -> list[Any]:
    """Une ligne de la démonstration pour la copie `copie` : clés suffixées, montants réduits."""
    valeurs = dict(zip(entetes, ligne, strict=True))
    for colonne in ("code_territoire", "id_projet", "id_site"):
        if colonne in valeurs:
            valeurs[colonne] = f"{valeurs[colonne]}{suffixe(copie)}"
    for colonne in MONTANTS_REDUITS.get(table, ()):
        valeurs[colonne] = reduire(valeurs[colonne], facteur)
    return [valeurs[c] for c in entetes]


def repliquer(demo: dict[str, Table], facteur: int) -> dict[str, Table]:
    """La démonstration recopiée `facteur` fois (les relèves, déjà communes à toutes les bases, une seule fois)."""
    grande: dict[str, Table] = {"releves": demo["releves"]}
    for table in ("territoires", "projets", "sites"):
        entetes, lignes = demo[table]
        copies = [copier_ligne(table, entetes, ligne, c, facteur) for c in range(1, facteur + 1) for ligne in lignes]
        grande[table] = (entetes, copies)
    return grande


def cellule_csv(valeur: Any) -> str:
    """Une cellule comme l'écrit Excel en français : 1504000, 8,2, 01/02/2023, texte tel quel."""
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, datetime):
        valeur = valeur.date()
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, Decimal):
        return format(valeur.normalize(), "f").replace(".", ",") if valeur != valeur.to_integral() else str(int(valeur))
    if isinstance(valeur, float):
        return repr(valeur).replace(".", ",")
    return str(valeur)


def ecrire_csv(chemin: Path, table: Table) -> None:
    entetes, lignes = table
    with chemin.open("w", encoding="utf-8", newline="") as flux:
        ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
        ecrivain.writerow(entetes)
        ecrivain.writerows([cellule_csv(v) for v in ligne] for ligne in lignes)


def fabriquer_csv(dossier: Path, facteur: int) -> list[Path]:
    """Écrit releves.csv, territoires.csv, projets.csv et sites.csv ; rend leurs chemins."""
    dossier.mkdir(parents=True, exist_ok=True)
    grande = repliquer(lire_demo(), facteur)
    chemins = []
    for table in TABLES:
        chemin = dossier / f"{table}.csv"
        ecrire_csv(chemin, grande[table])
        chemins.append(chemin)
    return chemins


# --- 2. Import validé contre chargement brut --------------------------------------------------------


def mediane(durees: list[float]) -> float:
    return statistics.median(durees)


def base_vide_modele(dossier: Path) -> Path:
    """Une base vide (référentiel et calendrier), recopiée avant chaque mesure."""
    chemin = dossier / "modele-vide.duckdb"
    creer_base(chemin, demo=False).fermer()
    return chemin


# The steps of an import as `importer` announces them to its `suivi` callback (the step that starts),
# and how the report names the time from that announcement to the next.
ETAPES_IMPORT = {
    "début": "lecture des fichiers (CSV → colonnes)",
    "Vérification des cellules": "vérification des cellules (validation)",
    "Règles entre les tables": "règles entre les tables (état, fusion, règles)",
    "Calcul des changements": "calcul des changements",
    "Écriture de la nouvelle version": "écriture de la version (DuckDB)",
}


class Etapes:
    """Durées murale et CPU de chaque étape d'un import, relevées par le rappel `suivi` de `importer`."""

    def __init__(self) -> None:
        self.marques = [("début", time.perf_counter(), time.process_time())]

    def __call__(self, etape: str, _avancement: float) -> None:
        if etape in ETAPES_IMPORT:
            self.marques.append((etape, time.perf_counter(), time.process_time()))

    def durees(self) -> dict[str, tuple[float, float]]:
        """Étape → (durée murale, temps CPU), jusqu'à la marque suivante ou jusqu'à maintenant."""
        marques = [*self.marques, ("fin", time.perf_counter(), time.process_time())]
        return {
            ETAPES_IMPORT[nom]: (suivante[1] - mur, suivante[2] - cpu)
            for (nom, mur, cpu), suivante in zip(marques, marques[1:], strict=False)
        }


def import_valide(chemin_base: Path, fichiers: list[Path]) -> tuple[float, float, Any, dict[str, tuple[float, float]]]:
    """Durées murale et CPU de `importer` (ouverture et fermeture de la base hors chrono), son résultat
    et la durée de chacune de ses étapes."""
    base = Base.ouvrir(chemin_base)
    try:
        debut, debut_cpu = time.perf_counter(), time.process_time()
        with sans_ramasse_miettes():  # as the command line does
            etapes = Etapes()
            resultat = importer(base, fichiers, "bench", suivi=etapes)
            durees = etapes.durees()
        return time.perf_counter() - debut, time.process_time() - debut_cpu, resultat, durees
    finally:
        base.fermer()


def lire_csv_brut(chemin: Path) -> pd.DataFrame:
    table = chemin.stem
    return pd.read_csv(
        chemin,
        sep=";",
        decimal=",",
        encoding="utf-8",
        dtype={c: str for c in TEXTES_BRUTS[table]},
        parse_dates=DATES_BRUTES[table],
        date_format="%d/%m/%Y",
        true_values=["oui"],
        false_values=["non"],
    )


def chargement_brut(chemin_base: Path, fichiers: list[Path]) -> tuple[float, float]:
    """Durées murale et CPU de pandas.read_csv puis CREATE TABLE … AS SELECT * FROM df, pour chaque fichier."""
    connexion = duckdb.connect(str(chemin_base))
    try:
        debut, debut_cpu = time.perf_counter(), time.process_time()
        for chemin in fichiers:
            df = lire_csv_brut(chemin)
            connexion.register("df", df)
            connexion.execute(f"create table brut_{chemin.stem} as select * from df")
            connexion.unregister("df")
        return time.perf_counter() - debut, time.process_time() - debut_cpu
    finally:
        connexion.close()


def mesurer_imports(modele: Path, dossier: Path, fichiers: list[Path], repetitions: int) -> dict[str, Any]:
    """Médianes de l'import validé et du chargement brut, chacun sur une copie fraîche de la base vide.

    Le temps CPU du processus (tous fils compris) est relevé à côté du temps mural : la machine
    peut être partagée, et il varie beaucoup moins d'une répétition à l'autre.
    """
    valides, valides_cpu, bruts, bruts_cpu, resultat = [], [], [], [], None
    etapes: dict[str, list[tuple[float, float]]] = {}
    for numero in range(repetitions):
        duree, cpu, resultat, durees = import_valide(copie_de(modele, dossier, BASE_IMPORTEE), fichiers)
        valides.append(duree)
        valides_cpu.append(cpu)
        for etape, mesure in durees.items():
            etapes.setdefault(etape, []).append(mesure)
        duree_brute, cpu_brut = chargement_brut(copie_de(modele, dossier, "brut.duckdb"), fichiers)
        bruts.append(duree_brute)
        bruts_cpu.append(cpu_brut)
        print(
            f"  répétition {numero + 1}/{repetitions} : import {duree:.2f} s (CPU {cpu:.2f} s), "
            f"brut {duree_brute:.2f} s (CPU {cpu_brut:.2f} s)",
            flush=True,
        )
    assert resultat is not None
    rapport = resultat.rapport
    if not rapport.valide:
        lignes = "\n".join(p.en_ligne() for p in rapport.erreurs[:10])
        raise SystemExit(f"L'import de la grande base est refusé ({rapport.nombre_erreurs} erreurs) :\n{lignes}")
    return {
        "import_valide_s": mediane(valides),
        "chargement_brut_s": mediane(bruts),
        "ratio": mediane(valides) / mediane(bruts),
        "import_valide_cpu_s": mediane(valides_cpu),
        "chargement_brut_cpu_s": mediane(bruts_cpu),
        "ratio_cpu": mediane(valides_cpu) / mediane(bruts_cpu),
        "mesures_import_s": valides,
        "mesures_brut_s": bruts,
        "mesures_import_cpu_s": valides_cpu,
        "mesures_brut_cpu_s": bruts_cpu,
        "etapes": {
            etape: {"duree_s": mediane([m for m, _ in mesures]), "cpu_s": mediane([c for _, c in mesures])}
            for etape, mesures in etapes.items()
        },
        "lignes_importees": resultat.comptes(),
        "avertissements": _compter_codes(rapport.avertissements),
        "version": resultat.version,
    }


def _compter_codes(problemes: list[Any]) -> dict[str, int]:
    comptes: dict[str, int] = {}
    for probleme in problemes:
        comptes[probleme.code] = comptes.get(probleme.code, 0) + 1
    return comptes


def profiler_import(modele: Path, dossier: Path, fichiers: list[Path], sortie: Path) -> str:
    """Un import sous cProfile ; écrit les 15 premières fonctions (cumulé, puis propre) ; rend l'extrait cumulé."""
    base = Base.ouvrir(copie_de(modele, dossier, "profil.duckdb"))
    profil = cProfile.Profile()
    try:
        profil.runcall(importer, base, fichiers, "bench")
    finally:
        base.fermer()
    textes = {}
    for tri in ("cumulative", "tottime"):
        flux = io.StringIO()
        pstats.Stats(profil, stream=flux).strip_dirs().sort_stats(tri).print_stats(15)
        textes[tri] = flux.getvalue()
    (sortie / "profil_import.txt").write_text(
        "# Profil d'un import (cProfile), 15 premières fonctions par temps cumulé\n"
        + textes["cumulative"]
        + "\n# Les mêmes, par temps propre (tottime)\n"
        + textes["tottime"],
        encoding="utf-8",
    )
    profil.dump_stats(str(sortie / "profil_import.prof"))
    return textes["cumulative"]


# --- 3. Indicateurs -------------------------------------------------------------------------------


def filtres_mesures(territoire: str) -> dict[str, Filtres]:
    return {
        "sans filtre": Filtres(),
        "region=32": Filtres(region=("32",)),
        "releve=1": Filtres(releve=(1,)),
        "filiere=automobile": Filtres(filiere=("automobile",)),
        "territoire=un territoire": Filtres(territoire=(territoire,)),
    }


def chronometrer(fonction: Callable[[], Any], repetitions: int) -> float:
    """Médiane de `repetitions` appels, après un appel d'échauffement non compté."""
    fonction()
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        durees.append(time.perf_counter() - debut)
    return mediane(durees)


def mesurer_calculer(chemin_base: Path, territoire: str, repetitions: int) -> dict[str, float]:
    """Médiane de `calculer` pour chaque filtre (filtres vérifiés une fois, hors chrono)."""
    base = Base.ouvrir(chemin_base, lecture_seule=True)
    try:
        durees = {}
        for nom, filtres in filtres_mesures(territoire).items():
            verifies = verifier_filtres(base, filtres)
            durees[nom] = chronometrer(lambda f=verifies: calculer(base, f), repetitions)
        return durees
    finally:
        base.fermer()


CONTROLES = ("territoires.nombre", "projets.total", "enveloppe_ingenierie.engage_eur", "enveloppe_aides.engage_eur")


def valeurs_controle(chemin_base: Path) -> dict[str, str]:
    """Quelques indicateurs sans filtre, pour vérifier que la grande base est bien la démonstration × facteur."""
    base = Base.ouvrir(chemin_base, lecture_seule=True)
    try:
        valeurs = calculer(base, verifier_filtres(base, Filtres())).valeurs
        return {cle: str(valeurs[cle]) for cle in CONTROLES}
    finally:
        base.fermer()


def mesurer_commande(chemin_base: Path, repetitions: int) -> float:
    """Médiane de la durée murale de `python -m rebond_core indicateurs --json --db CHEMIN`."""
    commande = [sys.executable, "-m", "rebond_core", "indicateurs", "--json", "--db", str(chemin_base)]

    def lancer() -> None:
        subprocess.run(commande, cwd=RACINE, check=True, capture_output=True)

    return chronometrer(lancer, repetitions)


def mesurer_indicateurs(chemin_demo: Path, chemin_grande: Path, facteur: int, repetitions: int) -> dict[str, Any]:
    territoire_grand = f"ardennes{suffixe((facteur + 1) // 2)}"
    demo = mesurer_calculer(chemin_demo, "ardennes", repetitions)
    grande = mesurer_calculer(chemin_grande, territoire_grand, repetitions)
    demo["commande indicateurs --json"] = mesurer_commande(chemin_demo, repetitions)
    grande["commande indicateurs --json"] = mesurer_commande(chemin_grande, repetitions)
    return {
        "territoire_grande_base": territoire_grand,
        "controle": {"demo": valeurs_controle(chemin_demo), "grande": valeurs_controle(chemin_grande)},
        "mesures": {
            nom: {"demo_s": demo[nom], "grande_s": grande[nom], "ratio": grande[nom] / demo[nom]} for nom in demo
        },
    }


# --- 4. Rapport -----------------------------------------------------------------------------------


def tableau_markdown(resultats: dict[str, Any]) -> str:
    taille, facteur = resultats["taille"], resultats["facteur"]
    lignes = [
        f"# Banc d'essai Rebond — facteur {facteur}",
        "",
        f"{resultats['date']} — Python {resultats['python']}, DuckDB {resultats['duckdb']}, "
        f"{resultats['repetitions']} répétitions (médianes).",
        "",
        f"Grande base : {taille['territoires']} territoires, {taille['projets']} projets, "
        f"{taille['sites']} sites, {taille['releves']} relèves ; CSV de {mo(taille['octets'])} Mo.",
        "",
        *section_import(resultats["import"]),
    ]
    if resultats.get("indicateurs") is not None:
        lignes += ["", *section_indicateurs(resultats["indicateurs"], facteur)]
    return "\n".join(lignes) + "\n"


def section_import(imp: dict[str, Any]) -> list[str]:
    """Import validé contre chargement brut, puis la durée de chaque étape de l'import."""
    return [
        "## Import",
        "",
        *tableau(
            ["mesure", "durée murale (s)", "temps CPU (s)"],
            [
                ["import validé (`importer`)", s(imp["import_valide_s"]), s(imp["import_valide_cpu_s"])],
                [
                    "chargement brut (pandas → DuckDB, sans validation)",
                    s(imp["chargement_brut_s"]),
                    s(imp["chargement_brut_cpu_s"]),
                ],
                [
                    f"**rapport import / brut** (cible ≤ {x(CIBLE_RATIO_IMPORT)})",
                    f"**{x(imp['ratio'])}** — {verdict(imp['ratio'] <= CIBLE_RATIO_IMPORT)}",
                    x(imp["ratio_cpu"]),
                ],
            ],
            [False, True, True],
        ),
        "",
        "Mesures murales de l'import : " + ", ".join(s(d) for d in imp["mesures_import_s"]) + " s ; du chargement "
        "brut : " + ", ".join(s(d) for d in imp["mesures_brut_s"]) + " s.",
        "",
        "Étapes de l'import (médianes ; relevées par le rappel `suivi` d'`importer`) :",
        "",
        *tableau(
            ["étape", "durée murale (s)", "temps CPU (s)"],
            ([etape, s(m["duree_s"]), s(m["cpu_s"])] for etape, m in imp["etapes"].items()),
            [False, True, True],
        ),
        "",
        f"Avertissements de l'import : {_liste_avertissements(imp['avertissements'])}. "
        "Profil d'un import : `profil_import.txt`.",
    ]


def section_indicateurs(ind: dict[str, Any], facteur: int) -> list[str]:
    lignes = [
        "## Indicateurs",
        "",
        f"Territoire filtré : `ardennes` (démonstration), `{ind['territoire_grande_base']}` (grande base).",
        "",
    ]
    mesures = []
    for nom, m in ind["mesures"].items():
        cible = ""
        if nom.startswith("commande"):
            cible = f"≤ {x(CIBLE_RATIO_COMMANDE)} : {verdict(m['ratio'] <= CIBLE_RATIO_COMMANDE)}"
        libelle = f"`{nom}`" if nom.startswith("commande") else f"`calculer` {nom}"
        mesures.append([libelle, ms(m["demo_s"]), ms(m["grande_s"]), x(m["ratio"]), cible])
    lignes += tableau(
        ["requête", "démonstration (ms)", f"×{facteur} (ms)", "rapport", "cible"],
        mesures,
        [False, True, True, True, False],
    )
    lignes += [
        "",
        "Contrôle (indicateurs sans filtre ; montants divisés par le facteur dans la grande base) :",
        "",
        *tableau(
            ["indicateur", "démonstration", f"×{facteur}"],
            ([f"`{cle}`", ind["controle"]["demo"][cle], ind["controle"]["grande"][cle]] for cle in CONTROLES),
            [False, True, True],
        ),
    ]
    return lignes


def resume_import(imp: dict[str, Any]) -> str:
    """The import figures in a few lines, for the terminal."""
    lignes = [
        f"Import validé : {s(imp['import_valide_s'])} s (CPU {s(imp['import_valide_cpu_s'])} s) ; chargement brut : "
        f"{s(imp['chargement_brut_s'])} s (CPU {s(imp['chargement_brut_cpu_s'])} s).",
        f"Rapport import / brut : {x(imp['ratio'])} en temps mural, {x(imp['ratio_cpu'])} en temps CPU "
        f"(cible ≤ {x(CIBLE_RATIO_IMPORT)} : {verdict(imp['ratio'] <= CIBLE_RATIO_IMPORT).strip('*')}).",
        *(f"  {etape} : {s(m['duree_s'])} s (CPU {s(m['cpu_s'])} s)" for etape, m in imp["etapes"].items()),
    ]
    return "\n".join(lignes)


def _liste_avertissements(comptes: dict[str, int]) -> str:
    if not comptes:
        return "aucun"
    return ", ".join(f"{code} × {n}" for code, n in sorted(comptes.items()))


def taille_base(grande: dict[str, Table], fichiers: list[Path]) -> dict[str, int]:
    taille = {table: len(grande[table][1]) for table in TABLES}
    taille["octets"] = sum(f.stat().st_size for f in fichiers)
    return taille


# --- Programme principal --------------------------------------------------------------------------


def analyser_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    analyseur = argparse.ArgumentParser(description="Banc d'essai de Rebond : import et indicateurs à grande échelle.")
    analyseur.add_argument("--facteur", type=int, default=100, help="nombre de copies de la démonstration (100)")
    analyseur.add_argument("--repetitions", type=int, default=5, help="mesures par chiffre, médiane retenue (5)")
    analyseur.add_argument(
        "--sortie", type=Path, default=RACINE / "bench" / "resultats", help="dossier des résultats (bench/resultats)"
    )
    analyseur.add_argument(
        "--pages",
        action="store_true",
        help="temps des pages dans le navigateur (bench/pages.py) au lieu de l'import et des indicateurs",
    )
    analyseur.add_argument(
        "--tours", type=int, default=3, help="avec --pages : tours de mesures, chacun sur un serveur neuf (3)"
    )
    analyseur.add_argument("--sans-fiche", action="store_true", help="avec --pages : la vue d'ensemble seulement")
    analyseur.add_argument(
        "--sans-profil", action="store_true", help="avec --pages : sans le serveur de plus sous cProfile"
    )
    analyseur.add_argument(
        "--import-seul",
        action="store_true",
        help="l'import seul, sans les indicateurs (résultats dans resultats_import.md et .json)",
    )
    return analyseur.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = analyser_arguments(argv)
    sortie = args.sortie.resolve()
    sortie.mkdir(parents=True, exist_ok=True)
    if args.pages:
        import pages  # noqa: PLC0415 — bench/pages.py, à côté de ce fichier

        pages.executer(sortie, args.facteur, args.tours, not args.sans_fiche, not args.sans_profil)
        return 0
    with tempfile.TemporaryDirectory(prefix="rebond-bench-") as temporaire:
        travail = Path(temporaire)
        print(f"Fabrication des CSV (facteur {args.facteur}) dans {sortie / 'donnees'}…", flush=True)
        fichiers = fabriquer_csv(sortie / "donnees", args.facteur)
        taille = taille_base(repliquer(lire_demo(), args.facteur), fichiers)
        print("Base vide de référence…", flush=True)
        modele = base_vide_modele(travail)
        print("Import validé contre chargement brut…", flush=True)
        imports = mesurer_imports(modele, travail, fichiers, args.repetitions)
        print(resume_import(imports), flush=True)
        print("Profil d'un import…", flush=True)
        profil = profiler_import(modele, travail, fichiers, sortie)
        indicateurs = None
        if not args.import_seul:
            print("Base de démonstration et indicateurs…", flush=True)
            chemin_demo = travail / "demo.duckdb"
            creer_base(chemin_demo, demo=True).fermer()
            indicateurs = mesurer_indicateurs(chemin_demo, travail / BASE_IMPORTEE, args.facteur, args.repetitions)
    resultats = {
        "facteur": args.facteur,
        "repetitions": args.repetitions,
        "date": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "enveloppes": {"ingenierie_eur": str(ENVELOPPE_INGENIERIE_EUR), "aides_eur": str(ENVELOPPE_AIDES_EUR)},
        "taille": taille,
        "import": imports,
        "indicateurs": indicateurs,
    }
    markdown = tableau_markdown(resultats)
    nom = "resultats_import" if args.import_seul else "resultats"
    (sortie / f"{nom}.md").write_text(markdown, encoding="utf-8")
    (sortie / f"{nom}.json").write_text(json.dumps(resultats, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    print(markdown)
    print("Profil de l'import (15 premières fonctions, temps cumulé) :")
    print(profil)
    print(f"Résultats écrits dans {sortie}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
