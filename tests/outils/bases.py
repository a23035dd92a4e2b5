"""Database files in tests: a fresh copy of a template built once, and what a base holds, to compare."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

from rebond_core.db import Base, Parametres

TABLES_DONNEES = ("releves", "territoires", "projets", "sites", "versements")
TABLES = (*TABLES_DONNEES, "versions")


def copie_de(modele: Path, dossier: Path, nom: str | None = None) -> Path:
    """A fresh copy of the template base `modele` in `dossier`, named `nom` (else as the template).
    A WAL left under that name by an earlier copy is removed: it would be replayed on the new file."""
    chemin = dossier / (nom or modele.name)
    Path(f"{chemin}.wal").unlink(missing_ok=True)
    shutil.copyfile(modele, chemin)
    return chemin


def contenu(base: Base) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every versioned table, history included, in a fixed order."""
    return {table: base.lignes(f"select * from {table} order by all") for table in TABLES}


def vidage(chemin: Path) -> dict[str, list[tuple[Any, ...]]]:
    """`contenu` of the base file `chemin`, opened read-only for the time of the reading."""
    base = Base.ouvrir(chemin, lecture_seule=True)
    try:
        return contenu(base)
    finally:
        base.fermer()


def requete(chemin: Path, sql: str, parametres: Parametres = None) -> list[tuple[Any, ...]]:
    """The rows of one query on the base file `chemin`, opened read-only for the time of the query."""
    base = Base.ouvrir(chemin, lecture_seule=True)
    try:
        return base.lignes(sql, parametres)
    finally:
        base.fermer()


SCHEMA_1 = Path(__file__).resolve().parent.parent / "data" / "schema_contrat_1.sql"  # frozen before contract 2
TABLES_SCHEMA_1 = (
    "meta",
    "ref_regions",
    "ref_departements",
    "ref_epci",
    "ref_communes",
    "versions",
    "releves",
    "territoires",
    "projets",
    "sites",
)


SCHEMA_2 = SCHEMA_1.parent / "schema_contrat_2.sql"  # frozen before the habilitations (schema 3)
TABLES_SCHEMA_2 = (*TABLES_SCHEMA_1, "versements")


def base_schema_1(source: Path, chemin: Path) -> Path:
    """A schema-1 base at `chemin` holding every row of the current base `source` (its date_statut dropped)."""
    return _base_ancienne(SCHEMA_1, TABLES_SCHEMA_1, source, chemin)


def base_schema_2(source: Path, chemin: Path) -> Path:
    """A schema-2 base at `chemin` (no `habilitations`) holding every row of the current base `source`."""
    return _base_ancienne(SCHEMA_2, TABLES_SCHEMA_2, source, chemin)


def _base_ancienne(schema: Path, tables: tuple[str, ...], source: Path, chemin: Path) -> Path:
    """A base of the frozen `schema` at `chemin`, its `tables` filled with the rows of `source` (the columns
    of the old shape only; the meta key `version_schema` stays the frozen schema's, absent at schema 1)."""
    connexion = duckdb.connect(str(chemin))
    try:
        connexion.execute(schema.read_text(encoding="utf-8"))
        connexion.execute(f"attach '{source}' as source (read_only)")
        for table in tables:
            colonnes = [
                ligne[0] for ligne in connexion.execute(f"select column_name from (describe {table})").fetchall()
            ]
            liste = ", ".join(colonnes)
            filtre = " where cle <> 'version_schema'" if table == "meta" else ""
            connexion.execute(f"insert into {table} ({liste}) select {liste} from source.main.{table}{filtre}")
        connexion.execute("detach source")
        connexion.execute("checkpoint")
    finally:
        connexion.close()
    return chemin
