"""Arbitration aid (spec arbitrage.md): which pending projects the remaining aid envelope should fund.

The model. One binary x_j per candidate j (a project in scope, priorisé or déposé, aid requested a_j > 0),
funded whole or not at all:

    maximise   Σ v_j x_j          v = emplois_prevus, or investissement_eur (the objective chosen)
    subject to Σ a_j x_j ≤ B                          the national budget (default: what remains of 90 M€)
               Σ_{j ∈ t} a_j x_j ≤ max(0, E_t − G_t)  each territory t of a candidate (envelope − aid engaged),
                                                       unless the user lifts the territory ceilings
               Σ_{j ∈ f} a_j x_j ≤ C_f                each filière ceiling the user gives

then, among the selections of that optimal value, minimise Σ a_j x_j (a second solve with Σ v_j x_j ≥ V*).
Both are solved exactly by HiGHS's branch and bound (highspy), with zero optimality gap, under a time
limit; when the limit is hit, the best selection found is returned with its proven upper bound.

Exactness. Amounts are whole cents (Python integers) everywhere but inside the solver, which sees k€.
There each ceiling is set half a step above its last reachable amount (the step being the gcd of the aids
it counts, a cent at worst), so that every selection that fits exactly fits the model too. The solver's
tolerances may still let a selection a few cents over a ceiling pass (x = 0,9999999 of a large project):
every selection is checked again in cents, and one that does not fit is cut off (with its supersets,
which exceed the same ceiling) and the model solved again. Values are recomputed in integers.

Marginal values. For each constraint, what the continuous relaxation (0 ≤ x_j ≤ 1, projects fundable in
part) gains with 100 000 € more on that constraint alone: the shadow price averaged over the next
100 000 €, unique even where the relaxation is degenerate (a row dual is not: a territory whose ceiling
is 0 admits any dual above its best ratio). A mixed integer programme has no duals of its own, and
fixing the integers gives zero duals, so the relaxation is the standard source; `gains_exacts` gives the
exact gain of the integer programme by solving it again with 100 000 € more.

First come. Candidates taken by `date_statut` (missing dates last), then `id_projet`, each funded if it
still fits every constraint: what the spreadsheets do today, shown for comparison."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from rebond_core.db import Base
from rebond_core.domaine import FILIERES, STATUTS_PIPELINE, trouver_code
from rebond_core.erreurs import RebondError, ReglageInvalide, ValeurFiltreInconnue
from rebond_core.indicateurs import PAR_CLE, calculer
from rebond_core.perimetre import Filtres, requete_perimetre
from rebond_core.versions import version_a_lire

if TYPE_CHECKING:
    import pandas as pd

OBJECTIFS = {"emplois": "Emplois prévus", "investissement": "Investissement productif"}
OBJECTIF_PAR_DEFAUT = "emplois"
PAS_MARGINAL_EUR = 100_000  # "one more envelope" for the marginal values
LIMITE_TEMPS_S = 30.0  # per arbitration (both solves)
NATIONAL = "national"
CENTIMES_PAR_UNITE = 100_000  # the solver's unit of money: 1 k€
_CENTIMES_PAR_EURO = 100
# One solve at a time in a process: HiGHS's thread scheduler is not safe across concurrent user threads
# (ERGO-Code/HiGHS#3141), and Streamlit runs each session in its own thread.
_VERROU = threading.Lock()


def solveur() -> str:
    """The solver and its version, as the page and the exports name it: 'HiGHS 1.15.1'."""
    import highspy

    return f"HiGHS {highspy.Highs().version()}"


class ArbitrageImpossible(RebondError):
    """The solver failed in a way that leaves no usable selection (never expected: the empty selection
    and the first-come one are always feasible)."""


# ---------------------------------------------------------------------------------------------------
# The problem and its exact arithmetic


@dataclass(frozen=True, eq=False)
class Instance:
    """n candidates, m constraints (the first one national). `valeurs`: jobs, or investment in cents;
    `aides`: aid requested in cents (> 0); `masque[i, j]`: candidate j counts in constraint i;
    `ordre`: the candidates in first-come order; `unite_valeur`: value units per objective unit of the
    solver (1 for jobs, 100 000 for cents of investment read in k€)."""

    valeurs: np.ndarray
    aides: np.ndarray
    noms: tuple[str, ...]
    plafonds: np.ndarray
    masque: np.ndarray
    ordre: np.ndarray
    unite_valeur: int = 1

    @property
    def taille(self) -> int:
        return len(self.aides)

    def avec_plafond(self, indice: int, plafond: int) -> Instance:
        """The same problem with constraint `indice` at `plafond` cents."""
        plafonds = self.plafonds.copy()
        plafonds[indice] = plafond
        return replace(self, plafonds=plafonds)


def instance(
    valeurs: Any,
    aides: Any,
    contraintes: Mapping[str, tuple[int, Any]],
    ordre: Any = None,
    unite_valeur: int = 1,
) -> Instance:
    """A problem from plain lists: `contraintes` maps each name to (ceiling in cents, indices of its
    candidates), national first; `ordre` defaults to the candidates' order."""
    n = len(aides)
    masque = np.zeros((len(contraintes), n), dtype=bool)
    for i, (_, membres) in enumerate(contraintes.values()):
        masque[i, list(membres)] = True
    aides_ = np.asarray(aides, dtype=np.int64)
    if n and aides_.min() <= 0:
        raise ValueError("every aid requested must be above 0")
    return Instance(
        valeurs=np.asarray(valeurs, dtype=np.int64).reshape(n),
        aides=aides_.reshape(n),
        noms=tuple(contraintes),
        plafonds=np.array([max(0, int(p)) for p, _ in contraintes.values()], dtype=np.int64),
        masque=masque,
        ordre=np.arange(n) if ordre is None else np.asarray(ordre, dtype=np.int64),
        unite_valeur=unite_valeur,
    )


def utilise(p: Instance, choisis: np.ndarray) -> np.ndarray:
    """Cents used of each constraint by the selection (exact integers; the mask is walked sparse, a dense
    integer copy of it would weigh 190 MB for 18 000 candidates and 1 300 territories)."""
    lignes, colonnes = np.nonzero(p.masque & choisis)
    usages = np.zeros(len(p.noms), dtype=np.int64)
    np.add.at(usages, lignes, p.aides[colonnes])
    return usages


def faisable(p: Instance, choisis: np.ndarray) -> bool:
    return bool((utilise(p, choisis) <= p.plafonds).all())


def valeur(p: Instance, choisis: np.ndarray) -> int:
    return int(p.valeurs[choisis].sum())


def aide(p: Instance, choisis: np.ndarray) -> int:
    return int(p.aides[choisis].sum())


def premier_arrive(p: Instance) -> np.ndarray:
    """First come, first funded: each candidate in `ordre` taken if it still fits every constraint."""
    reste = p.plafonds.copy()
    choisis = np.zeros(p.taille, dtype=bool)
    for j in p.ordre:
        lignes = p.masque[:, j]
        if (reste[lignes] >= p.aides[j]).all():
            choisis[j] = True
            reste[lignes] -= p.aides[j]
    return choisis


# ---------------------------------------------------------------------------------------------------
# The solver


@dataclass(frozen=True)
class Resolution:
    """A selection and what is proven of it: `optimale` when the value is proven optimal, `departage_prouve`
    when the aid is proven least among the selections of that value; `borne`, the proven upper bound of
    the value (value units)."""

    choisis: np.ndarray
    optimale: bool
    borne: float
    duree_s: float
    valeur: int = 0
    departage_prouve: bool = True  # the least aid among the selections of the optimal value

    @property
    def ecart(self) -> float:
        """How far below the optimum the value may be, as a fraction of the bound (0 when proven)."""
        if self.borne <= 0 or self.borne <= self.valeur:
            return 0.0
        return (self.borne - self.valeur) / self.borne


def _plafonds_modele(p: Instance, entiers: bool) -> np.ndarray:
    """Each ceiling as the solver sees it, in cents. A row's usage is a multiple of g, the gcd of its
    candidates' aids, so for the integer programme its ceiling is lowered to its multiple of g and raised
    by g/2: the same selections fit, and one that the solver's tolerances would let past the ceiling by
    less than g/2 (500 € when the aids are whole thousands of euros) still reads as exceeding it.
    The relaxation sees the exact ceilings."""
    plafonds = p.plafonds.astype(float)
    if entiers:
        for i in range(len(p.noms)):
            membres = p.aides[p.masque[i]]
            g = int(np.gcd.reduce(membres)) if len(membres) else 1
            plafonds[i] = (int(p.plafonds[i]) // g) * g + g / 2
    return plafonds


def _modele(p: Instance, entiers: bool) -> Any:
    """The HiGHS model: columns in k€ (aid), one row per constraint (`_plafonds_modele`)."""
    import highspy

    n, m = p.taille, len(p.noms)
    colonnes, lignes = np.nonzero(p.masque.T)  # column-major: sorted by candidate, then constraint
    debuts = np.concatenate(([0], np.cumsum(np.bincount(colonnes, minlength=n))))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = p.valeurs.astype(float) / p.unite_valeur
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
    lp.row_lower_ = np.full(m, -highspy.kHighsInf)
    lp.row_upper_ = _plafonds_modele(p, entiers) / CENTIMES_PAR_UNITE
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = debuts.astype(np.int32)
    lp.a_matrix_.index_ = lignes.astype(np.int32)
    lp.a_matrix_.value_ = p.aides[colonnes].astype(float) / CENTIMES_PAR_UNITE
    lp.sense_ = highspy.ObjSense.kMaximize
    if entiers:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-7)  # below a cent of investment (1e-5 k€) and a job
    h.setOptionValue("mip_feasibility_tolerance", 1e-7)
    h.setOptionValue("primal_feasibility_tolerance", 1e-8)
    # HiGHS 1.15's presolve spends O(n²) on the national row, which holds every candidate, and does not
    # watch the time limit meanwhile: 20 s for 18 000 candidates before any search. Without it the
    # search itself is fast (18 000 candidates, national budget only: 0,6 s; 5 000 × 300: 1,4 s).
    h.setOptionValue("presolve", "off")
    h.passModel(lp)
    return h


# Solves at most for one optimisation (each usually needs two: the optimum, then the proof that nothing
# better exists).
TOURS_MAX = 50


def _optimiser(
    p: Instance,
    construire: Callable[[], Any],
    cle: np.ndarray,
    echelle: int,
    maximiser: bool,
    limite_s: float,
    depart: np.ndarray,
    admissible: Callable[[np.ndarray], bool] = lambda _: True,
) -> tuple[bool, np.ndarray, float]:
    """The exact optimum of Σ cle_j x_j (whole jobs or cents; the model built by `construire` carries
    cle / echelle as its objective) over the selections that fit to the cent and are `admissible`, from
    the feasible and admissible `depart`; (proven, best selection, bound in cle units).

    The solver works in floating point: with its tolerances, x = 0,9999999 of a large project saves it a
    few cents, so a selection a few cents over a ceiling, or a few cents short of the value it claims,
    passes, and its optimality proof rounds with them. So every selection it returns is checked in
    integers; one over a ceiling is cut off with its supersets (which exceed the same ceiling), one that
    does not improve is cut off alone. The optimum is proven when the solver's bound is within half a unit
    (a job, a cent) of the best selection's exact value; otherwise the model is solved again asking for one
    unit better, until the solver finds none: that infeasibility is the proof."""
    import highspy

    debut, meilleure = time.perf_counter(), depart
    coupes: list[tuple[np.ndarray, float, np.ndarray]] = []
    premier_tour = True
    signe = 1 if maximiser else -1
    borne = float(signe * np.inf)
    for _ in range(TOURS_MAX):
        h = construire()
        for indices, haut, coefficients in coupes:
            h.addRow(-highspy.kHighsInf, haut, len(indices), indices, coefficients)
        if premier_tour:  # the first solve starts from `depart`
            solution = highspy.HighsSolution()
            solution.col_value = depart.astype(float).tolist()
            h.setSolution(solution)
        else:  # then: strictly better than the best kept, by at least one unit (half a unit of margin)
            cible = (int(cle[meilleure].sum()) + signe * 0.5) / echelle
            bas, haut = (cible, highspy.kHighsInf) if maximiser else (-highspy.kHighsInf, cible)
            h.addRow(bas, haut, len(cle), np.arange(len(cle), dtype=np.int32), cle.astype(float) / echelle)
        h.setOptionValue("time_limit", max(0.05, limite_s - (time.perf_counter() - debut)))
        h.run()
        statut = h.getModelStatus()
        if statut == highspy.HighsModelStatus.kInfeasible and not premier_tour:
            return True, meilleure, float(cle[meilleure].sum())
        if statut not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
            raise ArbitrageImpossible(f"Le solveur n'a pas abouti : {h.modelStatusToString(statut)}.")
        borne = float(h.getInfo().mip_dual_bound) * echelle
        if h.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible:
            trouve = np.asarray(h.getSolution().col_value, dtype=float) > 0.5
            indices = np.flatnonzero(trouve).astype(np.int32)
            if not faisable(p, trouve):  # Σ_{j ∈ S} x_j ≤ |S| − 1: neither S nor a superset of S
                coupes.append((indices, len(indices) - 1, np.ones(len(indices))))
            elif admissible(trouve) and signe * int(cle[trouve].sum()) > signe * int(cle[meilleure].sum()):
                meilleure = trouve
            elif not premier_tour or not admissible(trouve):  # not better after all: S alone is cut off
                coefficients = np.where(trouve, 1.0, -1.0)
                coupes.append((np.arange(len(cle), dtype=np.int32), len(indices) - 1, coefficients))
        exacte = float(cle[meilleure].sum())
        if statut == highspy.HighsModelStatus.kOptimal and signe * (borne - exacte) < 0.5:
            return True, meilleure, exacte  # the solver's bound leaves no room for one unit more
        premier_tour = False
        if statut == highspy.HighsModelStatus.kTimeLimit:
            break
    exacte = float(cle[meilleure].sum())
    return False, meilleure, max(borne, exacte) if maximiser else min(borne, exacte)


def resoudre(
    p: Instance, limite_temps_s: float = LIMITE_TEMPS_S, departager: bool = True, depart: np.ndarray | None = None
) -> Resolution:
    """The optimal selection (value, then less aid among equal values), started from `depart` (a feasible
    selection; first come by default). Not proven when the time ran out: then the best selection found,
    with the bound the solver proved."""
    debut = time.perf_counter()
    depart = premier_arrive(p) if depart is None or not faisable(p, depart) else depart
    if p.taille == 0:
        return Resolution(depart, True, 0.0, 0.0)
    with _VERROU:
        optimale, choisis, borne = _optimiser(
            p, lambda: _modele(p, entiers=True), p.valeurs, p.unite_valeur, True, limite_temps_s, depart
        )
        v = valeur(p, choisis)
        departage = optimale and departager
        if departage:
            departage, choisis = _departager(p, choisis, limite_temps_s - (time.perf_counter() - debut))
    return Resolution(choisis, optimale, borne, time.perf_counter() - debut, v, departage or not departager)


def _departager(p: Instance, choisis: np.ndarray, reste_s: float) -> tuple[bool, np.ndarray]:
    """Second optimisation: the least aid among the selections of the optimal value; (proven, selection)."""
    import highspy

    n, v = p.taille, valeur(p, choisis)
    indices = np.arange(n, dtype=np.int32)

    def construire() -> Any:
        h = _modele(p, entiers=True)
        h.addRow((v - 0.5) / p.unite_valeur, highspy.kHighsInf, n, indices, p.valeurs.astype(float) / p.unite_valeur)
        h.changeColsCost(n, indices, p.aides.astype(float) / CENTIMES_PAR_UNITE)
        h.changeObjectiveSense(highspy.ObjSense.kMinimize)
        return h

    optimale, meilleure, _ = _optimiser(
        p, construire, p.aides, CENTIMES_PAR_UNITE, False, max(reste_s, 1.0), choisis, lambda s: valeur(p, s) == v
    )
    return optimale, meilleure


def gains_relaxation(p: Instance) -> np.ndarray:
    """Per constraint, what the continuous relaxation (0 ≤ x ≤ 1) gains with 100 000 € more on that
    constraint alone (value units: jobs, or cents of investment): the marginal value of the envelope.
    Solved again from the previous basis for each constraint, a few simplex pivots each."""
    m = len(p.noms)
    if p.taille == 0:
        return np.zeros(m)
    import highspy

    pas = PAS_MARGINAL_EUR * _CENTIMES_PAR_EURO
    gains = np.zeros(m)
    with _VERROU:
        h = _modele(p, entiers=False)
        depart = _valeur_relaxation(h)
        for i in range(m):
            h.changeRowBounds(i, -highspy.kHighsInf, (float(p.plafonds[i]) + pas) / CENTIMES_PAR_UNITE)
            gains[i] = _valeur_relaxation(h) - depart
            h.changeRowBounds(i, -highspy.kHighsInf, float(p.plafonds[i]) / CENTIMES_PAR_UNITE)
    gains[gains < 1e-9 * max(1.0, abs(depart))] = 0.0  # the simplex's rounding, not a gain
    return gains * p.unite_valeur


def _valeur_relaxation(h: Any) -> float:
    import highspy

    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise ArbitrageImpossible("La relaxation continue n'a pas de solution optimale.")
    return float(h.getInfo().objective_function_value)


def gains_exacts(
    p: Instance, resolution: Resolution, indices: list[int], limite_temps_s: float = LIMITE_TEMPS_S
) -> dict[int, int | None]:
    """The exact gain of value with 100 000 € more on each constraint of `indices` (in that order), each
    solved again from the current selection; None when the time left did not allow a proven optimum."""
    gains: dict[int, int | None] = {}
    debut = time.perf_counter()
    for indice in indices:
        reste = limite_temps_s - (time.perf_counter() - debut)
        if not resolution.optimale or reste <= 0:
            gains[indice] = None
            continue
        plus = p.avec_plafond(indice, int(p.plafonds[indice]) + PAS_MARGINAL_EUR * _CENTIMES_PAR_EURO)
        nouvelle = resoudre(plus, reste, departager=False, depart=resolution.choisis)
        gains[indice] = nouvelle.valeur - resolution.valeur if nouvelle.optimale else None
    return gains


# ---------------------------------------------------------------------------------------------------
# The user's settings


@dataclass(frozen=True)
class Reglages:
    """What the user sets (hashable: a cache key). `budget_eur` None: what remains of the national
    envelope; `plafonds_filiere`: (filière code, ceiling in euros), sorted by code."""

    objectif: str = OBJECTIF_PAR_DEFAUT
    budget_eur: Decimal | None = None
    plafonds_territoire: bool = True
    plafonds_filiere: tuple[tuple[str, Decimal], ...] = ()
    limite_temps_s: float = LIMITE_TEMPS_S


_MONTANT = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def montant(texte: str, quoi: str) -> Decimal:
    """An amount in euros typed by a person ('62000000', '62 000 000', '1250000,50', '45,5 M€'), to the
    cent; raises ReglageInvalide (French) for anything else or a negative amount."""
    propre = re.sub(r"[\s\u00a0\u202f]", "", str(texte)).removesuffix("€")
    millions = propre[-1:] in ("M", "m")
    propre = propre[:-1] if millions else propre
    if not _MONTANT.match(propre):
        raise ReglageInvalide(f"{quoi} : « {texte} » n'est pas un montant en euros (exemple : 62000000 ou 62 M€).")
    valeur_ = Decimal(propre.replace(",", ".")) * (1_000_000 if millions else 1)
    if valeur_ < 0:
        raise ReglageInvalide(f"{quoi} négatif refusé : {texte}.")
    if valeur_ != valeur_.quantize(Decimal("0.01")):
        raise ReglageInvalide(f"{quoi} : « {texte} » a plus de deux décimales (au centime près).")
    return valeur_.quantize(Decimal("0.01"))


def reglages(
    objectif: str = OBJECTIF_PAR_DEFAUT,
    budget_eur: Decimal | str | None = None,
    plafonds_territoire: bool = True,
    plafonds_filiere: Mapping[str, Decimal | str] | None = None,
    limite_temps_s: float = LIMITE_TEMPS_S,
) -> Reglages:
    """Checked settings: a known objective, amounts ≥ 0, filières by code or label (raises
    ReglageInvalide or ValeurFiltreInconnue with a French message)."""
    if objectif not in OBJECTIFS:
        raise ReglageInvalide(f"Objectif inconnu : {objectif} (attendu {' ou '.join(OBJECTIFS)}).")
    budget = None if budget_eur is None else montant(str(budget_eur), "Budget national")
    plafonds: dict[str, Decimal] = {}
    for texte, plafond in (plafonds_filiere or {}).items():
        code = trouver_code("filiere", texte)
        if code is None:
            raise ValeurFiltreInconnue(f"Filière inconnue : {texte} (attendu l'une de {', '.join(FILIERES)}).")
        plafonds[code] = montant(str(plafond), f"Plafond de la filière {FILIERES[code]}")
    if not limite_temps_s > 0:
        raise ReglageInvalide(f"Limite de temps invalide : {limite_temps_s} (attendu un nombre de secondes > 0).")
    return Reglages(objectif, budget, plafonds_territoire, tuple(sorted(plafonds.items())), float(limite_temps_s))


# ---------------------------------------------------------------------------------------------------
# The arbitration of a scope


@dataclass(frozen=True)
class Enveloppe:
    """One constraint as the result shows it: `nom` is national, territoire:<code> or filiere:<code>."""

    nom: str
    plafond_eur: Decimal
    utilise_eur: Decimal
    utilise_premier_arrive_eur: Decimal
    valeur_marginale_100k: float  # jobs, or euros of investment, with 100 000 € more (relaxation)

    @property
    def genre(self) -> str:
        return self.nom.partition(":")[0]

    @property
    def code(self) -> str:
        return self.nom.partition(":")[2]


@dataclass(frozen=True)
class Arbitrage:
    """The proposal for a scope: the candidates (one row each, id order, with `retenu` and
    `premier_arrive`), the envelopes, the totals of both selections, and how the optimum was reached."""

    reglages: Reglages
    budget_eur: Decimal
    candidats: pd.DataFrame
    enveloppes: tuple[Enveloppe, ...]
    valeur: int | Decimal
    aide_eur: Decimal
    valeur_premier_arrive: int | Decimal
    aide_premier_arrive_eur: Decimal
    resolution: Resolution
    instance: Instance = field(repr=False)

    def en_valeur(self, unites: float) -> int | Decimal | float:
        """A quantity of the solver's value units as the objective reads it: jobs, or euros."""
        return _en_valeur(unites, self.reglages.objectif)


def _en_valeur(unites: Any, objectif: str) -> Any:
    if objectif == "emplois":
        return unites
    if isinstance(unites, (int, np.integer)):
        return Decimal(int(unites)) / _CENTIMES_PAR_EURO
    return float(unites) / _CENTIMES_PAR_EURO


def _euros(centimes: Any) -> Decimal:
    return Decimal(int(centimes)) / _CENTIMES_PAR_EURO


def budget_par_defaut(base: Base, filtres: Filtres) -> Decimal:
    """What remains of the national envelope (indicator enveloppe_aides.reste_eur), at least 0."""
    reste = calculer(base, filtres, (PAR_CLE["enveloppe_aides.reste_eur"],)).valeurs["enveloppe_aides.reste_eur"]
    return max(Decimal(0), Decimal(reste))


def candidats(base: Base, filtres: Filtres) -> pd.DataFrame:
    """The candidates of the (checked) scope, id order, with `date_statut` (missing when the base has none)."""
    parametres = filtres.parametres(version_a_lire(base, filtres.version))
    df = base.df(requete_perimetre("arbitrage_candidats"), parametres | {"statuts_candidats": list(STATUTS_PIPELINE)})
    if "date_statut" not in df.columns:
        df["date_statut"] = None
    return df


def plafonds_territoires(base: Base, filtres: Filtres) -> pd.DataFrame:
    """Each territory of the scope: `nom`, envelope, aid engaged and `reste_centimes` = max(0, difference)."""
    parametres = filtres.parametres(version_a_lire(base, filtres.version))
    df = base.df(requete_perimetre("arbitrage_territoires"), parametres)
    df["reste_centimes"] = (df["enveloppe_centimes"] - df["engage_centimes"]).clip(lower=0)
    return df


def arbitrer(base: Base, filtres: Filtres, reglages_: Reglages) -> Arbitrage:
    """The optimal proposal, first come, and the envelopes with their marginal values, for (checked) filters."""
    df = candidats(base, filtres)
    budget = reglages_.budget_eur if reglages_.budget_eur is not None else budget_par_defaut(base, filtres)
    p = _instance(df, plafonds_territoires(base, filtres), budget, reglages_)
    resolution = resoudre(p, reglages_.limite_temps_s)
    premier = premier_arrive(p)
    marginales = gains_relaxation(p)
    utilises, utilises_premier = utilise(p, resolution.choisis), utilise(p, premier)
    enveloppes = tuple(
        Enveloppe(
            nom,
            _euros(p.plafonds[i]),
            _euros(utilises[i]),
            _euros(utilises_premier[i]),
            round(float(_en_valeur(marginales[i], reglages_.objectif)), 6),
        )
        for i, nom in enumerate(p.noms)
    )
    df = df.assign(retenu=resolution.choisis, premier_arrive=premier)
    return Arbitrage(
        reglages=reglages_,
        budget_eur=budget,
        candidats=df,
        enveloppes=enveloppes,
        valeur=_en_valeur(resolution.valeur, reglages_.objectif),
        aide_eur=_euros(aide(p, resolution.choisis)),
        valeur_premier_arrive=_en_valeur(valeur(p, premier), reglages_.objectif),
        aide_premier_arrive_eur=_euros(aide(p, premier)),
        resolution=resolution,
        instance=p,
    )


def _instance(df: pd.DataFrame, territoires: pd.DataFrame, budget: Decimal, r: Reglages) -> Instance:
    """The solver's problem for the candidates `df`: national, then territories, then filières, by code."""
    contraintes: dict[str, tuple[int, Any]] = {NATIONAL: (int(budget * _CENTIMES_PAR_EURO), range(len(df)))}
    if r.plafonds_territoire:
        restes = dict(zip(territoires["code_territoire"], territoires["reste_centimes"], strict=True))
        for code in sorted(set(df["code_territoire"])):
            contraintes[f"territoire:{code}"] = (int(restes[code]), np.flatnonzero(df["code_territoire"] == code))
    for code, plafond in r.plafonds_filiere:
        contraintes[f"filiere:{code}"] = (int(plafond * _CENTIMES_PAR_EURO), np.flatnonzero(df["filiere"] == code))
    emplois = r.objectif == "emplois"
    valeurs = df["emplois_prevus"] if emplois else df["investissement_centimes"]
    return instance(
        valeurs.to_numpy(dtype=np.int64),
        df["aide_centimes"].to_numpy(dtype=np.int64),
        contraintes,
        ordre_premier_arrive(df),
        unite_valeur=1 if emplois else CENTIMES_PAR_UNITE,
    )


def ordre_premier_arrive(df: pd.DataFrame) -> np.ndarray:
    """Row positions by `date_statut` (missing last), then `id_projet`."""
    import pandas as pd

    dates = pd.to_datetime(df["date_statut"], errors="coerce")
    cles = pd.DataFrame({"manquante": dates.isna(), "date": dates, "id": df["id_projet"], "rang": range(len(df))})
    return cles.sort_values(["manquante", "date", "id"], na_position="last")["rang"].to_numpy(dtype=np.int64)


def _nombre_json(valeur_: Any) -> int | float:
    if isinstance(valeur_, Decimal):
        return int(valeur_) if valeur_ == valeur_.to_integral_value() else float(valeur_)
    return int(valeur_) if isinstance(valeur_, (int, np.integer)) else float(valeur_)


def en_json(a: Arbitrage) -> dict[str, Any]:
    """The object the `arbitrage --json` command prints (spec arbitrage.md), ids sorted."""
    ids = a.candidats["id_projet"]
    return {
        "objectif": a.reglages.objectif,
        "valeur": _nombre_json(a.valeur),
        "aide_eur": float(a.aide_eur),
        "retenus": sorted(ids[a.candidats["retenu"]].tolist()),
        "candidats": len(a.candidats),
        "premier_arrive": {
            "valeur": _nombre_json(a.valeur_premier_arrive),
            "aide_eur": float(a.aide_premier_arrive_eur),
            "retenus": sorted(ids[a.candidats["premier_arrive"]].tolist()),
        },
        "contraintes": [
            {
                "nom": e.nom,
                "plafond_eur": float(e.plafond_eur),
                "utilise_eur": float(e.utilise_eur),
                "valeur_marginale_100k": e.valeur_marginale_100k,
            }
            for e in a.enveloppes
        ],
    }
