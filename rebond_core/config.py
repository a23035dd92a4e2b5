"""Programme constants and paths: the one place where they live."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
DOSSIER_DATA = RACINE / "data"
DOSSIER_REF = DOSSIER_DATA / "ref"
DOSSIER_GRILLES = DOSSIER_DATA / "grilles"
CLASSEUR_DEMO = DOSSIER_DATA / "demo" / "releve-demo.xlsx"
BASE_PAR_DEFAUT = DOSSIER_DATA / "rebond.duckdb"

# AMI Rebond industriel, France 2030.
ENVELOPPE_INGENIERIE_EUR = Decimal("10000000")
ENVELOPPE_AIDES_EUR = Decimal("90000000")
FIN_PROGRAMME = date(2026, 10, 1)
PREMIERE_RELEVE = date(2022, 10, 1)
MOIS_RELEVES = (2, 6, 10)
NOMBRE_RELEVES_CALENDRIER = 13

# Upload limits (server side).
TAILLE_MAX_FICHIER_OCTETS = 50_000_000  # 50 Mo, the one limit of the page and the command line
EXTENSIONS_ACCEPTEES = (".xlsx", ".csv")
# What a workbook may unpack to, checked before it is parsed (importation/classeur_xml.py): a relève of
# 125 000 projects is about 3 million cells and 150 MB of sheet XML; a zip bomb or a stray cell at
# XFD1048576 is thousands of times that.
TAILLE_MAX_PARTIE_XLSX = 256 * 1024 * 1024
TAILLE_MAX_XLSX_DECOMPRESSE = 512 * 1024 * 1024
COMPRESSION_MAX = 100  # uncompressed / compressed, for parts above 1 MiB; spreadsheets stay below ~30
CELLULES_MAX_FEUILLE = 4_000_000  # from the first to the last used cell of a sheet
MAX_ERREURS_RAPPORT = 1000


def chemin_base(explicite: str | os.PathLike[str] | None = None) -> Path:
    """The database path: explicit, else $REBOND_DB, else the embedded default."""
    if explicite:
        return Path(explicite)
    env = os.environ.get("REBOND_DB")
    return Path(env) if env else BASE_PAR_DEFAUT


def calendrier_releves() -> list[tuple[int, date]]:
    """The programme's relève deadlines: 1 Oct 2022, then every four months to 1 Oct 2026."""
    dates: list[date] = []
    annee, mois = PREMIERE_RELEVE.year, PREMIERE_RELEVE.month
    while len(dates) < NOMBRE_RELEVES_CALENDRIER:
        dates.append(date(annee, mois, 1))
        index = MOIS_RELEVES.index(mois) + 1
        if index == len(MOIS_RELEVES):
            annee, index = annee + 1, 0
        mois = MOIS_RELEVES[index]
    return list(enumerate(dates, start=1))
