"""The row-level scope: the one choke point through which every reader gets the data it may see.

A national user (cabinet, data staff, admin, the local operator) reads the base itself. A scoped user
(a COPIL member) reads a **scoped base**: an in-memory DuckDB database holding only the rows of the
territories of its scope (every version of them), the public referential, and national aggregates
precomputed from the whole base (table `reference_nationale`). Nothing outside the scope is in it, so
no page, chart, download, report, comparison or command can show it, whatever it asks.

Every table of the base is classified below; building a scoped base from a base holding a table that is
not classified fails (closed), and a test checks the classification against the schema.

Temporary views over the real tables would not do: DuckDB gives each cursor (one per query, see db.Base)
its own connection, which does not see them (shared/notes/acces-rapports-arbitrage-echelle.md, A.4)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from rebond_core import perimetre, projection
from rebond_core.db import Base
from rebond_core.domaine import STATUT_ACCORDE
from rebond_core.erreurs import RebondError
from rebond_core.perimetre import Filtres

if TYPE_CHECKING:
    from rebond_core.acces.habilitations import Habilitation

# Tables holding rows of one territory: column naming the territory.
TABLES_PERIMETREES: dict[str, str] = {
    "territoires": "code_territoire",
    "projets": "code_territoire",
    "sites": "code_territoire",
    "ref_laureats_publics": "code_territoire",
    "rapports_copil": "code_territoire",
}
# Tables whose rows belong to a project: (column naming the project, table holding the project).
TABLES_RATTACHEES: dict[str, tuple[str, str]] = {"versements": ("id_projet", "projets")}
# Copied whole: the referential, the relève calendar, the list of data versions (dates, authors, file
# names and national row counts: no row of a territory) and the base's own settings.
TABLES_PUBLIQUES: tuple[str, ...] = (
    "meta",
    "ref_regions",
    "ref_departements",
    "ref_epci",
    "ref_communes",
    "releves",
    "versions",
)
# Never in a scoped base: who may see what is the administrators' business.
TABLES_PRIVEES: tuple[str, ...] = ("habilitations",)

# The national aggregates a scoped user may see, labelled "national" where shown: computed on the whole
# base for every version when the scoped base is built (sql/indicateurs.sql's `toute_la_base`).
SOMMES_NATIONALES = ("aides_accordees_eur", "enveloppes_allouees_eur")


class TableNonClassee(RebondError):
    """A table of the base is in none of the lists above: no scoped base is built (closed by default)."""


@dataclass(frozen=True)
class Portee:
    """What a user may see: everything (no region, no territory: national), or the territories of some
    regions and some territories. A cache key of the pages: frozen, sorted tuples."""

    regions: tuple[str, ...] = ()
    territoires: tuple[str, ...] = ()

    @property
    def nationale(self) -> bool:
        return not self.regions and not self.territoires

    @classmethod
    def de(cls, habilitation: Habilitation) -> Portee:
        """The scope of a habilitation: national for every role but `copil`."""
        if habilitation.nationale:
            return NATIONALE
        return cls(tuple(sorted(set(habilitation.regions))), tuple(sorted(set(habilitation.territoires))))

    def libelle(self) -> str:
        """For the header and the journal: 'national', or 'régions 32, 84 ; territoires T001'."""
        if self.nationale:
            return "national"
        parties = []
        if self.regions:
            parties.append(f"région(s) {', '.join(self.regions)}")
        if self.territoires:
            parties.append(f"territoire(s) {', '.join(self.territoires)}")
        return " ; ".join(parties)


NATIONALE = Portee()


def territoires_de(base: Base, portee: Portee) -> list[str]:
    """The codes of the territories of a scope: those named, and those of its regions, at any version of
    the base (a territory stays in its region's scope in the history)."""
    return [
        ligne[0]
        for ligne in base.lignes(
            "select distinct code_territoire from territoires where list_contains($regions::varchar[], region) "
            "or list_contains($territoires::varchar[], code_territoire) order by code_territoire",
            {"regions": list(portee.regions), "territoires": list(portee.territoires)},
        )
    ]


def tables_de(base: Base) -> list[str]:
    return [ligne[0] for ligne in base.lignes("select table_name from duckdb_tables() where not temporary")]


def tables_non_classees(tables: Iterable[str]) -> list[str]:
    connues = set(TABLES_PERIMETREES) | set(TABLES_RATTACHEES) | set(TABLES_PUBLIQUES) | set(TABLES_PRIVEES)
    return sorted(set(tables) - connues)


def base_pour(base: Base, portee: Portee) -> Base:
    """THE way a reader gets data: the base itself for a national scope, else a scoped base (see above).
    Raises TableNonClassee when the base holds a table this module does not know."""
    if portee.nationale:
        return base
    inconnues = tables_non_classees(tables_de(base))
    if inconnues:
        raise TableNonClassee(
            f"La base contient des tables dont la portée n'est pas déclarée ({', '.join(inconnues)}) : "
            "aucune donnée n'est servie aux utilisateurs à périmètre restreint tant qu'elles ne sont pas "
            "classées dans rebond_core/acces/portee.py."
        )
    return _construire(base, portee)


def _construire(base: Base, portee: Portee) -> Base:
    codes = territoires_de(base, portee)
    presentes = set(tables_de(base))
    cible = duckdb.connect(":memory:")
    try:
        with base.connexion.cursor() as source:
            for table in TABLES_PUBLIQUES:
                if table in presentes:
                    _copier(source, cible, table, f"select * from {table}", {})
            for table, colonne in TABLES_PERIMETREES.items():
                if table in presentes:
                    requete = f"select * from {table} where list_contains($codes::varchar[], {colonne})"
                    _copier(source, cible, table, requete, {"codes": codes})
            for table, (colonne, parente) in TABLES_RATTACHEES.items():
                if table in presentes:
                    cle_parente = TABLES_PERIMETREES[parente]
                    requete = (
                        f"select * from {table} where {colonne} in "
                        f"(select {colonne} from {parente} where list_contains($codes::varchar[], {cle_parente}))"
                    )
                    _copier(source, cible, table, requete, {"codes": codes})
            _copier(source, cible, "reference_nationale", _REQUETE_NATIONALE, {"statut_accorde": STATUT_ACCORDE})
            medianes = medianes_nationales(base)
            macros = source.execute(
                "select function_name, parameters, macro_definition from duckdb_functions() "
                "where not internal and function_type = 'table_macro' and database_name = current_database()"
            ).fetchall()
        cible.execute("create table reference_medianes (ratio varchar, mediane double, territoires integer)")
        cible.executemany(
            "insert into reference_medianes values (?, ?, ?)",
            [(cle, valeur, medianes.territoires) for cle, valeur in medianes.valeurs.items()],
        )
        _masquer_noms_de_fichiers(cible)
        for nom, parametres, definition in macros:
            cible.execute(f"create macro {nom}({', '.join(parametres)}) as table {definition}")
        # Nothing outside this database may be read from it (no file, no ATTACH), and that cannot be undone.
        cible.execute("set enable_external_access = false")
        cible.execute("set lock_configuration = true")
    except BaseException:
        cible.close()
        raise
    return Base(cible, lecture_seule=True, restreinte=True, immuable=True)  # never written after this


def _copier(
    source: duckdb.DuckDBPyConnection, cible: duckdb.DuckDBPyConnection, table: str, requete: str, parametres: dict
) -> None:
    """Copy the rows of a query of the source into a new table of the target (same column types)."""
    lignes = source.sql(requete, params=parametres).to_arrow_table()  # noqa: F841 (read by DuckDB below)
    cible.execute(f"create table {table} as select * from lignes")


def _masquer_noms_de_fichiers(cible: duckdb.DuckDBPyConnection) -> None:
    """The names of the imported files may name a territory ("copil-douaisis.xlsx"): a scoped base keeps
    their fingerprints and their count, not their names."""
    if "versions" not in {ligne[0] for ligne in cible.execute("select table_name from duckdb_tables()").fetchall()}:
        return
    for numero, fichiers in cible.execute("select numero, fichiers from versions").fetchall():
        masques = [
            {**fichier, "nom": f"fichier {rang} (nom masqué hors périmètre national)"}
            for rang, fichier in enumerate(json.loads(fichiers), start=1)
        ]
        cible.execute("update versions set fichiers = $f where numero = $n", {"f": json.dumps(masques), "n": numero})


# One row per version of the whole base: the national sums sql/indicateurs.sql reads as `toute_la_base`.
_REQUETE_NATIONALE = """
select
    v.numero as version,
    (select coalesce(sum(p.subvention_eur + p.avance_remboursable_eur), 0) from projets p
     where p.statut = $statut_accorde and p.v_from <= v.numero and (p.v_to is null or p.v_to > v.numero))
        as aides_accordees_eur,
    (select coalesce(sum(t.enveloppe_aides_eur), 0) from territoires t
     where t.v_from <= v.numero and (t.v_to is null or t.v_to > v.numero)) as enveloppes_allouees_eur
from (select 0 as numero union select numero from versions) v
"""


@dataclass(frozen=True)
class Medianes:
    """The median of each compared ratio over all the laureates of the current version, and how many."""

    valeurs: dict[str, float | None]
    territoires: int


def medianes_nationales(base: Base) -> Medianes:
    """On the whole base (current version, today): what a scoped user may see as "médiane nationale"."""
    if base.restreinte:
        lignes = base.lignes("select ratio, mediane, territoires from reference_medianes")
        return Medianes({r: m for r, m, _ in lignes}, lignes[0][2] if lignes else 0)
    tous = perimetre.territoires(base, Filtres(version=base.version_courante()))
    return Medianes(projection.medianes(projection.ratios_territoires(tous)), len(tous))
