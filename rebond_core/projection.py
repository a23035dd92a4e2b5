"""Derived views of the page tables: the pace of aid decisions up to the reference date and what it says of
the national envelope (a date only when the data supports one), the straight path to the call's closing,
and each territory's ratios against the laureates' median."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from rebond_core import formats
from rebond_core.config import (
    CLOTURE_APPEL,
    ENVELOPPE_AIDES_EUR,
    FENETRE_RYTHME_JOURS,
    HORIZON_FRANCE_2030,
    PREMIERE_RELEVE,
)
from rebond_core.formats import EUROS, RATIO, TAUX
from rebond_core.indicateurs import PAR_CLE


@dataclass(frozen=True)
class Projection:
    """The pace of aid decisions up to the reference date, and what it says of the remaining envelope.

    The pace is the aid decided in the window (debut_fenetre, au]; `epuisement` is the day 90 M€ would be
    engaged at that pace, only when the data supports one: a recent pace, a date within France 2030, and,
    once the call is closed, requests pending enough to use what remains. `constat` says it in French."""

    au: date
    debut_fenetre: date
    rythme_annuel_eur: Decimal
    derniere_decision: date | None  # the latest decision on or before `au`
    engage_eur: Decimal  # aid of the decisions dated on or before `au`
    reste_eur: Decimal
    demandes_en_cours_eur: Decimal
    appel_clos: bool
    epuisement: date | None
    constat: str


def projection_epuisement(aides: pd.DataFrame, demandes_en_cours_eur: Decimal, au: date | None = None) -> Projection:
    """At the pace of the FENETRE_RYTHME_JOURS days up to `au` (today when None), when the national 90 M€
    would be engaged.

    `aides` is `aides_par_date` on the whole base (the envelope is national: decisions dated on or before
    `au`, one row per date); `demandes_en_cours_eur` the aid requested by the projects awaiting a decision
    on the whole base. After CLOTURE_APPEL no new territory comes: only the pending requests can still use
    the envelope, so no date is projected when they cannot exhaust it; no date is projected beyond
    HORIZON_FRANCE_2030 either, nor without a decision in the window."""
    au = au or date.today()
    debut = au - timedelta(days=FENETRE_RYTHME_JOURS)
    decisions = [
        (pd.Timestamp(jour).date(), Decimal(str(montant)))
        for jour, montant in zip(aides["date_decision"], aides["aides_eur"], strict=True)
    ]
    decisions = [(jour, montant) for jour, montant in decisions if jour <= au]
    engage = sum((montant for _, montant in decisions), Decimal(0))
    rythme = sum((montant for jour, montant in decisions if jour > debut), Decimal(0))
    derniere = max((jour for jour, _ in decisions), default=None)
    reste = ENVELOPPE_AIDES_EUR - engage
    clos = au >= CLOTURE_APPEL
    epuisement, constat = _constat(au, debut, rythme, derniere, reste, demandes_en_cours_eur, clos)
    return Projection(au, debut, rythme, derniere, engage, reste, demandes_en_cours_eur, clos, epuisement, constat)


def _constat(
    au: date, debut: date, rythme: Decimal, derniere: date | None, reste: Decimal, demandes: Decimal, clos: bool
) -> tuple[date | None, str]:
    """The projected date (or None) and the French sentences that say what the data supports."""
    m, d = formats.millions_euros, formats.date_fr
    cloture = (
        f"L'appel est clos depuis le {d(CLOTURE_APPEL)} : seules les demandes en cours ({m(demandes)}) peuvent "
        f"encore engager les {m(reste)} qui restent."
        if clos
        else ""
    )
    if derniere is None:
        return (
            None,
            f"Aucune aide décidée au {d(au)} : pas de rythme, aucune date d'épuisement projetée. {cloture}".strip(),
        )
    if rythme <= 0:
        return None, (
            f"Pas de rythme récent : aucune décision depuis le {d(derniere)} (fenêtre mesurée du {d(debut)} au "
            f"{d(au)}). Aucune date d'épuisement n'est projetée. {cloture}"
        ).strip()
    mesure = f"Rythme des décisions du {d(debut)} au {d(au)} : {m(rythme)} d'aides par an."
    if clos and demandes < reste:
        return None, (
            f"{mesure} {cloture} Même toutes accordées, il resterait {m(reste - demandes)} : l'enveloppe ne sera "
            "pas épuisée, aucune date n'est projetée."
        )
    jours = float(reste / rythme) * 365
    if jours > (HORIZON_FRANCE_2030 - au).days:
        restant = reste - rythme * Decimal((HORIZON_FRANCE_2030 - au).days) / Decimal(365)
        return None, (
            f"{mesure} À ce rythme, les 90 M€ ne seraient pas épuisés avant la fin de France 2030 "
            f"({d(HORIZON_FRANCE_2030)}) : il en resterait environ {m(restant)}. {cloture}"
        ).strip()
    epuisement = au + timedelta(days=max(0.0, jours))
    return epuisement, f"{mesure} À ce rythme, les 90 M€ seraient engagés vers le {d(epuisement)}. {cloture}".strip()


def trajectoire_lineaire() -> tuple[tuple[date, float], tuple[date, float]]:
    """The straight path from 0 at the first relève to 90 M€ when the call closed."""
    return (PREMIERE_RELEVE, 0.0), (CLOTURE_APPEL, float(ENVELOPPE_AIDES_EUR))


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
    Ratio("investissement_par_projet_eur", "Investissement détecté par projet (€)", EUROS),
    Ratio("emplois_par_projet", "Emplois détectés par projet", RATIO),
    Ratio("taux_enveloppe", "Part de l'enveloppe engagée", TAUX),
    Ratio("aide_par_emploi_eur", f"{_AIDE_PAR_EMPLOI.libelle} (€)", _AIDE_PAR_EMPLOI.unite),
)


def ratios_territoires(tableau: pd.DataFrame) -> pd.DataFrame:
    """The main ratios per territory (from `territoires`), for comparing one with the median."""
    df = tableau[["code_territoire", "nom", "projets", "taux_enveloppe"]].copy()
    projets_ = tableau["projets"].astype(float)
    df["investissement_par_projet_eur"] = (tableau["investissement_detecte_eur"].astype(float) / projets_).where(
        projets_ > 0
    )
    df["emplois_par_projet"] = (tableau["emplois_detectes"].astype(float) / projets_).where(projets_ > 0)
    soutenus = tableau["emplois_soutenus"].astype(float)
    df["aide_par_emploi_eur"] = (tableau["aides_engagees_eur"].astype(float) / soutenus).where(soutenus > 0)
    return df


def medianes(ratios: pd.DataFrame) -> dict[str, float | None]:
    """The median of each compared ratio over the territories of `ratios` (None when none has it)."""
    resultat: dict[str, float | None] = {}
    for ratio in RATIOS_COMPARES:
        mediane = ratios[ratio.cle].astype(float).median()
        resultat[ratio.cle] = None if pd.isna(mediane) else float(mediane)
    return resultat


def comparaison_mediane(
    ratios: pd.DataFrame, code: str, medianes_: dict[str, float | None] | None = None
) -> pd.DataFrame:
    """For one territory: each ratio (French label `ratio`, with its `cle` and `unite` to format it by),
    its value, the median over all laureates (of `ratios`, or the precomputed national `medianes_`), and
    the gap."""
    ligne = ratios.loc[ratios["code_territoire"] == code]
    reference = medianes(ratios) if medianes_ is None else medianes_
    lignes = []
    for ratio in RATIOS_COMPARES:
        cle = ratio.cle
        valeur = float(ligne[cle].iloc[0]) if not ligne.empty and pd.notna(ligne[cle].iloc[0]) else None
        mediane = reference.get(cle)
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
