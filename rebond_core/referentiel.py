"""The reference data of every base: the administrative referential (COG 2026 via Etalab), loaded once and
read for validation; and the laureates found in public sources, their published mission results and which
public facts are hypotheses (the provenance of what the pages show)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from rebond_core.config import DOSSIER_REF, LAUREATS_PUBLICS
from rebond_core.db import Base, sql

if TYPE_CHECKING:
    import pandas as pd

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


# --- The laureates found in public sources (data/laureats-publics.csv) ------------------------------------
#
# Carried into every base as ref_laureats_publics (sql/laureats_publics.sql): the published mission results
# a territory is compared with, and what says which public facts are hypotheses — `releve_certain`, and the
# notes, whose clauses name the hypothetical values in plain words ("filières are a hypothesis", "end date
# approximate", "the envelope is INFERRED"). Which values of the base are published, hypotheses or made up
# for the demonstration is read from there, never written by hand.

TABLE_LAUREATS_PUBLICS = "ref_laureats_publics"


def charger_laureats_publics(curseur: duckdb.DuckDBPyConnection, chemin: Path = LAUREATS_PUBLICS) -> None:
    """Create ref_laureats_publics if needed and fill it from `chemin` (replacing what it held)."""
    curseur.execute(sql("laureats_publics"))
    curseur.execute(f"delete from {TABLE_LAUREATS_PUBLICS}")
    curseur.execute(f"insert into {TABLE_LAUREATS_PUBLICS} {sql('laureats_publics_csv')}", {"chemin": str(chemin)})


def a_laureats_publics(base: Base) -> bool:
    requete = "select count(*) from information_schema.tables where table_name = $t"
    return bool(base.scalaire(requete, {"t": TABLE_LAUREATS_PUBLICS}))


def assurer_laureats_publics(base: Base) -> bool:
    """Load the published laureates into a base made before the table existed (the base must be open for
    writing); True when it was loaded now."""
    if a_laureats_publics(base):
        return False
    with base.transaction() as curseur:
        charger_laureats_publics(curseur)
    return True


def laureats_publics(base: Base) -> pd.DataFrame:
    """The published laureates, one row per territory: from the base, or from data/laureats-publics.csv when
    the base (older, opened read-only) does not hold them yet."""
    if a_laureats_publics(base):
        return base.df(f"select * from {TABLE_LAUREATS_PUBLICS} order by code_territoire")
    return base.df(sql("laureats_publics_csv") + " order by code_territoire", {"chemin": str(LAUREATS_PUBLICS)})


# Where a value shown comes from. On a base of imported (real) data every value is the operators': IMPORTE.
PUBLIE, HYPOTHESE, FICTIF, IMPORTE = "publie", "hypothese", "fictif", "importe"
PROVENANCES: dict[str, str] = {
    PUBLIE: "publié",
    HYPOTHESE: "hypothèse",
    FICTIF: "fictif (démonstration)",
    IMPORTE: "importé",
}
EXPLICATIONS_PROVENANCE: dict[str, str] = {
    PUBLIE: "valeur publiée par une source publique (voir les sources)",
    HYPOTHESE: "valeur supposée ou déduite des sources publiques, non confirmée",
    FICTIF: "valeur inventée pour la démonstration (aucune source publique)",
    IMPORTE: "valeur importée d'un classeur de relève",
}
# The values of a territory whose provenance is shown, and the words that tie a clause of the notes to each.
CHAMPS_PROVENANCE: dict[str, tuple[str, ...]] = {
    "releve": ("relève", "releve", "round"),
    "filieres": ("filière", "filiere"),
    "enveloppe_aides_eur": ("envelope", "enveloppe", "split"),
    "cofinancement_local_eur": ("co-financ", "cofinanc", "split"),
    "date_debut_mission": ("start date",),
    "date_fin_mission": ("end date",),
    "cout_mission_eur": ("cost",),
    "cabinet": ("consultanc", "cabinet"),
    "industriels_rencontres": ("industrialists", "interviewed"),
}
LIBELLES_CHAMPS: dict[str, str] = {
    "releve": "relève",
    "filieres": "filières",
    "enveloppe_aides_eur": "enveloppe d'aides",
    "cofinancement_local_eur": "cofinancement local",
    "date_debut_mission": "début de mission",
    "date_fin_mission": "fin de mission",
    "cout_mission_eur": "coût de mission",
    "cabinet": "cabinet",
    "industriels_rencontres": "industriels rencontrés",
}
_MOTS_HYPOTHESE = ("hypothesis", "hypothèse", "approximate", "inferred", "guess", "assum", "unknown", "may include")


def hypotheses_des_notes(notes: str | None) -> frozenset[str]:
    """The values (keys of CHAMPS_PROVENANCE) that a note calls hypothetical: a clause (between ';') that says
    hypothesis / approximate / inferred / guess / assumes / unknown, about the words of that value."""
    champs: set[str] = set()
    for clause in (notes or "").split(";"):
        texte = clause.casefold()
        if any(mot in texte for mot in _MOTS_HYPOTHESE):
            champs.update(champ for champ, mots in CHAMPS_PROVENANCE.items() if any(m in texte for m in mots))
    return frozenset(champs)


def _manquant(valeur: Any) -> bool:
    """None, blank text, an empty list (or array), NaN, NaT or pd.NA."""
    import pandas as pd

    if valeur is None:
        return True
    if isinstance(valeur, str):
        return not valeur.strip()
    if hasattr(valeur, "__len__"):
        return len(valeur) == 0
    return bool(pd.isna(valeur))


def _egales(champ: str, base: Any, publiee: Any) -> bool:
    """Whether the base holds the published value (lists as sets, amounts and dates by value)."""
    if champ == "filieres":
        return set(base) == set(publiee)
    if champ.startswith("date_"):
        import pandas as pd

        return bool(pd.Timestamp(base).date() == pd.Timestamp(publiee).date())
    if champ.endswith("_eur") or champ in ("releve", "industriels_rencontres"):
        return Decimal(str(base)) == Decimal(str(publiee))
    return str(base).strip() == str(publiee).strip()


def provenance_territoire(
    territoire: Mapping[str, Any], publie: Mapping[str, Any] | None, demo: bool
) -> dict[str, str]:
    """For each value of CHAMPS_PROVENANCE shown for a territory (a row of perimetre.territoires), where it
    comes from: IMPORTE on a base of imported data; on demonstration data, FICTIF when no public source gives
    it (or the base holds another value), HYPOTHESE when the source gives it as a hypothesis (a relève not
    confirmed, a note), PUBLIE otherwise. `publie` is the territory's row of `laureats_publics` (None when
    it is not there). A value missing from the base has no provenance (not in the result)."""
    resultat: dict[str, str] = {}
    hypotheses = hypotheses_des_notes(publie.get("notes")) if publie is not None else frozenset()
    for champ in CHAMPS_PROVENANCE:
        valeur = territoire.get(champ)
        if _manquant(valeur) or (champ == "cofinancement_local_eur" and not valeur):
            continue
        if not demo:
            resultat[champ] = IMPORTE
        elif publie is None or _manquant(publie.get(champ)) or not _egales(champ, valeur, publie[champ]):
            resultat[champ] = FICTIF
        elif champ in hypotheses or (champ == "releve" and not publie.get("releve_certain")):
            resultat[champ] = HYPOTHESE
        else:
            resultat[champ] = PUBLIE
    return resultat


def provenances(territoires: pd.DataFrame, publies: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """`provenance_territoire` for every territory of a table (perimetre.territoires): one row per
    territory (index code_territoire), one column per value of CHAMPS_PROVENANCE (missing when the base has
    no such value)."""
    import pandas as pd

    par_code = {str(ligne["code_territoire"]): ligne for ligne in publies.to_dict("records")}
    lignes = {
        str(ligne["code_territoire"]): provenance_territoire(ligne, par_code.get(str(ligne["code_territoire"])), demo)
        for ligne in territoires.to_dict("records")
    }
    return pd.DataFrame.from_dict(lignes, orient="index", columns=list(CHAMPS_PROVENANCE))


def decompte_provenances(provenance: pd.DataFrame) -> dict[str, dict[str, int]]:
    """For each value of CHAMPS_PROVENANCE, how many territories have it of each provenance."""
    return {
        champ: {p: int((provenance[champ] == p).sum()) for p in PROVENANCES if (provenance[champ] == p).any()}
        for champ in CHAMPS_PROVENANCE
        if champ in provenance
    }


_ORDRE_DOUTE = (PUBLIE, IMPORTE, HYPOTHESE, FICTIF)  # from the surest to the least sure


def provenance_la_moins_sure(*provenances_: Any) -> str | None:
    """The least sure of some provenances (a value made of several: a mission's two dates), None if none."""
    connues = [p for p in provenances_ if isinstance(p, str) and p in _ORDRE_DOUTE]
    return max(connues, key=_ORDRE_DOUTE.index) if connues else None


# The values the demonstration banner accounts for, with their French plural name (all feminine).
_RESUME_DEMO: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Relèves", ("releve",)),
    ("Filières des territoires", ("filieres",)),
    ("Enveloppes d'aides", ("enveloppe_aides_eur",)),
    ("Dates de mission", ("date_debut_mission", "date_fin_mission")),
)
_MOTS_RESUME = {
    PUBLIE: ("publiée", "publiées"),
    HYPOTHESE: ("hypothèse", "hypothèses"),
    FICTIF: ("fictive", "fictives"),
}


def texte_demonstration(provenance: pd.DataFrame) -> str:
    """What the demonstration banner says is real and what is not, counted on the territories' provenance
    (`provenances`): '… Relèves : 6 publiées, 7 hypothèses. …' (dates of one mission count once, as the
    least sure of the two)."""
    nombre = len(provenance)
    lesquels = (
        "le territoire lauréat, sa région et ses EPCI"
        if nombre == 1
        else (f"les {nombre} territoires lauréats, leurs régions et leurs EPCI")
    )
    phrases = [f"**Données de démonstration.** Réels : {lesquels}."]
    for libelle, champs in _RESUME_DEMO:
        colonnes = [provenance[c] if c in provenance else None for c in champs]
        valeurs = [
            provenance_la_moins_sure(*(col.iloc[i] for col in colonnes if col is not None)) for i in range(nombre)
        ]
        comptes = [(code, sum(1 for v in valeurs if v == code)) for code in (PUBLIE, HYPOTHESE, FICTIF)]
        parties = [f"{n} {_MOTS_RESUME[code][n > 1]}" for code, n in comptes if n]
        if parties:
            phrases.append(f"{libelle} : {', '.join(parties)}.")
    phrases.append(
        "Fictifs : les projets, les sites, les versements et le reste des données de mission, calibrés sur les "
        "chiffres publiés. Ne pas diffuser comme des résultats du programme."
    )
    return " ".join(phrases)
