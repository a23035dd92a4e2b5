"""Derived views of the page tables: the pace of aid and when the national envelope would run out,
the straight path to the programme's end, and each territory's ratios against the laureates' median."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from rebond_core.config import ENVELOPPE_AIDES_EUR, FIN_PROGRAMME, PREMIERE_RELEVE
from rebond_core.formats import EUROS, RATIO, TAUX
from rebond_core.indicateurs import PAR_CLE


@dataclass(frozen=True)
class Projection:
    """Aid engaged, the straight path to the programme's end, and when 90 M€ would run out."""

    reference: date | None  # the latest decision date: the pace is measured on the year before it
    rythme_annuel_eur: Decimal
    engage_eur: Decimal
    epuisement: date | None  # None when the pace is zero


HORIZON_PROJECTION = date(2100, 12, 31)  # the last date the contract accepts: no projection beyond it


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
    if jours > (HORIZON_PROJECTION - reference).days:
        return Projection(reference, rythme, engage_total_eur, None)  # a pace too slow to date an end
    return Projection(reference, rythme, engage_total_eur, reference + timedelta(days=max(0.0, jours)))


def trajectoire_lineaire() -> tuple[tuple[date, float], tuple[date, float]]:
    """The straight path from 0 at the first relève to 90 M€ at the programme's end."""
    return (PREMIERE_RELEVE, 0.0), (FIN_PROGRAMME, float(ENVELOPPE_AIDES_EUR))


@dataclass(frozen=True)
class Ratio:
    """A ratio of the territories compared with the laureates' median: column of `ratios_territoires`,
    French label, unit (formats.EUROS, TAUX …) by which its values are formatted."""

    cle: str
    libelle: str
    unite: str


_PROJETS, _AIDE_PAR_EMPLOI = PAR_CLE["projets.total"], PAR_CLE["aide_par_emploi_eur"]
RATIOS_COMPARES: tuple[Ratio, ...] = (
    Ratio("projets", _PROJETS.libelle, _PROJETS.unite),
    Ratio("investissement_par_projet_eur", "Investissement potentiel par projet (€)", EUROS),
    Ratio("emplois_par_projet", "Emplois potentiels par projet", RATIO),
    Ratio("taux_enveloppe", "Part de l'enveloppe engagée", TAUX),
    Ratio("aide_par_emploi_eur", f"{_AIDE_PAR_EMPLOI.libelle} (€)", _AIDE_PAR_EMPLOI.unite),
)


def ratios_territoires(tableau: pd.DataFrame) -> pd.DataFrame:
    """The main ratios per territory (from `territoires`), for comparing one with the median."""
    df = tableau[["code_territoire", "nom", "projets", "taux_enveloppe"]].copy()
    projets_ = tableau["projets"].astype(float)
    df["investissement_par_projet_eur"] = (tableau["investissement_potentiel_eur"].astype(float) / projets_).where(
        projets_ > 0
    )
    df["emplois_par_projet"] = (tableau["emplois_potentiels"].astype(float) / projets_).where(projets_ > 0)
    soutenus = tableau["emplois_soutenus"].astype(float)
    df["aide_par_emploi_eur"] = (tableau["aides_engagees_eur"].astype(float) / soutenus).where(soutenus > 0)
    return df


def comparaison_mediane(ratios: pd.DataFrame, code: str) -> pd.DataFrame:
    """For one territory: each ratio (French label `ratio`, with its `cle` and `unite` to format it by),
    its value, the median over all laureates, and the gap."""
    ligne = ratios.loc[ratios["code_territoire"] == code]
    lignes = []
    for ratio in RATIOS_COMPARES:
        cle = ratio.cle
        valeur = float(ligne[cle].iloc[0]) if not ligne.empty and pd.notna(ligne[cle].iloc[0]) else None
        mediane = ratios[cle].astype(float).median()
        mediane = None if pd.isna(mediane) else float(mediane)
        ecart = (valeur / mediane - 1) if valeur is not None and mediane else None
        lignes.append(
            {
                "ratio": ratio.libelle,
                "territoire": valeur,
                "mediane": mediane,
                "ecart": ecart,
                "cle": cle,
                "unite": ratio.unite,
            }
        )
    return pd.DataFrame(lignes)
