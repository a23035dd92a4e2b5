"""The tables the pages show, computed in SQL on the same scope as the indicators."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from rebond_core.config import ENVELOPPE_AIDES_EUR, FIN_PROGRAMME, PREMIERE_RELEVE
from rebond_core.db import Base, sql
from rebond_core.indicateurs import Filtres, _version


def _requete(base: Base, nom: str, filtres: Filtres, **autres: Any) -> pd.DataFrame:
    parametres = filtres.parametres(_version(base, filtres.version)) | autres
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
    return base.df(sql("epci_territoire"), {"version": _version(base, version), "code": code})


def options_filtres(base: Base) -> dict[str, list[tuple[Any, str]]]:
    """The values the filter widgets offer, with their French labels (current state)."""
    version = base.version_courante()
    regions = base.lignes(
        "select distinct r.code_region, r.nom from territoires_a($v) t join ref_regions r on r.code_region = t.region "
        "order by r.nom", {"v": version})
    releves = base.lignes("select numero, date_limite from releves_a($v) order by numero", {"v": version})
    territoires_ = base.lignes("select code_territoire, nom from territoires_a($v) order by nom", {"v": version})
    return {
        "region": [(code, nom) for code, nom in regions],
        "releve": [(n, f"Relève {n} ({d.strftime('%d/%m/%Y')})") for n, d in releves],
        "territoire": [(code, nom) for code, nom in territoires_],
    }


@dataclass(frozen=True)
class EtatDonnees:
    """What the header says of the data: version, its date and author, demonstration or not."""

    version: int
    date: datetime | None
    auteur: str | None
    demo: bool


def releves_incertaines(base: Base) -> set[str]:
    """Territories whose relève is an assumption of the demonstration data (empty otherwise)."""
    valeur = base.meta("releves_incertaines")
    return set(json.loads(valeur)) if valeur else set()


def etat_donnees(base: Base) -> EtatDonnees:
    ligne = base.lignes("select numero, date, auteur from versions order by numero desc limit 1")
    demo = base.meta("donnees_demo") == "oui"
    if not ligne:
        return EtatDonnees(0, None, None, demo)
    numero, date_, auteur = ligne[0]
    return EtatDonnees(int(numero), date_, auteur, demo)


@dataclass(frozen=True)
class Projection:
    """Aid engaged, the straight path to the programme's end, and when 90 M€ would run out."""

    reference: date | None  # the latest decision date: the pace is measured on the year before it
    rythme_annuel_eur: Decimal
    engage_eur: Decimal
    epuisement: date | None  # None when the pace is zero


def projection_epuisement(aides: pd.DataFrame, engage_total_eur: Decimal) -> Projection:
    """At the pace of the twelve months up to the latest decision, the date 90 M€ would be exhausted.

    `aides` is `aides_par_date` (one row per decision date); `engage_total_eur` the aid engaged on the
    whole base (the envelope is national)."""
    if aides.empty:
        return Projection(None, Decimal(0), engage_total_eur, None)
    reference = pd.Timestamp(aides["date_decision"].max()).date()
    debut = reference - timedelta(days=365)
    dates = pd.to_datetime(aides["date_decision"]).dt.date
    rythme = Decimal(str(aides.loc[dates > debut, "aides_eur"].astype(float).sum()))
    reste = ENVELOPPE_AIDES_EUR - engage_total_eur
    if rythme <= 0:
        return Projection(reference, rythme, engage_total_eur, None)
    jours = float(reste / rythme) * 365
    return Projection(reference, rythme, engage_total_eur, reference + timedelta(days=max(0.0, jours)))


def trajectoire_lineaire() -> tuple[tuple[date, float], tuple[date, float]]:
    """The straight path from 0 at the first relève to 90 M€ at the programme's end."""
    return (PREMIERE_RELEVE, 0.0), (FIN_PROGRAMME, float(ENVELOPPE_AIDES_EUR))


RATIOS_COMPARES: dict[str, str] = {
    "projets": "Projets détectés",
    "investissement_par_projet_eur": "Investissement potentiel par projet (€)",
    "emplois_par_projet": "Emplois potentiels par projet",
    "taux_enveloppe": "Part de l'enveloppe engagée",
    "aide_par_emploi_eur": "Aide par emploi soutenu (€)",
}


def ratios_territoires(tableau: pd.DataFrame) -> pd.DataFrame:
    """The main ratios per territory (from `territoires`), for comparing one with the median."""
    df = tableau[["code_territoire", "nom", "projets", "taux_enveloppe"]].copy()
    projets_ = tableau["projets"].astype(float)
    df["investissement_par_projet_eur"] = (tableau["investissement_potentiel_eur"].astype(float) / projets_).where(projets_ > 0)
    df["emplois_par_projet"] = (tableau["emplois_potentiels"].astype(float) / projets_).where(projets_ > 0)
    soutenus = tableau["emplois_soutenus"].astype(float)
    df["aide_par_emploi_eur"] = (tableau["aides_engagees_eur"].astype(float) / soutenus).where(soutenus > 0)
    return df


def comparaison_mediane(ratios: pd.DataFrame, code: str) -> pd.DataFrame:
    """For one territory: each ratio, the median over all laureates, and the gap."""
    ligne = ratios.loc[ratios["code_territoire"] == code]
    lignes = []
    for cle, libelle in RATIOS_COMPARES.items():
        valeur = float(ligne[cle].iloc[0]) if not ligne.empty and pd.notna(ligne[cle].iloc[0]) else None
        mediane = ratios[cle].astype(float).median()
        mediane = None if pd.isna(mediane) else float(mediane)
        ecart = (valeur / mediane - 1) if valeur is not None and mediane else None
        lignes.append({"ratio": libelle, "territoire": valeur, "mediane": mediane, "ecart": ecart})
    return pd.DataFrame(lignes)
