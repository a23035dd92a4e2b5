"""Scoring and ranking of candidate sites on a criteria grid, and the robustness of the ranking
(spec criteres-sites.md). Pure numpy: no database, no Streamlit.

Scores are a matrix `S` (sites × criteria) of floats 0–5, NaN where a criterion is not assessed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rebond_core.erreurs import ReglageInvalide
from rebond_core.grilles import Grille, grilles

GRAINE = 20230308  # ANCT's final report on tomorrow's industrial sites: 8 March 2023
TIRAGES_PAR_DEFAUT = 1000
ECART_PAR_DEFAUT = 0.25  # each weight drawn uniformly within ±25 % of its value
TOP_PAR_DEFAUT = 3
DECIMALES_COMPARAISON = 6
TOLERANCE_PLACES = 1  # "robuste": the 5–95 % rank interval stays within one place of the rank
NON_EVALUE = "non évalué"
ROBUSTE, FRAGILE = "robuste", "fragile"
REGLE_POSITION = (
    "Position robuste : dans au moins 90 % des tirages, le site reste à une place près de son rang "
    "(intervalle 5e–95e centile compris entre rang − 1 et rang + 1) ; fragile sinon."
)


@dataclass(frozen=True)
class Reglages:
    """What the user sets: one weight per criterion of the grid (file order), thresholds, the mode."""

    grille: Grille
    poids: tuple[float, ...]
    seuils: tuple[int | None, ...]
    non_evalue_zero: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.grille.criteres)

    def vecteur_poids(self) -> np.ndarray:
        return np.asarray(self.poids, dtype=float)

    def vecteur_seuils(self) -> np.ndarray:
        return np.array([np.nan if s is None else float(s) for s in self.seuils])


def grille(code: str | None) -> Grille:
    """The grid of that code (the default grid for None); ReglageInvalide when unknown."""
    toutes = grilles()
    if code is None:
        return next(g for g in toutes.values() if g.par_defaut)
    if code not in toutes:
        raise ReglageInvalide(f"Grille inconnue : {code} (attendu l'une de {', '.join(toutes)}).")
    return toutes[code]


def verifier_poids(poids: Sequence[float], libelles: Sequence[str] | None = None) -> None:
    """Weights are finite, ≥ 0, and at least one is > 0; else ReglageInvalide with a French message."""
    for indice, valeur in enumerate(poids):
        nom = libelles[indice] if libelles else f"n° {indice + 1}"
        if not math.isfinite(valeur) or valeur < 0:
            raise ReglageInvalide(
                f"Poids invalide pour le critère {nom} : {valeur} (attendu un nombre positif ou nul)."
            )
    if not any(v > 0 for v in poids):
        raise ReglageInvalide("Au moins un poids doit être strictement positif : tous les poids sont nuls.")


def reglages(
    choisie: Grille,
    poids: Mapping[str, float] | None = None,
    seuils: Mapping[str, int | None] | None = None,
    non_evalue_zero: bool = False,
) -> Reglages:
    """The grid's defaults overridden by `poids` / `seuils` (by criterion code), validated."""
    codes = [c.code for c in choisie.criteres]
    for nom, valeurs in (("poids", poids or {}), ("seuil", seuils or {})):
        for code in valeurs:
            if code not in codes:
                raise ReglageInvalide(
                    f"Critère inconnu pour le {nom} : {code} (grille {choisie.code} : {', '.join(codes)})."
                )
    vecteur = tuple(float((poids or {}).get(c.code, c.poids)) for c in choisie.criteres)
    verifier_poids(vecteur, [c.libelle for c in choisie.criteres])
    limites = []
    for critere in choisie.criteres:
        seuil = (seuils or {}).get(critere.code, critere.seuil)
        if seuil is not None and (int(seuil) != seuil or not 0 <= seuil <= 5):
            raise ReglageInvalide(
                f"Seuil invalide pour le critère {critere.libelle} : {seuil} (attendu un entier de 0 à 5)."
            )
        limites.append(None if seuil is None else int(seuil))
    return Reglages(choisie, vecteur, tuple(limites), non_evalue_zero)


def matrice_scores(scores: Sequence[str | Mapping[str, Any] | None], codes: Sequence[str]) -> np.ndarray:
    """Sites × criteria matrix from the stored JSON texts (or dicts); NaN where not assessed."""
    matrice = np.full((len(scores), len(codes)), np.nan)
    position = {code: j for j, code in enumerate(codes)}
    for i, brut in enumerate(scores):
        valeurs = json.loads(brut) if isinstance(brut, str) else (brut or {})
        for code, valeur in valeurs.items():
            if code in position and valeur is not None:
                matrice[i, position[code]] = float(valeur)
    return matrice


def scores_et_completude(
    matrice: np.ndarray, poids: np.ndarray, non_evalue_zero: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Score 0–100 and completeness 0–1 of each site.

    `poids` is one vector (m,) or a stack of vectors (d, m); the score then has shape (d, n).
    Score = 100 · Σ wᵢsᵢ / (5 · Σ wᵢ), sums over assessed criteria (over all criteria when
    `non_evalue_zero`); NaN when that denominator is 0 (nothing assessed). Completeness uses `poids`
    (the first vector of a stack is not special: it is computed per vector too)."""
    evalue = ~np.isnan(matrice)
    valeurs = np.where(evalue, matrice, 0.0)
    poids = np.asarray(poids, dtype=float)
    numerateur = valeurs @ poids.T  # (n,) or (n, d)
    somme_evaluee = evalue.astype(float) @ poids.T
    somme_totale = poids.sum(axis=-1)
    denominateur = np.broadcast_to(somme_totale, somme_evaluee.shape) if non_evalue_zero else somme_evaluee
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(denominateur > 0, 100.0 * numerateur / (5.0 * denominateur), np.nan)
        completude = somme_evaluee / somme_totale
    return score.T, completude.T


def rangs(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) along the last axis, best score first, after rounding to 6
    decimals; NaN scores come last. Works on one vector (n,) or a stack (d, n), without a Python loop."""
    arrondis = np.round(np.asarray(scores, dtype=float), DECIMALES_COMPARAISON)
    cles = np.where(np.isnan(arrondis), np.inf, -arrondis)  # ascending key: best first
    seul = cles.ndim == 1
    cles = np.atleast_2d(cles)
    ordre = np.argsort(cles, axis=1, kind="stable")
    tries = np.take_along_axis(cles, ordre, axis=1)
    nouveaux = np.ones_like(tries, dtype=bool)
    nouveaux[:, 1:] = tries[:, 1:] != tries[:, :-1]
    positions = np.arange(1, cles.shape[1] + 1)
    rang_tries = np.maximum.accumulate(np.where(nouveaux, positions, 0), axis=1)
    resultat = np.empty_like(rang_tries)
    np.put_along_axis(resultat, ordre, rang_tries, axis=1)
    return resultat[0] if seul else resultat


@dataclass
class Classement:
    """The ranking of a set of sites, in the input order of the sites."""

    reglages: Reglages
    matrice: np.ndarray
    score: np.ndarray  # NaN: no score ("non évalué")
    completude: np.ndarray
    retenu: np.ndarray  # bool
    rang: np.ndarray  # float, NaN when not retained
    motif: list[str | None] = field(default_factory=list)

    def contributions(self) -> np.ndarray:
        """wᵢ·sᵢ per site and criterion (0 where not assessed)."""
        return np.where(np.isnan(self.matrice), 0.0, self.matrice) * self.reglages.vecteur_poids()

    def points(self) -> np.ndarray:
        """Each criterion's share of the score, in points of 0–100: the row sums are the scores."""
        poids = self.reglages.vecteur_poids()
        evalue = ~np.isnan(self.matrice)
        denominateur = np.full(len(self.matrice), poids.sum()) if self.reglages.non_evalue_zero else evalue @ poids
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                denominateur[:, None] > 0, 100.0 * self.contributions() / (5.0 * denominateur[:, None]), np.nan
            )


def _motif_seuils(ligne: np.ndarray, choisis: Reglages) -> str | None:
    raisons = []
    for j, (critere, seuil) in enumerate(zip(choisis.grille.criteres, choisis.seuils, strict=True)):
        if seuil is None:
            continue
        if np.isnan(ligne[j]):
            raisons.append(f"{critere.libelle} non évalué (seuil {seuil})")
        elif ligne[j] < seuil:
            raisons.append(f"{critere.libelle} {int(ligne[j])} sous le seuil {seuil}")
    return "non retenu : " + " ; ".join(raisons) if raisons else None


def classer(matrice: np.ndarray, choisis: Reglages) -> Classement:
    """Score, completeness, thresholds and ranks of the sites of `matrice` (rows)."""
    poids = choisis.vecteur_poids()
    score, completude = scores_et_completude(matrice, poids, choisis.non_evalue_zero)
    seuils = choisis.vecteur_seuils()
    avec_seuil = ~np.isnan(seuils)
    sous_seuil = (np.isnan(matrice) | (matrice < np.nan_to_num(seuils, nan=-1.0))) & avec_seuil
    non_evalue = np.isnan(score)
    retenu = ~non_evalue & ~sous_seuil.any(axis=1)
    motifs: list[str | None] = []
    for i in range(len(matrice)):
        if non_evalue[i]:
            motifs.append(NON_EVALUE)
        elif not retenu[i]:
            motifs.append(_motif_seuils(matrice[i], choisis))
        else:
            motifs.append(None)
    completude = np.where(non_evalue, 0.0, completude)
    rang = np.full(len(matrice), np.nan)
    if retenu.any():
        rang[retenu] = rangs(score[retenu])
    return Classement(choisis, matrice, score, completude, retenu, rang, motifs)


@dataclass
class Robustesse:
    """Per site (input order): 5th and 95th percentile ranks over the draws, share of draws in the
    top k, and the position "robuste" / "fragile" (NaN / None for sites not retained)."""

    rang_bas: np.ndarray  # 5th percentile (the best places)
    rang_haut: np.ndarray  # 95th percentile
    part_top: np.ndarray
    position: list[str | None]
    tirages: int
    ecart: float
    top: int


def tirer_poids(
    poids: np.ndarray, tirages: int = TIRAGES_PAR_DEFAUT, ecart: float = ECART_PAR_DEFAUT, graine: int = GRAINE
) -> np.ndarray:
    """`tirages` weight vectors, each weight uniform within ±`ecart` (a fraction) of its value."""
    if tirages < 1:
        raise ReglageInvalide(f"Nombre de tirages invalide : {tirages} (au moins 1).")
    if not 0 <= ecart <= 1:
        raise ReglageInvalide(f"Variation des poids invalide : {ecart * 100:g} % (attendu de 0 à 100 %).")
    generateur = np.random.default_rng(graine)
    alea = generateur.uniform(-1.0, 1.0, size=(tirages, len(poids)))
    return np.asarray(poids, dtype=float) * (1.0 + ecart * alea)


def robustesse(
    classement: Classement,
    tirages: int = TIRAGES_PAR_DEFAUT,
    ecart: float = ECART_PAR_DEFAUT,
    top: int = TOP_PAR_DEFAUT,
    graine: int = GRAINE,
) -> Robustesse:
    """Rank the retained sites under `tirages` perturbed weight vectors (fixed seed), vectorised."""
    if top < 1:
        raise ReglageInvalide(f"Taille du peloton de tête invalide : {top} (au moins 1).")
    n = len(classement.matrice)
    bas, haut, part = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    positions: list[str | None] = [None] * n
    retenus = np.flatnonzero(classement.retenu)
    if retenus.size:
        poids = tirer_poids(classement.reglages.vecteur_poids(), tirages, ecart, graine)
        score, _ = scores_et_completude(classement.matrice[retenus], poids, classement.reglages.non_evalue_zero)
        rang_tirages = rangs(score)  # (tirages, retenus)
        bas[retenus], haut[retenus] = np.quantile(rang_tirages, [0.05, 0.95], axis=0, method="inverted_cdf")
        part[retenus] = (rang_tirages <= top).mean(axis=0)
        rang = classement.rang[retenus]
        stables = (bas[retenus] >= rang - TOLERANCE_PLACES) & (haut[retenus] <= rang + TOLERANCE_PLACES)
        for indice, stable in zip(retenus, stables, strict=True):
            positions[indice] = ROBUSTE if stable else FRAGILE
    return Robustesse(bas, haut, part, positions, tirages, ecart, top)


def ordre_sortie(classement: Classement, id_site: Sequence[str]) -> list[int]:
    """Row indices: ranked sites by rank then id_site, then sites set apart by id_site."""
    ids = list(id_site)
    ranges = sorted(np.flatnonzero(classement.retenu), key=lambda i: (classement.rang[i], ids[i]))
    ecartes = sorted(np.flatnonzero(~classement.retenu), key=lambda i: ids[i])
    return [int(i) for i in ranges] + [int(i) for i in ecartes]


def _nombre(valeur: float) -> float:
    return float("nan") if np.isnan(valeur) else round(float(valeur), DECIMALES_COMPARAISON)


def _entiers(valeurs: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.array([None if np.isnan(v) else int(v) for v in valeurs], dtype="Int64")


def tableau(
    sites: pd.DataFrame, choisis: Reglages, options_robustesse: dict[str, Any] | None = None
) -> tuple[pd.DataFrame, Classement, Robustesse | None]:
    """The ranking of the sites of `sites` (columns id_site, nom, code_territoire, scores, …), in the
    output order. With `options_robustesse` (keyword arguments of `robustesse`), adds rang_bas, rang_haut,
    part_top and position."""
    matrice = matrice_scores(list(sites["scores"]), choisis.codes)
    classement = classer(matrice, choisis)
    resultat = sites.drop(columns=["scores"]).reset_index(drop=True).copy()
    resultat["score"] = [_nombre(v) for v in classement.score]
    resultat["completude"] = [_nombre(v) for v in classement.completude]
    resultat["rang"] = _entiers(classement.rang)
    resultat["retenu"] = classement.retenu.astype(bool)
    resultat["motif"] = classement.motif
    rob = None
    if options_robustesse is not None:
        rob = robustesse(classement, **options_robustesse)
        resultat["rang_bas"] = _entiers(rob.rang_bas)
        resultat["rang_haut"] = _entiers(rob.rang_haut)
        resultat["part_top"] = rob.part_top
        resultat["position"] = rob.position
    ordre = ordre_sortie(classement, resultat["id_site"])
    return resultat.iloc[ordre].reset_index(drop=True), classement, rob


CLES_JSON = ("id_site", "nom", "code_territoire", "score", "completude", "rang", "retenu", "motif")


def en_json(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The objects of `classement --json`, in the table's order."""
    return [{cle: _natif(ligne[cle]) for cle in CLES_JSON} for ligne in table.to_dict("records")]


def _natif(valeur: Any) -> Any:
    """A JSON-ready value: NaN / NA → None, numpy scalars → Python."""
    if valeur is None or valeur is pd.NA or (isinstance(valeur, float) and math.isnan(valeur)):
        return None
    if isinstance(valeur, np.generic):
        return valeur.item()
    return valeur
