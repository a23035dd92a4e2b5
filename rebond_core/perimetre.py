"""The scope of the indicators and of the page tables: the four filters, their check, the parameters of
sql/perimetre.sql, the tables computed in SQL on that scope, and the filter options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rebond_core.config import ATTENTE_MAX_JOURS, DELAI_VERSEMENT_JOURS
from rebond_core.db import Base, sql
from rebond_core.domaine import (
    FILIERES,
    STATUT_ACCORDE,
    STATUTS_ACTIFS,
    STATUTS_PIPELINE,
    plafond_territoire,
    trouver_code,
)
from rebond_core.erreurs import HorsPerimetre, ValeurFiltreInconnue
from rebond_core.versions import version_a_lire

if TYPE_CHECKING:
    import pandas as pd

# The domain rules sql/perimetre.sql binds (rebond_core/domaine.py, config.py): which statuses are active,
# granted, awaiting a decision, and the delays after which a project needs attention.
REGLES_DOMAINE: dict[str, Any] = {
    "statuts_actifs": list(STATUTS_ACTIFS),
    "statut_accorde": STATUT_ACCORDE,
    "statuts_pipeline": list(STATUTS_PIPELINE),
    "attente_max_jours": ATTENTE_MAX_JOURS,
    "delai_versement_jours": DELAI_VERSEMENT_JOURS,
}


@dataclass(frozen=True)
class Filtres:
    """The four filters; an empty tuple means no filter. `version` None means the current state; `au`,
    the reference date of the keys that depend on time (payments dated on or before it, delays counted up
    to it), None meaning today. `verifier_filtres` pins both, so that a checked `Filtres` (a cache key of
    the pages) always names one version and one day."""

    region: tuple[str, ...] = ()
    releve: tuple[int, ...] = ()
    filiere: tuple[str, ...] = ()
    territoire: tuple[str, ...] = ()
    version: int | None = None
    au: date | None = None

    @property
    def date_reference(self) -> date:
        """The reference date: `au`, or today."""
        return self.au or date.today()

    def parametres(self, version: int) -> dict[str, Any]:
        """The parameters of sql/perimetre.sql: the version, the reference date, the four filters and the
        domain rules."""
        return {
            "version": version,
            "au": self.date_reference,
            "regions": list(self.region),
            "releves": list(self.releve),
            "filieres": list(self.filiere),
            "territoires": list(self.territoire),
            **REGLES_DOMAINE,
        }


SANS_FILTRE = Filtres()  # the whole current state


def verifier_filtres(base: Base, filtres: Filtres) -> Filtres:
    """Check each filter value (referential for regions, base for relèves and territories) and turn
    filière labels into codes; pin the version and the reference date (today when not given). Raises
    ValeurFiltreInconnue on the first unknown value."""
    version = version_a_lire(base, filtres.version)
    if base.restreinte:
        _verifier_portee(base, filtres)
    for region in filtres.region:
        if not base.scalaire("select count(*) from ref_regions where code_region = $c", {"c": region}):
            raise ValeurFiltreInconnue(f"Région inconnue du référentiel : {region}.")
    for numero in filtres.releve:
        if not base.scalaire("select count(*) from releves_a($v) where numero = $n", {"v": version, "n": numero}):
            raise ValeurFiltreInconnue(f"Relève absente de la base : {numero}.")
    for code in filtres.territoire:
        requete = "select count(*) from territoires_a($v) where code_territoire = $c"
        if not base.scalaire(requete, {"v": version, "c": code}):
            raise ValeurFiltreInconnue(f"Territoire absent de la base : {code}.")
    filieres = []
    for valeur in filtres.filiere:
        filiere = trouver_code("filiere", valeur)
        if filiere is None:
            raise ValeurFiltreInconnue(f"Filière inconnue : {valeur} (attendu l'une de {', '.join(FILIERES)}).")
        filieres.append(filiere)
    return Filtres(filtres.region, filtres.releve, tuple(filieres), filtres.territoire, version, filtres.date_reference)


def _verifier_portee(base: Base, filtres: Filtres) -> None:
    """In a scoped base (acces/portee.py): a region none of whose territories is in the scope, or a territory
    outside it, is refused as such (HorsPerimetre), without saying whether it exists."""
    lignes = base.lignes("select distinct code_territoire, region from territoires")
    territoires_, regions = {t for t, _ in lignes}, {r for _, r in lignes}
    for region in filtres.region:
        if region not in regions:
            raise HorsPerimetre(f"Région {region} : hors de votre périmètre (ou inconnue).")
    for code in filtres.territoire:
        if code not in territoires_:
            raise HorsPerimetre(f"Territoire {code} : hors de votre périmètre (ou inconnu).")


def requete_perimetre(nom: str) -> str:
    """A named query of rebond_core/sql/ run on the scope: sql/perimetre.sql (T, P) followed by it."""
    return sql("perimetre") + sql(nom)


def _requete(base: Base, nom: str, filtres: Filtres, **autres: Any) -> pd.DataFrame:
    parametres = filtres.parametres(version_a_lire(base, filtres.version)) | autres
    return base.df(requete_perimetre(nom), parametres)


def territoires(base: Base, filtres: Filtres) -> pd.DataFrame:
    """One row per territory in scope with its key figures, its aid ceiling `plafond_eur` (envelope plus
    local co-funding) and `taux_enveloppe`, the aid engaged over that ceiling (empty for a zero ceiling)."""
    df = _requete(base, "tableau_territoires", filtres)
    df["plafond_eur"] = plafond_territoire(df["enveloppe_aides_eur"], df["cofinancement_local_eur"])
    plafond = df["plafond_eur"].astype(float)
    df["taux_enveloppe"] = (df["aides_engagees_eur"].astype(float) / plafond).where(plafond > 0)
    return df


def laureats_par_releve(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "laureats_par_releve", filtres)


def aides_par_date(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "aides_par_date", filtres)


def versements_par_date(base: Base, filtres: Filtres) -> pd.DataFrame:
    """Payments and repayments of the projects in scope per value date, up to the reference date."""
    return _requete(base, "versements_par_date", filtres)


def versements(base: Base, filtres: Filtres) -> pd.DataFrame:
    """Each payment or repayment of the projects in scope dated on or before the reference date."""
    return _requete(base, "versements_liste", filtres)


def projets_filiere_statut(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "projets_filiere_statut", filtres)


# The overview's chart series (named queries of rebond_core/sql/ on the scope), each with a total order of its
# rows: grouped by `series`, each gives exactly the rows of its query alone, in the same order.
ORDRE_DES_SERIES: dict[str, str] = {
    "laureats_par_releve": "releve",
    "aides_par_date": "date_decision",
    "versements_par_date": "date",
    "projets_filiere_statut": "filiere, statut",  # unordered alone
}
SERIES = tuple(ORDRE_DES_SERIES)


def series(base: Base, filtres: Filtres) -> dict[str, pd.DataFrame]:
    """The overview's chart series in one query: sql/perimetre.sql is bound and its scope computed once
    instead of once per series (after a filter change, 4 queries → 1, half the time). Each is the DataFrame
    of its function above (`laureats_par_releve` …); the filière × statut counts come sorted."""
    sous_requetes = "".join(f",\nq_{nom} as (\n{sql(nom)}\n)" for nom in SERIES)
    colonnes = [
        f"(select list(s order by {ordre}) from q_{nom} as s) as {nom}" for nom, ordre in ORDRE_DES_SERIES.items()
    ]
    requete = sql("perimetre") + sous_requetes + "\nselect\n" + ",\n".join(colonnes)
    return base.dfs_de_listes(requete, filtres.parametres(version_a_lire(base, filtres.version)), SERIES)


def projets(base: Base, filtres: Filtres) -> pd.DataFrame:
    """The projects in scope, with their payments and delays as of the reference date."""
    return _requete(base, "liste_projets", filtres)


def sites(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "sites_perimetre", filtres)


def epci_du_territoire(base: Base, code: str, version: int | None = None) -> pd.DataFrame:
    return base.df(sql("epci_territoire"), {"version": version_a_lire(base, version), "code": code})


def options_filtres(base: Base) -> dict[str, list[tuple[Any, str]]]:
    """The values the filter widgets offer, with their French labels (current state)."""
    version = base.version_courante()
    regions = base.lignes(
        "select distinct r.code_region, r.nom from territoires_a($v) t join ref_regions r on r.code_region = t.region "
        "order by r.nom",
        {"v": version},
    )
    releves = base.lignes("select numero, date_limite from releves_a($v) order by numero", {"v": version})
    territoires_ = base.lignes("select code_territoire, nom from territoires_a($v) order by nom", {"v": version})
    return {
        "region": [(code, nom) for code, nom in regions],
        "releve": [(n, f"Relève {n} ({d.strftime('%d/%m/%Y')})") for n, d in releves],
        "territoire": [(code, nom) for code, nom in territoires_],
    }
