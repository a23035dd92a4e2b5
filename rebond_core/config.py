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
LAUREATS_PUBLICS = DOSSIER_DATA / "laureats-publics.csv"  # the published facts, with their sources
BASE_PAR_DEFAUT = DOSSIER_DATA / "rebond.duckdb"

# AMI Rebond industriel, France 2030.
ENVELOPPE_INGENIERIE_EUR = Decimal("10000000")
ENVELOPPE_AIDES_EUR = Decimal("90000000")
PREMIERE_RELEVE = date(2022, 10, 1)
# The call for applications closed with its last relève: no new territory after it. Decisions on the
# requests already filed, payments and repayments go on until France 2030 ends.
CLOTURE_APPEL = date(2026, 10, 1)
HORIZON_FRANCE_2030 = date(2030, 12, 31)  # France 2030 runs to 2030: no projection goes beyond it
MOIS_RELEVES = (2, 6, 10)
NOMBRE_RELEVES_CALENDRIER = 13
# What was announced (programme.md): "about ten territories a year", 19 laureates by 31 Aug 2023
# (gouvernement.fr), 21 territories with a mission by 14 Jan 2025 (Sénat).
TERRITOIRES_ANNONCES_PAR_AN = 10
JALONS_ANNONCES: tuple[tuple[date, int, str], ...] = (
    (date(2023, 8, 31), 19, "19 lauréats fin août 2023 (gouvernement.fr, 31/08/2023)"),
    (date(2025, 1, 14), 21, "21 territoires accompagnés en janvier 2025 (Sénat, 14/01/2025)"),
)

# Execution follow-up (spec/indicateurs.md): the window over which the pace of decisions is measured,
# and the delays after which a project needs attention.
FENETRE_RYTHME_JOURS = 365  # the pace of aid decisions: the year up to the reference date
ATTENTE_MAX_JOURS = 365  # a prioritised or filed project waiting longer awaits a decision
DELAI_VERSEMENT_JOURS = 180  # a granted project with no payment that long after its decision

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
