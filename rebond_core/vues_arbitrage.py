"""What the "Arbitrage" page shows, as data: the proposal with why each project is in or out, the
envelopes with their marginal values (relaxation, and exact where time allows), the value as the national
budget varies, the sentences that state the settings, and the export. Every number a person reads goes
through rebond_core.formats."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from rebond_core import arbitrage, formats
from rebond_core.arbitrage import Arbitrage, Enveloppe, Reglages
from rebond_core.db import Base
from rebond_core.domaine import FILIERES, STATUTS_PROJET
from rebond_core.perimetre import Filtres

LIMITE_COMPLEMENTS_S = 10.0  # the exact marginal gains and the budget curve, together
POINTS_COURBE = 6
PAS = formats.euros(arbitrage.PAS_MARGINAL_EUR)  # '100 000 €', as a person reads it
AUCUN = {"emplois": "aucun emploi prévu", "investissement": "aucun investissement"}
AVERTISSEMENT = "Aide à la décision : cette page propose une sélection ; le cabinet et le comité de pilotage décident."
METHODE = (
    "Sélection optimale exacte : programme linéaire en nombres entiers (chaque projet financé entièrement ou "
    "pas du tout) résolu par HiGHS ; à valeur égale, la sélection qui demande le moins d'aide. Premier arrivé : "
    "projets pris par date du statut (dates manquantes en dernier) puis identifiant, chacun retenu s'il tient "
    "encore dans toutes les enveloppes. Valeur marginale : gain de la relaxation continue (comme si les "
    f"projets pouvaient être financés en partie) avec {PAS} de plus sur cette seule enveloppe ; gain exact : "
    f"nouvelle sélection optimale (projets entiers) calculée avec {PAS} de plus."
)


@dataclass(frozen=True)
class Analyse:
    """The arbitration, the exact gain of 100 000 € more per constraint name (value units of the objective;
    None when not computed in the time allowed) and the value as the national budget varies."""

    arbitrage: Arbitrage
    gains: dict[str, Any]
    courbe: pd.DataFrame
    calcule_le: datetime


def analyser(base: Base, filtres: Filtres, reglages: Reglages, limite_s: float = LIMITE_COMPLEMENTS_S) -> Analyse:
    """Everything the page shows for the (checked) filters and settings."""
    a = arbitrage.arbitrer(base, filtres, reglages)
    debut = time.perf_counter()
    gains = _gains(a, limite_s / 2)
    courbe = courbe_budget(a, limite_s - (time.perf_counter() - debut))
    return Analyse(a, gains, courbe, datetime.now())


def _gains(a: Arbitrage, limite_s: float) -> dict[str, Any]:
    """Exact gains, the constraints of highest marginal value (then least slack) first."""
    p, env = a.instance, a.enveloppes
    ordre = sorted(
        range(len(env)), key=lambda i: (-env[i].valeur_marginale_100k, env[i].plafond_eur - env[i].utilise_eur)
    )
    gains = arbitrage.gains_exacts(p, a.resolution, ordre, limite_s)
    return {env[i].nom: None if g is None else a.en_valeur(g) for i, g in gains.items()}


def budget_sature(a: Arbitrage) -> int:
    """The national budget (cents) beyond which it no longer matters: all the requests, or the sum of what
    the territory ceilings leave when they apply, whichever is smaller."""
    p = a.instance
    sature = int(p.aides.sum())
    territoires = [i for i, nom in enumerate(p.noms) if nom.startswith("territoire:")]
    if territoires:
        sature = min(sature, int(p.plafonds[territoires].sum()))
    return sature


def budgets_courbe(a: Arbitrage, points: int = POINTS_COURBE) -> list[int]:
    """National budgets (cents) where the curve is computed: evenly from 0 to `budget_sature`, plus the
    budget chosen."""
    sature = budget_sature(a)
    return sorted({round(sature * k / points) for k in range(points + 1)} | {int(a.instance.plafonds[0])})


def courbe_budget(a: Arbitrage, limite_s: float) -> pd.DataFrame:
    """For each budget of `budgets_courbe`: the optimal value (`optimale` False when the time ran out: then
    a value reached, not proven), the first-come value, and the value gained per million euros since the
    previous point; empty without candidates."""
    p = a.instance
    if p.taille == 0:
        return pd.DataFrame(columns=["budget_eur", "valeur", "optimale", "valeur_premier_arrive", "gain_par_million"])
    lignes, debut = [], time.perf_counter()
    budgets = budgets_courbe(a)
    for numero, budget in enumerate(budgets):
        variante = p.avec_plafond(0, budget)
        reste = (limite_s - (time.perf_counter() - debut)) / (len(budgets) - numero)
        resolution = arbitrage.resoudre(variante, max(reste, 0.05), departager=False)
        lignes.append(
            {
                "budget_eur": budget / 100,
                "valeur": float(a.en_valeur(resolution.valeur)),
                "optimale": resolution.optimale,
                "valeur_premier_arrive": float(
                    a.en_valeur(arbitrage.valeur(variante, arbitrage.premier_arrive(variante)))
                ),
            }
        )
    df = pd.DataFrame(lignes)
    pas = df["budget_eur"].diff() / 1e6
    df["gain_par_million"] = (df["valeur"].diff() / pas).where(pas > 0)
    return df


# ---------------------------------------------------------------------------------------------------
# Words


def valeur_lisible(valeur: Any, objectif: str) -> str:
    """A value of the objective: '161 emplois', '342,2 M€ d'investissement'."""
    if objectif == "emplois":
        return _emplois(valeur, 0)
    return f"{formats.indicateur(valeur, formats.EUROS)} d'investissement"


def _emplois(valeur: Any, decimales: int) -> str:
    """'1 emploi', '1,9 emploi', '2,0 emplois' (plural from 2, as the rounded number reads)."""
    pluriel = abs(round(float(valeur), decimales)) >= 2
    return f"{formats.nombre(valeur, decimales)} emploi{'s' if pluriel else ''}"


def unite(objectif: str) -> str:
    return "emplois" if objectif == "emplois" else "investissement"


def valeur_courte(valeur: Any, objectif: str) -> str:
    """A value for a tile: '161', '342,2 M€'."""
    return formats.nombre(valeur) if objectif == "emplois" else formats.indicateur(valeur, formats.EUROS)


def ecart_court(a: Arbitrage, objectif: str) -> str:
    """The proposal against first come, for a tile's delta: '+48 (+42,5 %)'."""
    ecart = a.valeur - a.valeur_premier_arrive
    texte = f"{'+' if ecart > 0 else ''}{valeur_courte(ecart, objectif)}"
    if a.valeur_premier_arrive:
        part = formats.pourcentage(ecart / a.valeur_premier_arrive)
        texte += f" ({'+' if ecart > 0 else ''}{part})"
    return texte


def marginal_lisible(valeur: Any, objectif: str) -> str:
    """A marginal value per 100 000 €: '5,8 emplois', '0,40 M€ d'investissement'."""
    if valeur is None or (isinstance(valeur, float) and np.isnan(valeur)):
        return formats.VIDE
    if objectif == "emplois":
        return _emplois(valeur, 1)
    return f"{formats.indicateur(valeur, formats.EUROS)} d'investissement"


def libelle_enveloppe(e: Enveloppe, noms_territoires: Mapping[str, str], en_phrase: bool = False) -> str:
    """'Budget national', 'Enveloppe d'Alès Agglomération', 'Plafond de la filière Automobile'; inside a
    sentence (`en_phrase`) with its article: 'le budget national', 'l'enveloppe d'Alès Agglomération'."""
    if e.genre == arbitrage.NATIONAL:
        return "le budget national" if en_phrase else "Budget national"
    if e.genre == "territoire":
        libelle = f"nveloppe {_de(noms_territoires.get(e.code, e.code))}"
        return f"l'e{libelle}" if en_phrase else f"E{libelle}"
    libelle = f"lafond de la filière {FILIERES.get(e.code, e.code)}"
    return f"le p{libelle}" if en_phrase else f"P{libelle}"


def _de(nom: str) -> str:
    """'de Douaisis Agglo', 'd'Alès Agglomération' (elision before a vowel)."""
    return f"d'{nom}" if nom[:1].lower() in "aeiouyàâäéèêëîïôöùûü" else f"de {nom}"


def statut_calcul(a: Arbitrage) -> str:
    """Whether the proposal is proven optimal, and in how long; or how far from the optimum it may be."""
    r = a.resolution
    duree = formats.nombre(r.duree_s, 2)
    if r.optimale and r.departage_prouve:
        return f"Optimum exact prouvé (solveur {arbitrage.solveur()}), calculé en {duree} s."
    if r.optimale:
        return (
            f"Valeur optimale prouvée (solveur {arbitrage.solveur()}), calculée en {duree} s ; parmi les sélections "
            "de même valeur, celle qui demande le moins d'aide n'a pas pu être prouvée dans le temps imparti."
        )
    return (
        f"Limite de temps atteinte ({formats.nombre(a.reglages.limite_temps_s)} s) : la sélection proposée est au "
        f"plus à {formats.pourcentage(r.ecart, 2)} sous l'optimum (borne prouvée : "
        f"{valeur_lisible(a.en_valeur(round(r.borne)), a.reglages.objectif)})."
    )


def comparaison(a: Arbitrage) -> str:
    """The proposal against first come, in one sentence."""
    objectif = a.reglages.objectif
    ecart = a.valeur - a.valeur_premier_arrive
    part = formats.VIDE if not a.valeur_premier_arrive else formats.pourcentage(ecart / a.valeur_premier_arrive)
    aide, aide_premier = (formats.indicateur(m, formats.EUROS) for m in (a.aide_eur, a.aide_premier_arrive_eur))
    return (
        f"La proposition donne {valeur_lisible(a.valeur, objectif)} pour {aide} d'aide ; « premier arrivé » aurait "
        f"donné {valeur_lisible(a.valeur_premier_arrive, objectif)} pour {aide_premier} (écart : "
        f"{_signe(ecart, objectif)}, {part})."
    )


def _signe(valeur: Any, objectif: str) -> str:
    texte = valeur_lisible(abs(valeur), objectif)
    return f"+{texte}" if valeur > 0 else (f"-{texte}" if valeur < 0 else texte)


def reglages_lisibles(a: Arbitrage, description: str) -> list[str]:
    """The settings and assumptions, one line each (page caption and export header)."""
    r = a.reglages
    budget = formats.euros(a.budget_eur)
    origine = "saisi" if r.budget_eur is not None else "reste de l'enveloppe nationale de 90 M€"
    filieres = " ; ".join(f"{FILIERES[c]} {formats.euros(m)}" for c, m in r.plafonds_filiere) or "aucun"
    return [
        f"Périmètre : {description}",
        f"Candidats : projets priorisés ou déposés avec une aide demandée ({formats.nombre(len(a.candidats))})",
        f"Objectif : maximiser {arbitrage.OBJECTIFS[r.objectif].lower()} ; à valeur égale, le moins d'aide",
        f"Budget national : {budget} ({origine})",
        "Plafonds par territoire : "
        + ("enveloppe d'aides du territoire moins les aides déjà engagées" if r.plafonds_territoire else "levés"),
        f"Plafonds par filière : {filieres}",
    ]


# ---------------------------------------------------------------------------------------------------
# Tables


def motifs(a: Arbitrage, noms_territoires: Mapping[str, str]) -> list[str]:
    """Why each candidate is in or out (candidates' order)."""
    p, choisis = a.instance, a.resolution.choisis
    restes = p.plafonds - arbitrage.utilise(p, choisis)
    libelles = [libelle_enveloppe(e, noms_territoires, en_phrase=True) for e in a.enveloppes]
    resultat = []
    for j in range(p.taille):
        lignes = np.flatnonzero(p.masque[:, j])
        if choisis[j]:
            resultat.append("Proposé")
        elif trop := [i for i in lignes if p.aides[j] > p.plafonds[i]]:
            resultat.append(
                "Demande supérieure à : " + ", ".join(f"{libelles[i]} ({_reste(p.plafonds[i])})" for i in trop)
            )
        elif pleines := [i for i in lignes if p.aides[j] > restes[i]]:
            resultat.append(
                "Ne tient plus dans "
                + ", ".join(f"{libelles[i]} ({_reste(restes[i])} restants)" for i in pleines)
                + " : les projets proposés y rapportent plus ensemble"
            )
        elif p.valeurs[j] == 0:
            resultat.append(f"N'ajoute rien à l'objectif ({AUCUN[a.reglages.objectif]})")
        else:
            resultat.append("Non retenu dans la meilleure sélection trouvée dans le temps imparti")
    return resultat


def _reste(centimes: Any) -> str:
    return formats.euros(Decimal(int(centimes)) / 100)


def _aide_par_emploi(df: pd.DataFrame) -> pd.Series:
    emplois = df["emplois_prevus"].astype(float)
    return (df["aide_demandee_eur"].astype(float) / emplois).where(emplois > 0).round(0)


def vue_projets(a: Arbitrage, noms_territoires: Mapping[str, str]) -> pd.DataFrame:
    """The candidates as the page shows them: proposed first, then by territory and id; numbers left as
    numbers (the page formats them), French column names."""
    df = a.candidats
    vue = pd.DataFrame(
        {
            "Proposé": df["retenu"].astype(bool),
            "Premier arrivé": df["premier_arrive"].astype(bool),
            "Identifiant": df["id_projet"],
            "Projet": df["intitule"],
            "Territoire": df["code_territoire"].map(lambda c: noms_territoires.get(c, c)),
            "Aide demandée (€)": df["aide_demandee_eur"].astype(float),
            "Emplois prévus": df["emplois_prevus"].astype("Int64"),
            "Aide par emploi (€)": _aide_par_emploi(df),
            "Investissement (€)": df["investissement_eur"].astype(float),
            "Motif": motifs(a, noms_territoires),
            "Filière": df["filiere"].map(lambda c: FILIERES.get(c, c)),
            "Entreprise": df["entreprise"],
            "Statut": df["statut"].map(lambda c: STATUTS_PROJET.get(c, c)),
            "Date du statut": pd.to_datetime(df["date_statut"], errors="coerce"),
        }
    )
    ordre = vue.assign(_non=~vue["Proposé"]).sort_values(["_non", "Territoire", "Identifiant"]).index
    return vue.loc[ordre].reset_index(drop=True)


def colonnes_enveloppes(objectif: str) -> tuple[str, str]:
    unite = "emplois" if objectif == "emplois" else "€ d'investissement"
    return f"Valeur marginale ({unite} pour {PAS})", f"Gain exact avec {PAS} de plus ({unite})"


def vue_enveloppes(analyse: Analyse, noms_territoires: Mapping[str, str]) -> pd.DataFrame:
    """One row per envelope (constraint), highest marginal value first: ceiling, used by the proposal and
    by first come, what is left, the marginal value (relaxation) and the exact gain of 100 000 € more."""
    a = analyse.arbitrage
    objectif = a.reglages.objectif
    marginale, exacte = colonnes_enveloppes(objectif)
    vue = pd.DataFrame(
        {
            "Enveloppe": [libelle_enveloppe(e, noms_territoires) for e in a.enveloppes],
            "Plafond (€)": [float(e.plafond_eur) for e in a.enveloppes],
            "Proposé (€)": [float(e.utilise_eur) for e in a.enveloppes],
            "Reste (€)": [float(e.plafond_eur - e.utilise_eur) for e in a.enveloppes],
            "Premier arrivé (€)": [float(e.utilise_premier_arrive_eur) for e in a.enveloppes],
            marginale: [round(e.valeur_marginale_100k, 2 if objectif == "emplois" else 0) for e in a.enveloppes],
            exacte: [_nombre_ou_nan(analyse.gains.get(e.nom)) for e in a.enveloppes],
        }
    )
    return vue.sort_values([marginale, "Reste (€)"], ascending=[False, True], kind="stable").reset_index(drop=True)


EXPLICATION_ENVELOPPES = (
    "Plafond : le budget national, le reste de l'enveloppe d'aides d'un territoire (enveloppe moins aides déjà "
    "engagées, sans le cofinancement local) ou le plafond saisi pour une filière. Valeur marginale : ce que "
    f"{PAS} de plus sur cette seule enveloppe rapporteraient d'après la relaxation continue (comme si les projets "
    "pouvaient être financés en partie : un prix à la marge, qui ne dépend pas de la taille des projets) ; 0 quand "
    "l'enveloppe ne limite pas. Gain exact : la "
    f"sélection optimale recalculée avec {PAS} de plus sur cette seule enveloppe (projets entiers) ; "
    f"{formats.VIDE} quand le temps de calcul n'a pas suffi."
)


def explication_courbe(analyse: Analyse) -> str:
    """What the budget curve shows and where the national budget stops mattering."""
    courbe, a = analyse.courbe, analyse.arbitrage
    texte = (
        "Chaque point : la sélection optimale recalculée pour ce budget national, les autres réglages inchangés, "
        "et ce que « premier arrivé » aurait donné ; en bas, ce que chaque million d'euros de budget en plus "
        "rapporte depuis le point précédent."
    )
    sature, budget = budget_sature(a), int(a.instance.plafonds[0])
    if a.instance.taille and sature < budget:
        montant = formats.indicateur(Decimal(sature) / 100, formats.EUROS)
        if sature < int(a.instance.aides.sum()):
            texte += (
                f" Au-delà de {montant} (somme des restes des enveloppes des territoires), le budget national ne "
                "limite plus : ce sont les plafonds des territoires qui décident."
            )
        else:
            texte += f" Au-delà de {montant}, toutes les demandes tiennent dans le budget national."
    if not courbe.empty and not courbe["optimale"].all():
        texte += " Certains points n'ont pas pu être prouvés optimaux dans le temps imparti."
    return texte


def _nombre_ou_nan(valeur: Any) -> float:
    return float("nan") if valeur is None else float(valeur)


def ou_compte_le_plus(analyse: Analyse, noms_territoires: Mapping[str, str]) -> str | None:
    """Where 100 000 € more would matter most, in one sentence (None when no envelope binds)."""
    a = analyse.arbitrage
    liees = [e for e in a.enveloppes if e.valeur_marginale_100k > 0]
    if not liees:
        return None
    objectif = a.reglages.objectif
    e = max(liees, key=lambda x: x.valeur_marginale_100k)
    texte = (
        f"C'est sur {libelle_enveloppe(e, noms_territoires, en_phrase=True)} que {PAS} de plus compteraient "
        f"le plus : {marginal_lisible(e.valeur_marginale_100k, objectif)} à la marge (relaxation continue)"
    )
    gain = analyse.gains.get(e.nom)
    if gain is not None and gain > 0:
        texte += f" ; en recalculant la sélection exacte : +{valeur_lisible(gain, objectif)}"
    elif gain is not None:
        texte += f" ; en recalculant la sélection exacte (projets entiers), {PAS} de plus n'y suffisent pour aucun gain"
    return texte + "."


def export_proposition(a: Arbitrage, noms_territoires: Mapping[str, str]) -> pd.DataFrame:
    """The proposal as the CSV and XLSX downloads give it (codes beside names, amounts in euros)."""
    vue = vue_projets(a, noms_territoires)
    codes = a.candidats.set_index("id_projet")
    return vue.assign(
        **{
            "Proposé": vue["Proposé"].map({True: "oui", False: "non"}),
            "Premier arrivé": vue["Premier arrivé"].map({True: "oui", False: "non"}),
            "Code territoire": vue["Identifiant"].map(codes["code_territoire"]),
            "Code filière": vue["Identifiant"].map(codes["filiere"]),
        }
    )


def entete_export(analyse: Analyse, description: str, version: int) -> list[str]:
    """The lines above the exported proposal: what it is, the data, every setting, the result and how it
    was computed (the demonstration mark is the download's own, composants.telechargements). Semicolons,
    the CSV's separator, become dashes."""
    a = analyse.arbitrage
    lignes = [
        f"Rebond industriel — proposition d'arbitrage. {AVERTISSEMENT}",
        f"Données : version {version}, calculé le {formats.date_fr(analyse.calcule_le)}",
        *reglages_lisibles(a, description),
        comparaison(a),
        statut_calcul(a),
        METHODE,
    ]
    return [ligne.replace(" ; ", " — ") for ligne in lignes]


def texte_cli(a: Arbitrage) -> str:
    """The readable output of the `arbitrage` command (without --json): settings, totals, envelopes that
    bind with their marginal values, the proposed projects."""
    objectif = a.reglages.objectif
    demande = formats.indicateur(a.candidats["aide_demandee_eur"].astype(float).sum(), formats.EUROS)
    lignes = [
        *reglages_lisibles(a, "filtres de la commande"),
        f"Aide demandée par les candidats : {demande}",
        comparaison(a),
        statut_calcul(a),
        f"Enveloppes qui limitent (valeur marginale pour {PAS} de plus, relaxation continue) :",
    ]
    liees = sorted((e for e in a.enveloppes if e.valeur_marginale_100k > 0), key=lambda e: -e.valeur_marginale_100k)
    lignes += [
        f"  {e.nom} : plafond {formats.euros(e.plafond_eur)}, proposé {formats.euros(e.utilise_eur)}, "
        f"{marginal_lisible(e.valeur_marginale_100k, objectif)}"
        for e in liees
    ] or ["  aucune"]
    retenus = a.candidats[a.candidats["retenu"]]
    lignes.append(f"Projets proposés ({formats.nombre(len(retenus))}) :")
    lignes += [
        f"  {r['id_projet']}  {r['code_territoire']}  {formats.euros(r['aide_demandee_eur'])}  "
        f"{formats.nombre(r['emplois_prevus'])} emplois  {r['intitule']}"
        for r in retenus.to_dict("records")
    ]
    return "\n".join(lignes)
