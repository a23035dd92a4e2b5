"""The COPIL reports already generated, per territory (table rapports_copil, sql/rapports_copil.sql), and the
version a new report's "what changed since the previous COPIL" part compares with by default.

The previous COPIL is the territory's latest report made on an older version of the data than the one the
new report shows: generating the same report again (a second click, a corrected reference date) keeps
comparing with the committee before, instead of with itself. Without such a report, the comparison starts at
the first version of the data (spec/indicateurs.md, command `rapport`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rebond_core import formats
from rebond_core.db import Base, sql
from rebond_core.erreurs import ErreurStockage

TABLE = "rapports_copil"
LIGNE_DE_COMMANDE, TABLEAU_DE_BORD = "ligne de commande", "tableau de bord"


@dataclass(frozen=True)
class Comparaison:
    """The version the "what changed" part compares with, and why (a French phrase for the report)."""

    version: int
    date_version: datetime | None
    motif: str


def _table_existe(base: Base) -> bool:
    requete = "select count(*) from information_schema.tables where table_name = $t"
    return bool(base.scalaire(requete, {"t": TABLE}))


def enregistrer(base: Base, code: str, version: int, depuis_version: int, au: date, origine: str) -> bool:
    """Record a report generated for territory `code`; False (nothing recorded) when the base cannot be
    written (opened read-only): the report is still valid, the next one then compares as if it had not been."""
    try:
        with base.transaction() as curseur:
            curseur.execute(sql("rapports_copil"))
            curseur.execute(
                f"insert into {TABLE} values ($code, $version, $depuis, $au, $maintenant, $origine)",
                {
                    "code": code,
                    "version": version,
                    "depuis": depuis_version,
                    "au": au,
                    "maintenant": datetime.now().replace(microsecond=0),
                    "origine": origine,
                },
            )
    except ErreurStockage:
        return False
    return True


def rapports(base: Base, code: str) -> list[tuple[int, int, date, datetime, str]]:
    """The reports of a territory, oldest first: (version, depuis_version, au, genere_le, origine)."""
    if not _table_existe(base):
        return []
    return base.lignes(
        f"select version, depuis_version, au, genere_le, origine from {TABLE} where code_territoire = $code "
        "order by genere_le, version",
        {"code": code},
    )


def date_de_version(base: Base, version: int) -> datetime | None:
    return base.scalaire("select date from versions where numero = $v", {"v": version})


def premiere_version(base: Base) -> int:
    """The first version of the data (0, the calendar alone, when nothing was imported)."""
    return int(base.scalaire("select coalesce(min(numero), 0) from versions"))


def comparaison_par_defaut(base: Base, code: str, version: int) -> Comparaison:
    """The version of the territory's previous report (its latest report made on a version older than
    `version`), else the first version of the data."""
    precedents = [r for r in rapports(base, code) if r[0] < version]
    if precedents:
        numero, _, _, genere_le, _ = precedents[-1]
        return Comparaison(
            numero,
            date_de_version(base, numero),
            f"version du rapport précédent, établi le {formats.date_fr(genere_le.date())}",
        )
    numero = premiere_version(base)
    return Comparaison(numero, date_de_version(base, numero), "première version des données, aucun rapport précédent")


def comparaison_choisie(base: Base, version: int) -> Comparaison:
    """A version chosen by the person who generates the report (already checked)."""
    return Comparaison(version, date_de_version(base, version), "version choisie")
