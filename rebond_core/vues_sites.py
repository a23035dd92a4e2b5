"""What the "Sites industriels de demain" page shows, as data: the ranking with the notes behind it, the
table and its export, the sentences that describe the settings, and the explanation of one site's score.
Pure pandas; every number a person reads goes through rebond_core.formats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rebond_core import formats, sites

ECARTE = "écarté"


@dataclass(frozen=True)
class Choix:
    """Everything the user sets on the page (hashable: the cache key of the ranking): the grid, one
    weight and one threshold per criterion in the grid's order, the mode, and the robustness test."""

    grille: str
    poids: tuple[float, ...]
    seuils: tuple[int | None, ...]
    non_evalue_zero: bool = False
    tirages: int = sites.TIRAGES_PAR_DEFAUT
    ecart_pct: int = round(sites.ECART_PAR_DEFAUT * 100)
    top: int = sites.TOP_PAR_DEFAUT

    def reglages(self) -> sites.Reglages:
        """The core settings, validated (raises ReglageInvalide, e.g. when every weight is 0)."""
        grille = sites.grille(self.grille)
        codes = [c.code for c in grille.criteres]
        return sites.reglages(
            grille,
            dict(zip(codes, self.poids, strict=True)),
            dict(zip(codes, self.seuils, strict=True)),
            self.non_evalue_zero,
        )


@dataclass(frozen=True)
class ClassementDetaille:
    """The ranking table (output order, with the robustness columns) and, per site and criterion
    (id_site × criterion code, input order), the notes 0–5 (NaN when not assessed) and their points."""

    tableau: pd.DataFrame
    notes: pd.DataFrame
    points: pd.DataFrame


def classement_detaille(liste: pd.DataFrame, choix: Choix) -> ClassementDetaille:
    """Rank the sites of `liste` (perimetre.sites) and test the ranking under the chosen weight draws
    (raises ReglageInvalide on settings the core refuses)."""
    reglages = choix.reglages()
    robustesse = {"tirages": choix.tirages, "ecart": choix.ecart_pct / 100, "top": choix.top}
    tableau, classement, _ = sites.tableau(liste, reglages, robustesse)
    ids = list(liste["id_site"])
    notes = pd.DataFrame(classement.matrice, index=ids, columns=list(reglages.codes))
    points = pd.DataFrame(classement.points(), index=ids, columns=list(reglages.codes))
    return ClassementDetaille(tableau, notes, points)


@dataclass(frozen=True)
class Comptes:
    perimetre: int
    classes: int
    ecartes: int
    robustes: int


def comptes(tableau: pd.DataFrame) -> Comptes:
    """How many sites are in scope, ranked, set apart, and ranked in a robust position."""
    retenus = tableau[tableau["retenu"]]
    robustes = int((retenus["position"] == sites.ROBUSTE).sum()) if "position" in retenus else 0
    return Comptes(len(tableau), len(retenus), len(tableau) - len(retenus), robustes)


def score(valeur: Any) -> str:
    """A score out of 100 with one decimal ('85,0'), or the empty mark."""
    return formats.VIDE if valeur is None or pd.isna(valeur) else formats.nombre(valeur, 1)


def intervalle_rangs(bas: Any, haut: Any) -> str:
    """The 5–95 % rank interval: '3' when both ends agree, '2 – 4' otherwise, the empty mark without one."""
    if bas is None or pd.isna(bas):
        return formats.VIDE
    return str(int(bas)) if int(bas) == int(haut) else f"{int(bas)} – {int(haut)}"


def tete(tableau: pd.DataFrame, top: int) -> list[str]:
    """The ranked sites within the first `top` ranks, as 'rang. nom (score, position)'."""
    retenus = tableau[tableau["retenu"] & (tableau["rang"] <= top)]
    return [f"{int(s['rang'])}. {s['nom']} ({score(s['score'])}, {s['position']})" for s in retenus.to_dict("records")]


def colonne_tete(top: int) -> str:
    return f"Dans les {top} premiers"


def vue_classement(tableau: pd.DataFrame, noms_territoires: Mapping[str, str], top: int) -> pd.DataFrame:
    """The ranking as the page's table shows it (French column names; numbers left as numbers so that
    sorting works, the page formats them)."""
    return pd.DataFrame(
        {
            "Rang": tableau["rang"],
            "Position": tableau["position"].fillna(ECARTE),
            "Site": tableau["nom"],
            "Score": tableau["score"],
            "Complétude": tableau["completude"],
            "Rangs 5–95 %": [
                intervalle_rangs(b, h) for b, h in zip(tableau["rang_bas"], tableau["rang_haut"], strict=True)
            ],
            colonne_tete(top): tableau["part_top"],
            "Motif d'écart": tableau["motif"].fillna(""),
            "Territoire": tableau["code_territoire"].map(lambda c: noms_territoires.get(c, c)),
            "Commune": tableau["commune_nom"],
            "Identifiant": tableau["id_site"],
        }
    )


def export_classement(tableau: pd.DataFrame, noms_territoires: Mapping[str, str], top: int) -> pd.DataFrame:
    """The ranking as the CSV and XLSX downloads give it (percentages ×100, rounded)."""
    return pd.DataFrame(
        {
            "Identifiant": tableau["id_site"],
            "Site": tableau["nom"],
            "Territoire": tableau["code_territoire"].map(lambda c: noms_territoires.get(c, c)),
            "Commune": tableau["commune_nom"],
            "Rang": tableau["rang"],
            "Score": tableau["score"].round(2),
            "Complétude (%)": (tableau["completude"] * 100).round(1),
            "Rang 5e centile": tableau["rang_bas"],
            "Rang 95e centile": tableau["rang_haut"],
            f"Part dans les {top} premiers (%)": (tableau["part_top"] * 100).round(1),
            "Position": tableau["position"],
            "Motif d'écart": tableau["motif"],
        }
    )


def poids(valeur: float) -> str:
    """A weight as typed: '3', '0,5', '1,125' (no trailing zeros)."""
    texte = formats.nombre(valeur, 3)
    return texte.rstrip("0").rstrip(",") if "," in texte else texte


def seuil(valeur: int | None) -> str:
    return "aucun" if valeur is None else f"note ≥ {valeur}"


def entete_export(description: str, version: int, choix: Choix) -> list[str]:
    """The lines above the exported table: scope, version, grid, each criterion's setting, the mode and
    the robustness test, so that the file says how its ranking was made."""
    reglages = choix.reglages()
    grille = reglages.grille
    return [
        f"Rebond industriel — classement des sites — {description}",
        f"Version {version} — grille : {grille.libelle} ({grille.code})",
        *[
            f"Critère {c.libelle} : poids {poids(p)}, seuil {seuil(s)}"
            for c, p, s in zip(grille.criteres, reglages.poids, reglages.seuils, strict=True)
        ],
        "Critère non évalué : compte 0" if reglages.non_evalue_zero else "Critère non évalué : exclu du calcul",
        f"Robustesse : {choix.tirages} tirages, poids à ± {choix.ecart_pct} %, tête = {choix.top} premiers, "
        f"graine {sites.GRAINE}",
    ]


def explication_score(choix: Choix) -> str:
    """How the score, the ranks and the robustness are computed, under the table."""
    mode = " (un critère non évalué compte 0)" if choix.non_evalue_zero else ""
    return (
        f"Score sur 100 = 100 × Σ poids × note / (5 × Σ poids), sur les critères évalués{mode} ; complétude = "
        f"part des poids évalués. Rangs partagés en cas d'égalité (1, 2, 2, 4). Robustesse : "
        f"{formats.nombre(choix.tirages)} tirages des poids, chacun dans ± {choix.ecart_pct} % de sa valeur "
        f"(graine fixe {sites.GRAINE}) ; intervalle = rangs des 5e et 95e centiles. {sites.REGLE_POSITION}"
    )


def etat_site(ligne: Mapping[str, Any]) -> str:
    """Where a site stands: 'rang 2, score 85,0, complétude 80 %, position robuste', or why it is set apart."""
    completude = formats.pourcentage(ligne["completude"], 0)
    if ligne["retenu"]:
        rang = int(ligne["rang"])
        return f"rang {rang}, score {score(ligne['score'])}, complétude {completude}, position {ligne['position']}"
    return f"{ECARTE} ({ligne['motif']}), score {score(ligne['score'])}, complétude {completude}"


def detail_site(classement: ClassementDetaille, choix: Choix, site: str) -> pd.DataFrame:
    """One row per criterion for a site: label, its note, the weight, its points in the score, and the
    mean note of the other sites assessed on that criterion (NaN when none is)."""
    reglages = choix.reglages()
    notes = classement.notes
    autres = notes.drop(index=site)
    return pd.DataFrame(
        {
            "libelle": [c.libelle for c in reglages.grille.criteres],
            "score": notes.loc[site].to_numpy(),
            "poids": list(reglages.poids),
            "points": classement.points.loc[site].to_numpy(),
            "moyenne_autres": autres.mean(axis=0, skipna=True).to_numpy(),
        }
    )
