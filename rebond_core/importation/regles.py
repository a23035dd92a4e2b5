"""Rules across rows and tables (contract rules 2 to 8 and 10 to 12), checked on the state the import
would leave.

`fusionner` computes that state: each imported row merged into the stored row of the same key (the
columns present replace the stored values), or completed with the column defaults when new.

A sheet of new projects held as columns (validation.BlocNeuf: a relève's file into a base that does not
have them yet) is checked column-wise: masques.py finds the rows that may break a rule, which alone go
through the per-row rules, and sums the aid in exact cents. Any other step that needs its rows makes
them (`Fusion.apres`, `Fusion.fusionnees`): slower, never different.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np

from rebond_core import formats
from rebond_core.config import ENVELOPPE_AIDES_EUR, ENVELOPPE_INGENIERIE_EUR, MOIS_RELEVES
from rebond_core.domaine import NATURES_VERSEMENT, STATUT_ACCORDE, STATUT_REFUSE, aide_du_projet, plafond_territoire
from rebond_core.etat import Etat, Ligne
from rebond_core.importation import masques
from rebond_core.importation.definitions import definitions
from rebond_core.importation.rapport import Rapport
from rebond_core.importation.validation import BlocNeuf, Import, LigneImportee, forme_comparee

ZERO = Decimal("0")


@dataclass
class Fusion:
    """The state after the import, and for each table the merged row of every imported row (and the
    state before it, which the payment rules compare with). Read them through `apres(table)` and
    `fusionnees(table)`. A table whose rows the import holds as a block (validation.BlocNeuf) is merged
    only when one of those is asked for it: until then `bloc(table)` gives the block, and
    `stockees(table)` the rows the table had before the import."""

    _apres: Etat
    _fusionnees: dict[str, list[tuple[LigneImportee, Ligne]]]
    avant: Etat
    importe: Import
    _en_attente: set[str] = field(default_factory=set)

    def bloc(self, table: str) -> BlocNeuf | None:
        return self.importe.blocs.get(table) if table in self._en_attente else None

    def stockees(self, table: str) -> dict[Any, Ligne]:
        """The rows of `table` after the import, but for a block's rows (that is, before it, when
        the table holds a block)."""
        return self._apres[table]

    def apres(self, table: str) -> dict[Any, Ligne]:
        self._etaler(table)
        return self._apres[table]

    def fusionnees(self, table: str) -> list[tuple[LigneImportee, Ligne]]:
        self._etaler(table)
        return self._fusionnees[table]

    def _etaler(self, table: str) -> None:
        """A block's rows made and merged, as any other table's were by `fusionner`."""
        if table in self._en_attente:
            self._en_attente.discard(table)
            self._fusionner(table)

    def _fusionner(self, table: str) -> None:
        """Each imported row of `table` merged into the stored row of its key (the columns present replace
        the stored values), or completed with the column defaults when new."""
        definition = definitions()[table]
        vierge = {c: definition.defauts.get(c) for c in definition.colonnes}
        cle = definition.cle
        etat_apres, fusion_table = self._apres[table], self._fusionnees[table]
        for ligne in self.importe.lignes(table):
            valeurs = ligne.valeurs
            stockee = etat_apres.get(valeurs[cle])
            if stockee is None and len(valeurs) == len(vierge):
                nouvelle = valeurs  # a new row with every column is its own merged row (neither changes hereafter)
            else:
                nouvelle = {**(vierge if stockee is None else stockee), **valeurs}
            etat_apres[valeurs[cle]] = nouvelle
            fusion_table.append((ligne, nouvelle))


def fusionner(etat: Etat, importe: Import) -> Fusion:
    """The base state with every valid imported row applied (update semantics of rule 1); a block's
    rows only when a rule asks for them (`Fusion.apres`, `Fusion.fusionnees`)."""
    apres: Etat = {table: dict(lignes) for table, lignes in etat.items()}
    fusion = Fusion(apres, {table: [] for table in definitions()}, etat, importe)
    for table in definitions():
        if table in importe.blocs:
            fusion._en_attente.add(table)
        else:
            fusion._fusionner(table)
    return fusion


def verifier_regles(fusion: Fusion, importe: Import, rapport: Rapport, aujourd_hui: date | None = None) -> None:
    """Add to the report every broken rule across rows and tables. `aujourd_hui`: the day of the import
    (rule 12), today's date unless a test gives another."""
    _regles_releves(fusion, rapport)
    _regles_territoires(fusion, importe, rapport)
    _regles_projets(fusion, importe, rapport)
    _regles_sites(fusion, importe, rapport)
    _references_des_lignes_invalides(fusion, importe, rapport)
    bloc = fusion.bloc("projets")
    aides_du_bloc = _aides_accordees_par_territoire(bloc) if bloc is not None else None
    _enveloppes_territoires(fusion, aides_du_bloc, rapport)
    _enveloppes_programme(fusion, importe, aides_du_bloc, rapport)
    if fusion.fusionnees("versements") or fusion.apres("versements"):
        _regles_versements(fusion, importe, rapport, aujourd_hui or date.today())


def _existe(table: str, cle: Any, fusion: Fusion, importe: Import) -> bool:
    """Present in the state after import, or in the file on a row that failed (already reported)."""
    return cle in fusion.apres(table) or cle in importe.cles_invalides[table]


def _regles_releves(fusion: Fusion, rapport: Rapport) -> None:
    for ligne, releve in fusion.fusionnees("releves"):
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
    for ligne, territoire in fusion.fusionnees("territoires"):
        numero = territoire["releve"]
        releve = fusion.apres("releves").get(numero)
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
    return Decimal(aide_du_projet(projet["subvention_eur"], projet["avance_remboursable_eur"]))


def _regles_projets(fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    bloc = fusion.bloc("projets")
    if bloc is None:
        for ligne, projet in fusion.fusionnees("projets"):
            _regles_du_projet(ligne, projet, fusion, importe, rapport)
        return
    existe = partial(_existe, "territoires", fusion=fusion, importe=importe)
    for rang in np.flatnonzero(_projets_a_verifier(bloc, existe)).tolist():
        ligne = bloc.ligne(rang)
        _regles_du_projet(ligne, ligne.valeurs, fusion, importe, rapport)


def _projets_a_verifier(bloc: BlocNeuf, existe: Callable[[Any], bool]) -> masques.Masque:
    """The rows of a block of new projects that may break a rule of `_regles_du_projet` (its conditions
    loosened where exactness would cost: any aid, not their sum)."""
    colonne = bloc.colonne
    non_accorde = masques.par_ligne(colonne("statut"), lambda statut: statut != STATUT_ACCORDE)
    decide = masques.par_ligne(colonne("statut"), lambda statut: statut in (STATUT_ACCORDE, STATUT_REFUSE))
    avec_aide = masques.par_ligne(colonne("subvention_eur"), bool) | masques.par_ligne(
        colonne("avance_remboursable_eur"), bool
    )
    demande = masques.par_ligne(colonne("aide_demandee_eur"), lambda montant: montant is not None)
    masque = ~masques.par_ligne(colonne("code_territoire"), existe)
    masque |= non_accorde & avec_aide
    masque |= decide & masques.par_ligne(colonne("date_decision"), lambda jour: jour is None)
    masque |= non_accorde & masques.par_ligne(colonne("emplois_crees"), lambda emplois: (emplois or 0) > 0)
    montants = [
        masques.centimes(colonne(c)) for c in ("subvention_eur", "avance_remboursable_eur", "aide_demandee_eur")
    ]
    subvention, avance, demandee = montants
    if subvention is None or avance is None or demandee is None:
        return masque | (~non_accorde & demande)
    return masque | (~non_accorde & demande & (subvention + avance > demandee))


def _regles_du_projet(ligne: LigneImportee, projet: Ligne, fusion: Fusion, importe: Import, rapport: Rapport) -> None:
    """Rules 2, 3, 6 and 7 on one imported project (merged into its stored row)."""
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
    if statut in (STATUT_ACCORDE, STATUT_REFUSE) and projet["date_decision"] is None:
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
    for ligne, site in fusion.fusionnees("sites"):
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
    projets_invalides = {forme_comparee(c) for c in importe.cles_invalides["projets"]}
    for ligne in importe.partielles["versements"]:
        id_projet = ligne.valeurs.get("id_projet")
        if (
            id_projet is not None
            and id_projet not in fusion.apres("projets")
            and forme_comparee(id_projet) not in projets_invalides
        ):
            rapport.ajouter(
                "projet-inconnu",
                feuille="versements",
                ligne=ligne.ligne,
                colonne="id_projet",
                valeur=id_projet,
                projet=id_projet,
            )
    for ligne in importe.partielles["territoires"]:
        numero = ligne.valeurs.get("releve")
        if (
            numero is not None
            and numero not in fusion.apres("releves")
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


def _enveloppes_territoires(fusion: Fusion, aides_du_bloc: AidesDuBloc | None, rapport: Rapport) -> None:
    """Rule 4, for the territories the import touches (directly or through their projects).
    `aides_du_bloc`: the aid of a block of new projects, summed on its columns (else None)."""
    positions: dict[str, tuple[str, int, str]] = {}
    for ligne, fusionne in fusion.fusionnees("territoires"):
        positions.setdefault(fusionne["code_territoire"], ("territoires", ligne.ligne, "enveloppe_aides_eur"))
    aides: dict[str, Decimal] = defaultdict(lambda: ZERO)
    if aides_du_bloc is not None:
        codes, numeros, sommes = aides_du_bloc
        for code, numero in zip(codes, numeros, strict=True):
            positions.setdefault(code, ("projets", numero, "subvention_eur"))
        projets = fusion.stockees("projets").values()  # the block's projects are summed in `sommes`
        for code, somme in zip(codes, sommes, strict=True):
            if somme:
                aides[code] += masques.en_euros(somme)
    else:
        for ligne, projet in fusion.fusionnees("projets"):
            positions.setdefault(projet["code_territoire"], ("projets", ligne.ligne, "subvention_eur"))
        projets = fusion.apres("projets").values()
    for projet in projets:
        if projet["statut"] == STATUT_ACCORDE and projet["code_territoire"] in positions:
            aides[projet["code_territoire"]] += _aide(projet)
    for code, (feuille, numero, colonne) in positions.items():
        territoire = fusion.apres("territoires").get(code)
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


# Per territory of a block of new projects, in order of its first project: its code, the row number of that
# first project, and the aid granted by the block's projects (cents).
AidesDuBloc = tuple[list[Any], list[int], list[int]]


def _aides_accordees_par_territoire(bloc: BlocNeuf) -> AidesDuBloc | None:
    """The aid granted by a block of new projects, per territory (AidesDuBloc); None when the amounts
    cannot be summed exactly in cents."""
    subvention = masques.centimes(bloc.colonne("subvention_eur"))
    avance = masques.centimes(bloc.colonne("avance_remboursable_eur"))
    if subvention is None or avance is None:
        return None
    codes, groupes = masques.groupes(bloc.colonne("code_territoire"))
    accordes = masques.par_ligne(bloc.colonne("statut"), lambda statut: statut == STATUT_ACCORDE)
    sommes = masques.sommes_par_groupe(groupes, len(codes), subvention + avance, accordes)
    premiers = np.unique(groupes, return_index=True)[1]
    return codes, [bloc.numeros[rang] for rang in premiers.tolist()], sommes.tolist()


def _enveloppes_programme(fusion: Fusion, importe: Import, aides_du_bloc: AidesDuBloc | None, rapport: Rapport) -> None:
    """Rule 5: the programme's two envelopes, over the whole base after the import. `aides_du_bloc`: as
    for rule 4."""
    if importe.nombre("territoires"):
        cout = sum((t["cout_mission_eur"] for t in fusion.apres("territoires").values()), ZERO)
        if cout > ENVELOPPE_INGENIERIE_EUR:
            rapport.ajouter(
                "depassement-ingenierie",
                feuille="territoires",
                colonne="cout_mission_eur",
                total=formats.euros(cout, None),
                plafond=formats.euros(ENVELOPPE_INGENIERIE_EUR, None),
            )
    if importe.nombre("projets"):
        if aides_du_bloc is not None:
            projets = fusion.stockees("projets").values()  # the block's aid is in `aides_du_bloc`
            aides = sum((_aide(p) for p in projets if p["statut"] == STATUT_ACCORDE), ZERO)
            aides += masques.en_euros(sum(aides_du_bloc[2]))
        else:
            aides = sum((_aide(p) for p in fusion.apres("projets").values() if p["statut"] == STATUT_ACCORDE), ZERO)
        if aides > ENVELOPPE_AIDES_EUR:
            rapport.ajouter(
                "depassement-aides",
                feuille="projets",
                colonne="subvention_eur",
                total=formats.euros(aides, None),
                plafond=formats.euros(ENVELOPPE_AIDES_EUR, None),
            )


# ---------------------------------------------------------------------------------------------------
# Payments (contract 2): rules 10, 11 and 12

# The natures that pay out the aid decided, with the project's column that caps them (rule 11).
PLAFONDS_VERSEMENTS = {"subvention": "subvention_eur", "avance": "avance_remboursable_eur"}
REMBOURSEMENT = "remboursement"


@dataclass
class _Versements:
    """The payments after the import, by project; the imported ones in file order."""

    par_projet: dict[Any, list[Ligne]]
    importes: dict[Any, list[tuple[LigneImportee, Ligne]]]
    cles_importees: set[Any]


def _versements(fusion: Fusion) -> _Versements:
    par_projet: dict[Any, list[Ligne]] = defaultdict(list)
    for versement in fusion.apres("versements").values():
        par_projet[versement["id_projet"]].append(versement)
    importes: dict[Any, list[tuple[LigneImportee, Ligne]]] = defaultdict(list)
    for ligne, versement in fusion.fusionnees("versements"):
        importes[versement["id_projet"]].append((ligne, versement))
    cles = {versement["id_versement"] for _, versement in fusion.fusionnees("versements")}
    return _Versements(par_projet, importes, cles)


def _regles_versements(fusion: Fusion, importe: Import, rapport: Rapport, aujourd_hui: date) -> None:
    versements = _versements(fusion)
    _versements_importes(fusion, importe, rapport, aujourd_hui)
    _projets_verses_non_accordes(fusion, versements, rapport)
    _sommes_versees(fusion, versements, rapport)


def _versements_importes(fusion: Fusion, importe: Import, rapport: Rapport, aujourd_hui: date) -> None:
    """Rules 10 and 12 on each imported payment: its project exists, is granted when the movement pays
    out aid, and the movement is dated between the decision and the day of the import."""
    projets_invalides = {forme_comparee(c) for c in importe.cles_invalides["projets"]}
    for ligne, versement in fusion.fusionnees("versements"):
        position: dict[str, Any] = {"feuille": "versements", "ligne": ligne.ligne}
        id_projet, jour = versement["id_projet"], versement["date"]
        if jour > aujourd_hui:
            rapport.ajouter(
                "versement-futur",
                colonne="date",
                valeur=jour,
                date=formats.date_fr(jour),
                aujourdhui=formats.date_fr(aujourd_hui),
                **position,
            )
        projet = fusion.apres("projets").get(id_projet)
        if projet is None:
            if forme_comparee(id_projet) not in projets_invalides:
                rapport.ajouter("projet-inconnu", colonne="id_projet", valeur=id_projet, projet=id_projet, **position)
            continue
        if versement["nature"] in PLAFONDS_VERSEMENTS and projet["statut"] != STATUT_ACCORDE:
            rapport.ajouter(
                "versement-hors-accord",
                colonne="id_projet",
                valeur=id_projet,
                nature=NATURES_VERSEMENT[versement["nature"]],
                projet=id_projet,
                statut=projet["statut"],
                **position,
            )
        decision = projet["date_decision"]
        if decision is not None and jour < decision:
            rapport.ajouter(
                "versement-avant-decision",
                colonne="date",
                valeur=jour,
                date=formats.date_fr(jour),
                projet=id_projet,
                decision=formats.date_fr(decision),
                **position,
            )


def _projets_payables(fusion: Fusion) -> list[tuple[LigneImportee, Ligne]]:
    """The imported projects that payment rules 10 and 11 look at from the project's side: all of them,
    except a block of new projects (validation.BlocNeuf) when the import brings no payment. A new key
    has no stored payment (each named a stored project when it was imported, rule 10), so such a
    project has nothing paid: no payment of aid to a project not granted, no sum above a ceiling."""
    if fusion.bloc("projets") is not None and not fusion.fusionnees("versements"):
        return []
    return fusion.fusionnees("projets")


def _projets_verses_non_accordes(fusion: Fusion, versements: _Versements, rapport: Rapport) -> None:
    """Rule 10 from the project's side: an imported project that is no longer granted while payments of
    aid already stored (not in this import, whose rows are reported on their own) point to it."""
    for ligne, projet in _projets_payables(fusion):
        if projet["statut"] == STATUT_ACCORDE:
            continue
        stockes = [
            v
            for v in versements.par_projet.get(projet["id_projet"], [])
            if v["nature"] in PLAFONDS_VERSEMENTS and v["id_versement"] not in versements.cles_importees
        ]
        if stockes:
            rapport.ajouter(
                "projet-verse-non-accorde",
                feuille="projets",
                ligne=ligne.ligne,
                colonne="statut",
                valeur=projet["statut"],
                nombre=len(stockes),
                statut=projet["statut"],
            )


def _sommes_versees(fusion: Fusion, versements: _Versements, rapport: Rapport) -> None:
    """Rule 11 on every project the import touches (through a payment, now or before, or its own row):
    payments of the grant and of the advance within the amounts decided, repayments within the advance
    paid. On a project that is not granted, payments of aid are rule 10's errors: only repayments are
    checked here."""
    lignes_projets = {projet["id_projet"]: ligne for ligne, projet in _projets_payables(fusion)}
    touches: dict[Any, list[LigneImportee]] = defaultdict(list)  # imported payment rows, now or before
    for ligne, versement in fusion.fusionnees("versements"):
        touches[versement["id_projet"]].append(ligne)
        ancien = fusion.avant.get("versements", {}).get(versement["id_versement"])
        if ancien is not None and ancien["id_projet"] != versement["id_projet"]:
            touches[ancien["id_projet"]].append(ligne)
    for id_projet in dict.fromkeys([*touches, *lignes_projets]):
        projet = fusion.apres("projets").get(id_projet)
        if projet is None:
            continue  # unknown or invalid project: reported elsewhere
        sommes = {nature: ZERO for nature in NATURES_VERSEMENT}
        for versement in versements.par_projet.get(id_projet, []):
            sommes[versement["nature"]] += versement["montant_eur"]
        contexte = {
            "projet": id_projet,
            "subventions": formats.euros(sommes["subvention"], None),
            "avances": formats.euros(sommes["avance"], None),
            "remboursements": formats.euros(sommes[REMBOURSEMENT], None),
        }
        ligne_projet = lignes_projets.get(id_projet)
        accorde = projet["statut"] == STATUT_ACCORDE  # otherwise its payments of aid break rule 10, reported
        if accorde and sommes["subvention"] > projet["subvention_eur"]:
            position = _position_depassement(
                id_projet, "subvention", projet["subvention_eur"], versements, ligne_projet, touches
            )
            rapport.ajouter(
                "versements-subvention-depassee",
                subvention=formats.euros(projet["subvention_eur"], None),
                **position,
                **contexte,
            )
        if accorde and sommes["avance"] > projet["avance_remboursable_eur"]:
            position = _position_depassement(
                id_projet, "avance", projet["avance_remboursable_eur"], versements, ligne_projet, touches
            )
            rapport.ajouter(
                "versements-avance-depassee",
                avance=formats.euros(projet["avance_remboursable_eur"], None),
                **position,
                **contexte,
            )
        if sommes[REMBOURSEMENT] > sommes["avance"]:
            position = _position_depassement(id_projet, REMBOURSEMENT, sommes["avance"], versements, None, touches)
            rapport.ajouter("remboursements-depassent-avances", **position, **contexte)


def _position_depassement(
    id_projet: Any,
    nature: str,
    plafond: Decimal,
    versements: _Versements,
    ligne_projet: LigneImportee | None,
    touches: dict[Any, list[LigneImportee]],
) -> dict[str, Any]:
    """Where a sum of `nature` above its ceiling is reported: the imported payment row of that nature
    with which the sum (the stored payments first, then the file's rows in order) passes the ceiling;
    else the project's row of the import when it sets the ceiling; else the last imported row that
    touched the project's payments."""
    cumul = sum(
        (
            v["montant_eur"]
            for v in versements.par_projet.get(id_projet, [])
            if v["nature"] == nature and v["id_versement"] not in versements.cles_importees
        ),
        ZERO,
    )
    for ligne, versement in versements.importes.get(id_projet, []):
        if versement["nature"] != nature:
            continue
        cumul += versement["montant_eur"]
        if cumul > plafond:
            return {
                "feuille": "versements",
                "ligne": ligne.ligne,
                "colonne": "montant_eur",
                "valeur": versement["montant_eur"],
            }
    if ligne_projet is not None and nature in PLAFONDS_VERSEMENTS:
        colonne = PLAFONDS_VERSEMENTS[nature]
        return {"feuille": "projets", "ligne": ligne_projet.ligne, "colonne": colonne, "valeur": plafond}
    if touches.get(id_projet):
        return {"feuille": "versements", "ligne": touches[id_projet][-1].ligne, "colonne": "montant_eur"}
    return {"feuille": "versements", "colonne": "montant_eur"}
