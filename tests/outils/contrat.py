"""The import contract through the command line: run a command, import files, read the report and the base.

Reports are compared as (feuille, ligne, colonne, code, niveau) tuples, spreadsheet row numbers with the
header on row 1 (shared/spec/classeur-releve.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rebond_core import cli
from tests.outils.bases import requete, vidage

DONNEES = Path(__file__).resolve().parent.parent / "data"
VALIDES = DONNEES / "valides"
DEFAUTS = DONNEES / "defauts"
REELS = DONNEES / "reels"
E, A = "erreur", "avertissement"

Contenu = dict[str, list[tuple[Any, ...]]]


def commande(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run `python -m rebond_core ARGS` in this process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = cli.main([str(a) for a in args])
    sortie = capsys.readouterr()
    return code, sortie.out, sortie.err


def importer_json(
    capsys: pytest.CaptureFixture[str], base: Path, *fichiers: Path, options: tuple[str, ...] = ()
) -> tuple[int, list[dict[str, Any]]]:
    """`importer FICHIERS --json --db BASE OPTIONS`: (exit status, problems of the report)."""
    code, sortie, _ = commande(capsys, "importer", *fichiers, "--json", "--db", base, *options)
    return code, (json.loads(sortie) if sortie.strip() else [])


def positions(problemes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The report as sorted (feuille, ligne, colonne, code, niveau) tuples."""
    return sorted(((p["feuille"], p["ligne"], p["colonne"], p["code"], p["niveau"]) for p in problemes), key=repr)


def verifier_import(
    capsys: pytest.CaptureFixture[str],
    chemin: Path,
    fichiers: list[Path],
    statut: int,
    attendu: list[tuple[Any, ...]],
    avant: Contenu,
) -> None:
    """Import the files into the base `chemin`, which holds `avant`: the report is exactly `attendu`, every
    message is non-empty, the exit status is `statut`; a refused import writes nothing, an accepted one adds
    exactly one version."""
    code, problemes = importer_json(capsys, chemin, *fichiers, options=("--auteur", "t"))
    assert positions(problemes) == sorted(attendu, key=repr)
    assert all(p["message"].strip() for p in problemes)
    assert code == statut
    apres = vidage(chemin)
    if statut == 1:
        assert apres == avant, "un import refusé ne doit rien écrire"
    else:
        assert len(apres["versions"]) == len(avant["versions"]) + 1, "un import accepté crée une version"


def derniers_comptes(chemin: Path) -> dict[str, dict[str, int]]:
    """The row counts of the latest version of the base `chemin`."""
    return json.loads(requete(chemin, "select comptes from versions order by numero desc limit 1")[0][0])


COLONNES_PROJET = (
    "id_projet, code_territoire, intitule, entreprise, siren, commune, filiere, origine, statut, "
    "investissement_eur, emplois_prevus, emplois_crees, aide_demandee_eur, subvention_eur, "
    "avance_remboursable_eur, date_decision, innovant, transition_ecologique"
)
COLONNES_TERRITOIRE = (
    "code_territoire, nom, releve, region, epci, filieres, statut_mission, date_debut_mission, "
    "date_fin_mission, cabinet, cout_mission_eur, enveloppe_aides_eur, cofinancement_local_eur, "
    "industriels_rencontres"
)


def projets(chemin: Path, *ids: str) -> list[tuple[Any, ...]]:
    """The current rows of these projects (COLONNES_PROJET), by id."""
    return requete(
        chemin,
        f"select {COLONNES_PROJET} from projets where v_to is null and list_contains($ids, id_projet) "
        "order by id_projet",
        {"ids": list(ids)},
    )


def territoire(chemin: Path, code: str) -> tuple[Any, ...]:
    """The current row of one territory (COLONNES_TERRITOIRE)."""
    return requete(
        chemin,
        f"select {COLONNES_TERRITOIRE} from territoires where v_to is null and code_territoire = $code",
        {"code": code},
    )[0]
