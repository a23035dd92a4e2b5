"""The tables of the pages, computed in SQL on the same scope as the indicators, and the filter options."""

from __future__ import annotations

from typing import Any

import pandas as pd

from rebond_core.db import Base, sql
from rebond_core.indicateurs import Filtres
from rebond_core.versions import version_a_lire


def _requete(base: Base, nom: str, filtres: Filtres, **autres: Any) -> pd.DataFrame:
    parametres = filtres.parametres(version_a_lire(base, filtres.version)) | autres
    return base.df(sql("perimetre") + sql(nom), parametres)


def territoires(base: Base, filtres: Filtres) -> pd.DataFrame:
    """One row per territory in scope with its key figures."""
    df = _requete(base, "tableau_territoires", filtres)
    plafond = df["enveloppe_aides_eur"].astype(float) + df["cofinancement_local_eur"].astype(float)
    df["taux_enveloppe"] = (df["aides_engagees_eur"].astype(float) / plafond).where(plafond > 0)
    return df


def laureats_par_releve(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "laureats_par_releve", filtres)


def aides_par_date(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "aides_par_date", filtres)


def projets_filiere_statut(base: Base, filtres: Filtres) -> pd.DataFrame:
    return _requete(base, "projets_filiere_statut", filtres)


def projets(base: Base, filtres: Filtres) -> pd.DataFrame:
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
