"""What the pages show of the programme after its call, as data: the projects that need a decision or a
payment (oldest first), the split of the 90 M€, the laureates against what was announced, a territory's
published mission figures beside what the base detected, and its payments. Pure pandas; numbers and dates
a person reads go through formats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from rebond_core import formats
from rebond_core.config import (
    ATTENTE_MAX_JOURS,
    DELAI_VERSEMENT_JOURS,
    ENVELOPPE_AIDES_EUR,
    JALONS_ANNONCES,
    MOIS_RELEVES,
    TERRITOIRES_ANNONCES_PAR_AN,
)
from rebond_core.domaine import NATURES_VERSEMENT, STATUT_ACCORDE, STATUTS_PIPELINE, STATUTS_PROJET
from rebond_core.referentiel import FICTIF, HYPOTHESE, IMPORTE, PUBLIE, hypotheses_des_notes

# --- the projects to follow ---------------------------------------------------------------------------------

DECISION, VERSEMENT = "decision", "versement"
ACTIONS: dict[str, str] = {DECISION: "Décision attendue", VERSEMENT: "Versement attendu"}
EXPLICATION_A_SUIVRE = (
    "Projets qui attendent une décision (priorisés ou déposés, depuis la date de leur statut) ou un versement "
    "(accordés dont l'aide n'est pas entièrement versée, depuis le dernier versement ou, sans versement, depuis "
    f"la décision). Alerte : en attente depuis plus de {ATTENTE_MAX_JOURS} jours, ou accordé depuis plus de "
    f"{DELAI_VERSEMENT_JOURS} jours sans aucun versement. Les plus anciens d'abord ; versements comptés "
    "jusqu'à la date de référence."
)
COLONNES_A_SUIVRE = {
    "attente": "Attente",
    "action": "Action attendue",
    "id_projet": "Projet",
    "entreprise": "Entreprise",
    "territoire": "Territoire",
    "intitule": "Intitulé",
    "statut": "Statut",
    "alerte": "Alerte",
    "depuis": "Depuis le",
    "jours": "Jours",
    "aide_demandee_eur": "Aide demandée (€)",
    "aide_eur": "Aide accordée (€)",
    "verse_eur": "Versé (€)",
    "reste_a_verser_eur": "Reste à verser (€)",
}


def _jour(valeur: Any) -> date | None:
    return None if valeur is None or pd.isna(valeur) else pd.Timestamp(valeur).date()


def duree_lisible(jours: Any) -> str:
    """A wait as a person says it: '45 jours', '14 mois', '2 ans et 3 mois'; the empty mark when unknown."""
    if jours is None or pd.isna(jours):
        return formats.VIDE
    jours = int(jours)
    if jours < 61:
        return f"{jours} jour{'s' if abs(jours) > 1 else ''}"
    mois = int(jours // 30.4375)
    if mois < 24:
        return f"{mois} mois"
    ans, reste = divmod(mois, 12)
    return f"{ans} ans" + (f" et {reste} mois" if reste else "")


def projets_a_suivre(projets: pd.DataFrame, au: date) -> pd.DataFrame:
    """The projects (perimetre.projets, as of `au`) that need a decision or a payment, oldest wait first.

    A decision: prioritised or filed, waiting since `date_statut` (unknown when missing). A payment: granted
    and not wholly paid, waiting since its last payment or, with none, since its decision. `alerte` is the
    flag of the indicators (en_attente_longue, accorde_sans_versement); `jours` the wait up to `au` (missing
    when the date is unknown or after `au`), `attente` the same in words."""
    decision = projets["statut"].isin(list(STATUTS_PIPELINE))
    versement = (projets["statut"] == STATUT_ACCORDE) & (
        projets["verse_eur"].astype(float) < projets["aide_eur"].astype(float)
    )
    suivis = projets[decision | versement].copy()
    suivis["action"] = [DECISION if s in STATUTS_PIPELINE else VERSEMENT for s in suivis["statut"]]
    depuis = [
        _jour(statut_) if action == DECISION else (_jour(dernier) or _jour(decision_))
        for action, statut_, dernier, decision_ in zip(
            suivis["action"], suivis["date_statut"], suivis["dernier_versement"], suivis["date_decision"], strict=True
        )
    ]
    suivis["depuis"] = pd.Series(depuis, index=suivis.index, dtype=object)
    # A date after `au` (a status reached later than the reference date) gives no wait at that date.
    suivis["jours"] = pd.array([None if d is None or d > au else (au - d).days for d in depuis], dtype="Int64")
    suivis["attente"] = [
        "date du statut inconnue" if d is None else (f"après le {formats.date_fr(au)}" if d > au else duree_lisible(j))
        for d, j in zip(depuis, suivis["jours"].tolist(), strict=True)
    ]
    suivis["alerte"] = suivis["en_attente_longue"].astype(bool) | suivis["accorde_sans_versement"].astype(bool)
    suivis["reste_a_verser_eur"] = [
        (Decimal(str(aide)) - Decimal(str(verse))) if action == VERSEMENT else None
        for action, aide, verse in zip(suivis["action"], suivis["aide_eur"], suivis["verse_eur"], strict=True)
    ]
    suivis = suivis.sort_values(["jours", "territoire", "id_projet"], ascending=[False, True, True], na_position="last")
    return suivis.reset_index(drop=True)


def filtrer_a_suivre(
    suivis: pd.DataFrame, actions: Collection[str] = (), alertes_seulement: bool = False, jours_min: int = 0
) -> pd.DataFrame:
    """The projects to follow of these actions (all when empty), only those in alert, waiting at least
    `jours_min` days (an unknown wait is kept only when `jours_min` is 0)."""
    masque = pd.Series(True, index=suivis.index)
    if actions:
        masque &= suivis["action"].isin(list(actions))
    if alertes_seulement:
        masque &= suivis["alerte"]
    if jours_min > 0:
        masque &= suivis["jours"].fillna(-1) >= jours_min
    return suivis[masque]


def description_criteres(actions: Collection[str], alertes_seulement: bool, jours_min: int) -> str:
    """The choices of the page in one French line, for the downloads' header ('' when none)."""
    parties = []
    if actions:
        parties.append("Action attendue : " + ", ".join(ACTIONS[a] for a in actions))
    if alertes_seulement:
        parties.append("alertes seulement")
    if jours_min > 0:
        parties.append(f"attente d'au moins {jours_min} jours")
    return " ; ".join(parties)


def motif_alerte(ligne: Mapping[str, Any]) -> str:
    if not ligne["alerte"]:
        return ""
    if ligne["action"] == DECISION:
        return f"sans décision depuis plus de {ATTENTE_MAX_JOURS} jours"
    return f"aucun versement après {DELAI_VERSEMENT_JOURS} jours"


def vue_a_suivre(suivis: pd.DataFrame) -> pd.DataFrame:
    """The projects to follow under French headings, the wait first (in words, and in days further on),
    statuses and actions in words; amounts stay numbers (the page formats them, the downloads keep them),
    aid granted and paid only for the projects awaiting a payment."""
    versement = suivis["action"] == VERSEMENT
    vue = pd.DataFrame(
        {
            "attente": suivis["attente"],
            "action": suivis["action"].map(ACTIONS),
            "alerte": [motif_alerte(ligne) for ligne in suivis.to_dict("records")],
            "territoire": suivis["territoire"],
            "id_projet": suivis["id_projet"],
            "intitule": suivis["intitule"],
            "entreprise": suivis["entreprise"],
            "statut": suivis["statut"].map(STATUTS_PROJET),
            "depuis": pd.to_datetime(suivis["depuis"]),
            "jours": suivis["jours"],
            "aide_demandee_eur": suivis["aide_demandee_eur"].astype(float),
            "aide_eur": suivis["aide_eur"].astype(float).where(versement),
            "verse_eur": suivis["verse_eur"].astype(float).where(versement),
            "reste_a_verser_eur": pd.to_numeric(suivis["reste_a_verser_eur"].astype(object), errors="coerce"),
        }
    )
    return vue[list(COLONNES_A_SUIVRE)].rename(columns=COLONNES_A_SUIVRE)


@dataclass(frozen=True)
class ComptesASuivre:
    decisions: int
    decisions_en_alerte: int
    versements: int
    versements_en_alerte: int


def comptes_a_suivre(suivis: pd.DataFrame) -> ComptesASuivre:
    decision = suivis["action"] == DECISION
    return ComptesASuivre(
        int(decision.sum()),
        int((decision & suivis["alerte"]).sum()),
        int((~decision).sum()),
        int((~decision & suivis["alerte"]).sum()),
    )


# --- the 90 M€ after the call -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A part of the aid envelope: code, French label, euros."""

    code: str
    libelle: str
    montant_eur: Decimal


def repartition_enveloppe(valeurs: Mapping[str, Any], filtre: bool) -> list[Part]:
    """The 90 M€ split, from the indicator values of a scope: paid, engaged not yet paid, allotted to the
    scope's territories and not engaged, allotted to territories outside the scope (with a filter), never
    allotted. Without a filter the parts add up to 90 M€ (more when aid granted exceeds the envelopes, the
    local co-funding paying the rest)."""
    verse = Decimal(valeurs["versements.verse_eur"])
    engage = Decimal(valeurs["enveloppe_aides.engage_eur"])
    alloue = Decimal(valeurs["enveloppe_aides.alloue_eur"])
    jamais = Decimal(valeurs["enveloppe_aides.non_alloue_eur"])
    parts = [
        Part("verse", "Versé", verse),
        Part("engage_non_verse", "Engagé, pas encore versé", max(Decimal(0), engage - verse)),
        Part("alloue_non_engage", "Alloué aux territoires, non engagé", max(Decimal(0), alloue - engage)),
    ]
    if filtre:
        autres = max(Decimal(0), ENVELOPPE_AIDES_EUR - jamais - alloue)
        parts.append(Part("autres_territoires", "Alloué aux autres territoires (hors filtres)", autres))
    parts.append(Part("jamais_alloue", "Jamais alloué", jamais))
    return parts


def texte_demandes_et_reste(valeurs: Mapping[str, Any], filtre: bool) -> str:
    """The pipeline of pending requests beside what remains, in one French sentence."""
    m = formats.millions_euros
    demandes = Decimal(valeurs["enveloppe_aides.demandes_en_cours_eur"])
    reste = Decimal(valeurs["enveloppe_aides.reste_eur"])
    ecart = demandes - reste
    comparaison = (
        f"elles dépassent de {m(ecart)} ce qui reste"
        if ecart > 0
        else f"même toutes accordées, il resterait {m(-ecart)}"
    )
    texte = (
        f"Demandes en cours (projets priorisés ou déposés{' du périmètre' if filtre else ''}) : **{m(demandes)}**, "
        f"face aux **{m(reste)}** qui restent de l'enveloppe nationale : {comparaison}."
    )
    if filtre:
        alloue_libre = max(
            Decimal(0), Decimal(valeurs["enveloppe_aides.alloue_eur"]) - Decimal(valeurs["enveloppe_aides.engage_eur"])
        )
        texte += f" Reste des enveloppes des territoires du périmètre : {m(alloue_libre)}."
    return texte


# --- the laureates against what was announced ---------------------------------------------------------------

RYTHME_ANNONCE = "une dizaine de territoires par an"
EXPLICATION_RYTHME_ANNONCE = (
    f"rythme annoncé : {TERRITOIRES_ANNONCES_PAR_AN} territoires par an, répartis sur les {len(MOIS_RELEVES)} relèves "
    "de chaque année"
)


def laureats_annonces(releves: pd.DataFrame) -> pd.DataFrame:
    """For each relève of `releves` (perimetre.laureats_par_releve), the cumulative count the announced pace
    gives (TERRITOIRES_ANNONCES_PAR_AN a year over the relèves of a year), and the public milestones placed
    at the last relève before their date (`jalon`: count, `jalon_libelle`: its source)."""
    par_releve = Decimal(TERRITOIRES_ANNONCES_PAR_AN) / len(MOIS_RELEVES)
    df = releves[["releve", "date_limite"]].copy()
    df["annonce"] = [float(par_releve * int(n)) for n in df["releve"]]
    df["jalon"] = pd.array([None] * len(df), dtype="Int64")
    df["jalon_libelle"] = ""
    dates = pd.to_datetime(df["date_limite"]).dt.date
    for quand, nombre, libelle in JALONS_ANNONCES:
        avant = df.index[dates <= quand]
        if len(avant):
            df.loc[avant[-1], ["jalon", "jalon_libelle"]] = [nombre, libelle]
    return df


def laureats_par_provenance(releves: pd.DataFrame, territoires: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """`releves` (perimetre.laureats_par_releve) with the laureates of each relève split by the provenance of
    their relève (columns publie, hypothese, fictif, importe: the provenance codes of referentiel)."""
    df = releves.copy()
    par_territoire = provenance["releve"].to_dict() if "releve" in provenance else {}
    comptes = Counter(
        (int(releve), par_territoire.get(str(code), IMPORTE))
        for code, releve in zip(territoires["code_territoire"], territoires["releve"], strict=True)
    )
    for code in (PUBLIE, HYPOTHESE, FICTIF, IMPORTE):
        df[code] = [comptes[(int(n), code)] for n in df["releve"]]
    return df


# --- a territory: published figures beside the base ---------------------------------------------------------

# Projects the COPIL retained ("oriented to the envelope"): prioritised, whatever became of them after.
STATUTS_RETENUS = ("priorise", "depose", "accorde", "refuse")
NON_PUBLIE = "non publié"


@dataclass(frozen=True)
class ChiffrePublie:
    """A figure of the published mission results and its counterpart in the base: French label, column of
    laureats_publics, unit (formats), and what the base value is."""

    libelle: str
    colonne: str
    unite: str
    base: str


CHIFFRES_PUBLIES: tuple[ChiffrePublie, ...] = (
    ChiffrePublie(
        "Industriels rencontrés", "industriels_rencontres", formats.NOMBRE, "industriels rencontrés du territoire"
    ),
    ChiffrePublie("Projets identifiés", "projets_identifies", formats.NOMBRE, "projets détectés, tous statuts"),
    ChiffrePublie(
        "Investissement identifié",
        "investissement_identifie_eur",
        formats.EUROS,
        "investissement de tous les projets détectés",
    ),
    ChiffrePublie("Emplois potentiels", "emplois_potentiels", formats.EMPLOIS, "emplois prévus de tous les projets"),
    ChiffrePublie(
        "Projets retenus pour l'enveloppe",
        "projets_retenus",
        formats.NOMBRE,
        "projets priorisés par le COPIL (priorisés, déposés, accordés ou refusés)",
    ),
    ChiffrePublie("Aides accordées", "aides_accordees_eur", formats.EUROS, "aides engagées des projets accordés"),
    ChiffrePublie("Enveloppe d'aides (Bpifrance)", "enveloppe_aides_eur", formats.EUROS, "enveloppe du territoire"),
)


def valeurs_detectees(
    territoire: Mapping[str, Any], valeurs: Mapping[str, Any], par_statut: Mapping[str, int]
) -> dict[str, Any]:
    """The base's counterpart of each published figure, for one territory: `valeurs` and `par_statut` are
    its indicators computed with the territory filter alone (no other filter), `territoire` its row of
    perimetre.territoires."""
    return {
        "industriels_rencontres": territoire.get("industriels_rencontres"),
        "projets_identifies": valeurs["projets.total"],
        "investissement_identifie_eur": valeurs["investissement_eur.detecte"],
        "emplois_potentiels": valeurs["emplois.detectes"],
        "projets_retenus": sum(int(par_statut.get(s, 0)) for s in STATUTS_RETENUS),
        "aides_accordees_eur": valeurs["enveloppe_aides.engage_eur"],
        "enveloppe_aides_eur": territoire.get("enveloppe_aides_eur"),
    }


def _manquant(valeur: Any) -> bool:
    return valeur is None or bool(pd.isna(valeur))


def comparaison_publiee(publie: Mapping[str, Any] | None, detectees: Mapping[str, Any]) -> pd.DataFrame:
    """One row per figure of CHIFFRES_PUBLIES: the published value ('non publié' when the sources give none;
    followed by '(hypothèse)' when the notes of the sources call it one), the base's, and the gap (base minus
    published; '=' when equal), in French."""
    hypotheses = hypotheses_des_notes(None if publie is None else publie.get("notes"))
    lignes = []
    for chiffre in CHIFFRES_PUBLIES:
        publiee = None if publie is None else publie.get(chiffre.colonne)
        base = detectees.get(chiffre.colonne)
        if _manquant(publiee):
            texte_publie, ecart = NON_PUBLIE, formats.VIDE
        else:
            texte_publie = formats.indicateur(publiee, chiffre.unite)
            if chiffre.colonne in hypotheses:
                texte_publie += " (hypothèse)"
            if _manquant(base):
                ecart = formats.VIDE
            else:
                difference = Decimal(str(base)) - Decimal(str(publiee))
                ecart = (
                    "="
                    if difference == 0
                    else ("+" if difference > 0 else "") + formats.indicateur(difference, chiffre.unite)
                )
        lignes.append(
            {
                "Chiffre": chiffre.libelle,
                "Publié": texte_publie,
                "Base (détecté)": formats.VIDE if _manquant(base) else formats.indicateur(base, chiffre.unite),
                "Écart": ecart,
                "Dans la base": chiffre.base,
            }
        )
    return pd.DataFrame(lignes)


def sources(publie: Mapping[str, Any] | None) -> list[str]:
    """The addresses of the public sources of a territory (plain text: the page escapes them)."""
    if publie is None or _manquant(publie.get("sources")):
        return []
    return [s.strip() for s in str(publie["sources"]).split(" ; ") if s.strip()]


# --- payments ------------------------------------------------------------------------------------------------

COLONNES_VERSEMENTS = {
    "date": "Date",
    "nature": "Nature",
    "montant_eur": "Montant (€)",
    "id_projet": "Projet",
    "intitule": "Intitulé",
    "entreprise": "Entreprise",
    "territoire": "Territoire",
    "id_versement": "Versement",
}


def vue_versements(versements: pd.DataFrame) -> pd.DataFrame:
    """The payments (perimetre.versements) under French headings, natures in words."""
    vue = versements[list(COLONNES_VERSEMENTS)].copy()
    vue["nature"] = vue["nature"].map(NATURES_VERSEMENT)
    vue["montant_eur"] = vue["montant_eur"].astype(float)
    vue["date"] = pd.to_datetime(vue["date"])
    return vue.rename(columns=COLONNES_VERSEMENTS)


# --- provenance of the allotted envelopes ----------------------------------------------------------------------


def texte_enveloppes_incertaines(territoires: pd.DataFrame, provenance: pd.DataFrame) -> str:
    """Which part of the envelopes allotted to the territories of a table (perimetre.territoires) is a
    hypothesis or made up for the demonstration (`provenance`: referentiel.provenances); '' when none."""
    if "enveloppe_aides_eur" not in provenance:
        return ""
    codes = territoires["code_territoire"].astype(str)
    origine = [provenance["enveloppe_aides_eur"].get(c) for c in codes]
    montants = territoires["enveloppe_aides_eur"].astype(float).tolist()
    parties = []
    for code, mot in ((HYPOTHESE, "supposées (hypothèses)"), (FICTIF, "inventées pour la démonstration")):
        total = sum(m for m, o in zip(montants, origine, strict=True) if o == code)
        if total:
            parties.append(f"{formats.millions_euros(total)} {mot}")
    return f"Dont enveloppes allouées {' et '.join(parties)}." if parties else ""
