"""The administrative referential (COG 2026 via Etalab): loaded once into the base, read for validation."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from rebond_core.config import DOSSIER_REF
from rebond_core.db import Base

TABLES_REFERENTIEL = {
    "ref_regions": "regions.csv",
    "ref_departements": "departements.csv",
    "ref_epci": "epci.csv",
    "ref_communes": "communes.csv",
}


def charger_referentiel(curseur: duckdb.DuckDBPyConnection) -> None:
    """Fill the ref_* tables from data/ref/*.csv (codes read as text, never as numbers)."""
    for table, fichier in TABLES_REFERENTIEL.items():
        chemin = str(DOSSIER_REF / fichier)
        colonnes = [c[0] for c in curseur.execute(f"describe {table}").fetchall()]
        liste = ", ".join(colonnes)
        # Table names come from the constant above, never from user input.
        curseur.execute(
            f"insert into {table} ({liste}) select {liste} from read_csv($chemin, header = true, all_varchar = true)",
            {"chemin": chemin},
        )


@dataclass(frozen=True)
class Referentiel:
    """Sets of valid codes, for validating an import."""

    regions: frozenset[str]
    epci: frozenset[str]
    communes: frozenset[str]

    @classmethod
    def depuis_base(cls, base: Base) -> Referentiel:
        def codes(requete: str) -> frozenset[str]:
            return frozenset(r[0] for r in base.lignes(requete))

        return cls(
            regions=codes("select code_region from ref_regions"),
            epci=codes("select siren_epci from ref_epci"),
            communes=codes("select code_insee from ref_communes"),
        )
