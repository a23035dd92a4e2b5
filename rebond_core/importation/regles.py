"""Rules across rows and tables (contract rules 2 to 8), checked on the state the import would leave.

`fusionner` computes that state: each imported row merged into the stored row of the same key (the
columns present replace the stored values), or completed with the column defaults when new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rebond_core import formats
from rebond_core.config import ENVELOPPE_AIDES_EUR, ENVELOPPE_INGENIERIE_EUR, MOIS_RELEVES
from rebond_core.domaine import STATUT_ACCORDE, plafond_territoire
from rebond_core.etat import Etat, Ligne
from rebond_core.importation.definitions import definitions
from rebond_core.importation.rapport import Rapport
from rebond_core.importation.validation import Import, LigneImportee

ZERO = Decimal("0")


@dataclass
class Fusion:
    """The state after the import, and for each table the merged row of every imported row."""

    apres: Etat
    fusionnees: dict[str, list[tuple[LigneImportee, Ligne]]]


def fusionner(etat: Etat, importe: Import) -> Fusion:
    """The base state with every valid imported row applied (update semantics of rule 1)."""
    apres: Etat = {table: dict(lignes) for table, lignes in etat.items()}
    fusionnees: dict[str, list[tuple[LigneImportee, Ligne]]] = {}
    for table, lignes in importe.lignes.items():
        definition = definitions()[table]
        vierge = {c: definition.defauts.get(c) for c in definition.colonnes}
        cle = definition.cle
        fusionnees[table] = []
        for ligne in lignes:
            stockee = apres[table].get(ligne.valeurs[cle])
            if stockee is None:
                nouvelle = dict(vierge)
            else:
                nouvelle = dict(stockee)
            nouvelle.update(ligne.valeurs)
            apres[table][ligne.valeurs[cle]] = nouvelle
            fusionnees[table].append((ligne, nouvelle))
    return Fusion(apres, fusionnees)


def verifier_regles(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    """Add to the report every broken rule across rows and tables."""
    _regles_releves(fusion, rapport)
    _regles_territoires(fusion, importe, rapport)
    _regles_projets(fusion, importe, rapport)
    _regles_sites(fusion, importe, rapport)
    _references_des_lignes_invalides(fusion, importe, rapport)
    _enveloppes_territoires(fusion, rapport)
    _enveloppes_programme(fusion, importe, rapport)


def _existe(table: str, cle: Any, fusion: Fusion, importe: Import) -> bool:
    """Present in the state after import, or in the file on a row that failed (already reported)."""
    return cle in fusion.apres[table] or cle in importe.cles_invalides[table]


def _regles_releves(fusion: Fusion, rapport: Rapport) -> None:
    for ligne, releve in fusion.fusionnees["releves"]:
        limite, annonce = releve["date_limite"], releve["date_annonce"]
        if annonce is not None and annonce < limite:
            rapport.ajouter(
                "annonce-avant-limite",
                feuille="releves",
                ligne=ligne.ligne,
                colonne="date_annonce",
                valeur=annonce,
                annonce=formats.date_fr(annonce),
                limite=formats.date_fr(limite),
            )
        if "date_limite" in ligne.valeurs and (limite.day != 1 or limite.month not in MOIS_RELEVES):
            rapport.ajouter(
                "date-limite-inhabituelle", feuille="releves", ligne=ligne.ligne, colonne="date_limite", valeur=limite
            )


def _regles_territoires(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    for ligne, territoire in fusion.fusionnees["territoires"]:
        numero = territoire["releve"]
        releve = fusion.apres["releves"].get(numero)
        if releve is None and numero not in importe.cles_invalides["releves"]:
            rapport.ajouter(
                "releve-inconnue",
                feuille="territoires",
                ligne=ligne.ligne,
                colonne="releve",
                valeur=numero,
                releve=numero,
            )
        debut, fin = territoire["date_debut_mission"], territoire["date_fin_mission"]
        if debut is not None and fin is not None and fin < debut:
            rapport.ajouter(
                "date-fin-avant-debut",
                feuille="territoires",
                ligne=ligne.ligne,
                colonne="date_fin_mission",
                valeur=fin,
                fin=formats.date_fr(fin),
                debut=formats.date_fr(debut),
            )
        if debut is not None and releve is not None and debut < releve["date_limite"]:
            rapport.ajouter(
                "mission-avant-releve",
                feuille="territoires",
                ligne=ligne.ligne,
                colonne="date_debut_mission",
                valeur=debut,
                debut=formats.date_fr(debut),
                releve=numero,
                limite=formats.date_fr(releve["date_limite"]),
            )


def _aide(projet: Ligne) -> Decimal:
    return (projet["subvention_eur"] or ZERO) + (projet["avance_remboursable_eur"] or ZERO)


def _regles_projets(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    for ligne, projet in fusion.fusionnees["projets"]:
        position: dict[str, Any] = {"feuille": "projets", "ligne": ligne.ligne}
        if not _existe("territoires", projet["code_territoire"], fusion, importe):
            rapport.ajouter(
                "territoire-inconnu",
                colonne="code_territoire",
                valeur=projet["code_territoire"],
                territoire=projet["code_territoire"],
                **position,
            )
        statut, aide = projet["statut"], _aide(projet)
        if statut != STATUT_ACCORDE and aide != 0:
            colonnes_aide = [c for c in ("subvention_eur", "avance_remboursable_eur") if projet[c]]
            colonne = next((c for c in colonnes_aide if c in ligne.valeurs), "statut")
            rapport.ajouter(
                "aide-hors-accord",
                colonne=colonne,
                valeur=projet[colonne],
                statut=statut,
                aide=formats.euros(aide, None),
                **position,
            )
        if statut in (STATUT_ACCORDE, "refuse") and projet["date_decision"] is None:
            rapport.ajouter("date-decision-manquante", colonne="date_decision", **position)
        if statut != STATUT_ACCORDE and (projet["emplois_crees"] or 0) > 0:
            rapport.ajouter(
                "emplois-crees-hors-accord",
                colonne="emplois_crees",
                valeur=projet["emplois_crees"],
                statut=statut,
                **position,
            )
        demande = projet["aide_demandee_eur"]
        if statut == STATUT_ACCORDE and demande is not None and aide > demande:
            rapport.ajouter(
                "aide-superieure-demande",
                colonne="subvention_eur",
                valeur=aide,
                aide=formats.euros(aide, None),
                demande=formats.euros(demande, None),
                **position,
            )


def _regles_sites(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    for ligne, site in fusion.fusionnees["sites"]:
        if not _existe("territoires", site["code_territoire"], fusion, importe):
            rapport.ajouter(
                "territoire-inconnu",
                feuille="sites",
                ligne=ligne.ligne,
                colonne="code_territoire",
                valeur=site["code_territoire"],
                territoire=site["code_territoire"],
            )


def _references_des_lignes_invalides(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    """Rows refused for a cell still get their territory or relève checked, so the report is complete."""
    for table in ("projets", "sites"):
        for ligne in importe.partielles[table]:
            code = ligne.valeurs.get("code_territoire")
            if code is not None and not _existe("territoires", code, fusion, importe):
                rapport.ajouter(
                    "territoire-inconnu",
                    feuille=table,
                    ligne=ligne.ligne,
                    colonne="code_territoire",
                    valeur=code,
                    territoire=code,
                )
    for ligne in importe.partielles["territoires"]:
        numero = ligne.valeurs.get("releve")
        if (
            numero is not None
            and numero not in fusion.apres["releves"]
            and numero not in importe.cles_invalides["releves"]
        ):
            rapport.ajouter(
                "releve-inconnue",
                feuille="territoires",
                ligne=ligne.ligne,
                colonne="releve",
                valeur=numero,
                releve=numero,
            )


def _enveloppes_territoires(fusion: Fusion, rapport: Rapport) -> None:
    """Rule 4, for the territories the import touches (directly or through their projects)."""
    positions: dict[str, tuple[str, int, str]] = {}
    for ligne, fusionne in fusion.fusionnees["territoires"]:
        positions.setdefault(fusionne["code_territoire"], ("territoires", ligne.ligne, "enveloppe_aides_eur"))
    for ligne, projet in fusion.fusionnees["projets"]:
        positions.setdefault(projet["code_territoire"], ("projets", ligne.ligne, "subvention_eur"))
    aides: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for projet in fusion.apres["projets"].values():
        if projet["statut"] == STATUT_ACCORDE and projet["code_territoire"] in positions:
            aides[projet["code_territoire"]] += _aide(projet)
    for code, (feuille, numero, colonne) in positions.items():
        territoire = fusion.apres["territoires"].get(code)
        if territoire is None:
            continue
        plafond = plafond_territoire(territoire["enveloppe_aides_eur"], territoire["cofinancement_local_eur"])
        if aides[code] > plafond:
            rapport.ajouter(
                "depassement-enveloppe",
                feuille=feuille,
                ligne=numero,
                colonne=colonne,
                valeur=code,
                aides=formats.euros(aides[code], None),
                enveloppe=formats.euros(plafond, None),
            )


def _enveloppes_programme(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    """Rule 5: the programme's two envelopes, over the whole base after the import."""
    if importe.lignes["territoires"]:
        cout = sum((t["cout_mission_eur"] for t in fusion.apres["territoires"].values()), ZERO)
        if cout > ENVELOPPE_INGENIERIE_EUR:
            rapport.ajouter(
                "depassement-ingenierie",
                feuille="territoires",
                colonne="cout_mission_eur",
                total=formats.euros(cout, None),
                plafond=formats.euros(ENVELOPPE_INGENIERIE_EUR, None),
            )
    if importe.lignes["projets"]:
        aides = sum((_aide(p) for p in fusion.apres["projets"].values() if p["statut"] == STATUT_ACCORDE), ZERO)
        if aides > ENVELOPPE_AIDES_EUR:
            rapport.ajouter(
                "depassement-aides",
                feuille="projets",
                colonne="subvention_eur",
                total=formats.euros(aides, None),
                plafond=formats.euros(ENVELOPPE_AIDES_EUR, None),
            )
