"""What the reports say, as data: every figure, table and chart of the territory's COPIL report and of the
national note, computed by the same core calls as the pages (indicateurs.calculer, perimetre, vues_suivi,
vues_territoire) and written in French (formats) before the template lays them out.

A territory report is built from the territory's own filtered calls only (Filtres(territoire=(code,))):
it never holds another territory's rows. Its "what changed" part reads the territory's projects and their
payments at two versions (sql/rapport_statuts_changes.sql, sql/rapport_versements_changes.sql)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from rebond_core import exports, formats, geo, perimetre, projection, referentiel, versions, vues_suivi, vues_territoire
from rebond_core.config import CLOTURE_APPEL, DELAI_VERSEMENT_JOURS, ENVELOPPE_AIDES_EUR, JALONS_ANNONCES
from rebond_core.db import Base, sql
from rebond_core.domaine import FILIERES, NATURES_VERSEMENT, ORIGINES, STATUTS_PROJET
from rebond_core.figures import (
    BLEU_CLAIR,
    BLEU_CUMULUS,
    BLEU_FRANCE,
    COULEURS_STATUTS,
    GRIS_TEXTE,
    OCRE,
    ROUGE_MARIANNE,
)
from rebond_core.indicateurs import (
    EXPLICATION_PAR_FILIERE,
    EXPLICATION_PAR_STATUT,
    PAR_CLE,
    Filtres,
    Resultat,
    calculer,
    verifier_filtres,
)
from rebond_core.rapports import graphiques
from rebond_core.rapports.historique import Comparaison, comparaison_choisie, comparaison_par_defaut
from rebond_core.versions import version_a_lire

VIDE = formats.VIDE
PERIMETRE_TERRITOIRE = "ce territoire seul : aucune donnée d'un autre territoire n'entre dans ce rapport"

# The figures of the territory report, in the order of its tiles (the territory page shows the first eight).
TUILES_TERRITOIRE = (
    "projets.total",
    "investissement_eur.detecte",
    "emplois.detectes",
    "enveloppe_aides.engage_eur",
    "investissement_eur.soutenu",
    "emplois.soutenus",
    "effet_levier",
    "aide_par_emploi_eur",
)
TUILES_VERSEMENTS = ("versements.verse_eur", "versements.taux", "versements.rembourse_eur", "emplois.taux_realisation")
TUILES_ALERTES = (
    "enveloppe_aides.demandes_en_cours_eur",
    "projets.en_attente_12_mois",
    "projets.accordes_sans_versement",
)
# The indicators compared between the two versions of the "what changed" part.
CLES_DEPUIS = (
    "projets.total",
    "enveloppe_aides.engage_eur",
    "emplois.soutenus",
    "versements.verse_eur",
    "versements.rembourse_eur",
    "enveloppe_aides.demandes_en_cours_eur",
    "projets.en_attente_12_mois",
    "projets.accordes_sans_versement",
)
TUILES_NATIONALES = (
    "territoires.nombre",
    "projets.total",
    "investissement_eur.detecte",
    "investissement_eur.soutenu",
    "emplois.detectes",
    "emplois.soutenus",
    "enveloppe_aides.engage_eur",
    "effet_levier",
)
TUILES_BILAN = ("versements.verse_eur", "versements.taux", "emplois.crees_soutenus", "emplois.taux_realisation")
EXPLICATION_ENTONNOIR = (
    "Projets ayant atteint chaque étape (statut actuel à cette étape ou au-delà) ; refusés et abandonnés à part."
)
EXPLICATION_VERSEMENTS = (
    "Cumuls par date : aides des projets accordés à leur date de décision, versements de subvention et d'avance "
    "et remboursements d'avance à leur date de valeur, jusqu'à la date de référence."
)
EXPLICATION_DEPUIS = (
    "Projets du territoire dont le statut diffère entre les deux versions (nouveaux et retirés compris) ; "
    "versements de ses projets ajoutés, modifiés ou retirés ; indicateurs du territoire calculés sur chaque "
    "version à la même date de référence."
)
STATUTS_DECISION = ("accorde", "refuse")


def _texte(valeur: Any) -> str:
    return VIDE if formats.manquante(valeur) or valeur is None else str(valeur)


def _date(valeur: Any) -> str:
    if valeur is None or (not isinstance(valeur, (date, datetime)) and pd.isna(valeur)):
        return VIDE
    return formats.date_fr(pd.Timestamp(valeur).date())


def _euros(valeur: Any) -> str:
    """An amount of a table cell, to the euro: '1 234 567 €'."""
    if valeur is None or (not isinstance(valeur, Decimal) and pd.isna(valeur)):
        return VIDE
    return formats.euros(valeur)


def _nombre(valeur: Any) -> str:
    if valeur is None or pd.isna(valeur):
        return VIDE
    return formats.nombre(valeur)


def tuile(resultat: Resultat, cle: str) -> dict[str, str]:
    """An indicator as its tile reads on the pages: label, value in French, its "mode de calcul"."""
    indicateur = PAR_CLE[cle]
    return {
        "cle": cle,
        "libelle": indicateur.libelle,
        "valeur": indicateur.texte(resultat.valeurs[cle]),
        "explication": indicateur.mode_de_calcul,
    }


def modes_de_calcul(cles: Iterable[str]) -> list[dict[str, str]]:
    """Each indicator once, in the order given: label and "mode de calcul"."""
    return [
        {"libelle": PAR_CLE[cle].libelle, "explication": PAR_CLE[cle].mode_de_calcul} for cle in dict.fromkeys(cles)
    ]


def etat_des_donnees(base: Base, version: int) -> dict[str, Any]:
    """The data version shown (number, date, author) and whether it is demonstration data."""
    ligne = base.lignes("select date, auteur from versions where numero = $v", {"v": version})
    quand, auteur = ligne[0] if ligne else (None, None)
    demo = versions.est_demonstration(base, version)
    texte = (
        f"version {version} du {formats.date_fr(quand)} (auteur : {auteur})"
        if quand is not None
        else f"version {version} (aucune donnée importée)"
    )
    return {"version": version, "texte": texte, "demo": demo, "marque_demo": exports.MARQUE_DEMO if demo else ""}


def _sources_sures(publie: Mapping[str, Any] | None) -> list[str]:
    return [a for a in vues_suivi.sources(publie) if a.startswith(("https://", "http://")) and " " not in a]


def _publie_du_territoire(base: Base, code: str) -> dict[str, Any] | None:
    publics = referentiel.laureats_publics(base)
    lignes = publics[publics["code_territoire"] == code]
    return None if lignes.empty else lignes.iloc[0].to_dict()


def _releve(base: Base, version: int, numero: int) -> str:
    ligne = base.lignes("select date_limite from releves_a($v) where numero = $n", {"v": version, "n": numero})
    return f"Relève {numero} ({formats.date_fr(ligne[0][0])})" if ligne else f"Relève {numero}"


# --- the territory report -------------------------------------------------------------------------------------


def contenu_territoire(
    base: Base,
    code: str,
    au: date | None = None,
    depuis_version: int | None = None,
    perimetre_utilisateur: str | None = None,
    maintenant: datetime | None = None,
) -> dict[str, Any]:
    """Everything the COPIL report of territory `code` shows, at the current version and the reference
    date `au` (today when None), its "what changed" part from `depuis_version` (when None: the version of
    the territory's previous report, else the first). Raises ValeurFiltreInconnue for a territory absent
    from the base, VersionInconnue for a version out of range."""
    filtres = verifier_filtres(base, Filtres(territoire=(code,), au=au))
    version = int(filtres.version or 0)
    au_ = filtres.date_reference
    if depuis_version is not None:
        comparaison = comparaison_choisie(base, version_a_lire(base, depuis_version))
    else:
        comparaison = comparaison_par_defaut(base, code, version)
    etat = etat_des_donnees(base, version)
    resultat = calculer(base, filtres)
    v = resultat.valeurs
    territoire = perimetre.territoires(base, filtres).iloc[0]
    nom = str(territoire["nom"])
    publie = _publie_du_territoire(base, code)
    provenance = referentiel.provenance_territoire(territoire, publie, etat["demo"])
    projets = perimetre.projets(base, filtres)
    suivis = vues_suivi.projets_a_suivre(projets, au_)
    liste_versements = perimetre.versements(base, filtres)
    epci = perimetre.epci_du_territoire(base, code, version)
    maintenant = maintenant or datetime.now()
    releve = _releve(base, version, int(territoire["releve"]))

    identite = [
        {"libelle": libelle, "texte": texte, "provenance": _mot_provenance(p)}
        for libelle, texte, p in vues_territoire.identite(territoire, {int(territoire["releve"]): releve}, provenance)
    ]
    plafond = Decimal(str(territoire["plafond_eur"]))
    engage = Decimal(v["enveloppe_aides.engage_eur"])
    detectees = vues_suivi.valeurs_detectees(territoire, v, resultat.par_statut)
    comparaison_publiee = vues_suivi.comparaison_publiee(publie, detectees)
    return {
        "titre": f"Rapport au comité de pilotage — {nom}",
        "nom": nom,
        "code": code,
        "region": str(territoire["region_nom"]),
        "au": formats.date_fr(au_),
        "etabli": f"{formats.date_fr(maintenant.date())} à {maintenant.strftime('%H:%M')}",
        "donnees": etat,
        "perimetre": perimetre_utilisateur or PERIMETRE_TERRITOIRE,
        "comparaison": _texte_comparaison(comparaison, version),
        "identite": identite,
        "epci": [
            {
                "nom": str(e["nom"]),
                "siren": str(e["siren_epci"]),
                "type": str(e["type"]),
                "population": _nombre(e["population_municipale"]),
                "communes": _nombre(e["nb_communes"]),
            }
            for e in epci.to_dict("records")
        ],
        "legende_provenance": _legende_provenance() if etat["demo"] else [],
        "tuiles": [tuile(resultat, c) for c in TUILES_TERRITOIRE],
        "enveloppe": {
            "phrase": (
                f"{formats.millions_euros(engage, 2)} engagés sur une enveloppe de {formats.millions_euros(plafond, 2)}"
                f"{_marque(provenance.get('enveloppe_aides_eur'))} (dont cofinancement local "
                f"{formats.millions_euros(territoire['cofinancement_local_eur'], 2)}"
                f"{_marque(provenance.get('cofinancement_local_eur'))}) ; versés au {formats.date_fr(au_)} : "
                f"{formats.millions_euros(v['versements.verse_eur'], 2)} ; demandes en cours : "
                f"{formats.millions_euros(v['enveloppe_aides.demandes_en_cours_eur'], 2)}."
            ),
            "depassement": engage > plafond,
            "graphique": graphiques.jauge(
                [
                    ("Subventions accordées", float(v["enveloppe_aides.subventions_eur"]), BLEU_FRANCE),
                    ("Avances accordées", float(v["enveloppe_aides.avances_eur"]), BLEU_CUMULUS),
                ],
                float(plafond),
                "Disponible",
            ),
        },
        "alertes": [tuile(resultat, c) for c in TUILES_ALERTES],
        "publie": {
            "lignes": comparaison_publiee.to_dict("records"),
            "note": (
                "Publié : résultats de la mission parus dans les sources publiques (« non publié » quand aucune ne "
                "le donne). Base : totaux de tous les projets détectés par la mission, quel que soit leur statut."
                + (" Les données de démonstration sont calibrées pour les égaler." if etat["demo"] else "")
            ),
            "sources": _sources_sures(publie),
        },
        "versements": _versements(resultat, liste_versements, base, filtres, au_),
        "depuis": _depuis(base, code, comparaison, version, au_),
        "a_suivre": _a_suivre(suivis),
        "graphiques": {
            "entonnoir": _entonnoir(resultat.par_statut),
            "filieres": _filieres(resultat.par_filiere),
            "carte": _carte(territoire),
        },
        "projets": _projets(projets),
        "methode": modes_de_calcul(
            [*TUILES_TERRITOIRE, *TUILES_ALERTES, *TUILES_VERSEMENTS, *CLES_DEPUIS, "enveloppe_aides.subventions_eur"]
        ),
        "explications": [
            {"libelle": "Résultats publiés et totaux de la base", "explication": _explication_publie()},
            {"libelle": "Ce qui a changé depuis le précédent COPIL", "explication": EXPLICATION_DEPUIS},
            {
                "libelle": "Projets qui attendent une décision ou un versement",
                "explication": vues_suivi.EXPLICATION_A_SUIVRE,
            },
            {"libelle": "Parcours des projets", "explication": EXPLICATION_ENTONNOIR},
            {"libelle": "Investissement et emplois par filière", "explication": EXPLICATION_PAR_FILIERE},
            {"libelle": "Versements dans le temps", "explication": EXPLICATION_VERSEMENTS},
            {
                "libelle": "Enveloppe du territoire",
                "explication": "Enveloppe d'aides du territoire plus son cofinancement local ; engagé : subventions "
                "et avances des projets accordés.",
            },
        ],
        "sources": _sources_generales(),
    }


def _mot_provenance(code: str | None) -> str:
    """The provenance of a value as the report marks it ('' for an imported value or none)."""
    return {referentiel.PUBLIE: "publié", referentiel.HYPOTHESE: "hypothèse", referentiel.FICTIF: "fictif"}.get(
        code or "", ""
    )


def _marque(code: str | None) -> str:
    mot = _mot_provenance(code)
    return f" ({mot})" if mot else ""


def _legende_provenance() -> list[dict[str, str]]:
    return [
        {"mot": _mot_provenance(code), "explication": referentiel.EXPLICATIONS_PROVENANCE[code]}
        for code in (referentiel.PUBLIE, referentiel.HYPOTHESE, referentiel.FICTIF)
    ]


def _explication_publie() -> str:
    return (
        "Chiffres publiés des missions face à leurs équivalents dans la base : "
        + " ; ".join(f"{c.libelle} : {c.base}" for c in vues_suivi.CHIFFRES_PUBLIES)
        + "."
    )


def _texte_comparaison(comparaison: Comparaison, version: int) -> str:
    quand = f" du {formats.date_fr(comparaison.date_version)}" if comparaison.date_version else ""
    texte = f"version {comparaison.version}{quand} — {comparaison.motif}"
    return texte + (" ; aucune version plus ancienne à comparer" if comparaison.version >= version else "")


def _versements(resultat: Resultat, liste: pd.DataFrame, base: Base, filtres: Filtres, au: date) -> dict[str, Any]:
    v = resultat.valeurs
    aides = perimetre.aides_par_date(base, filtres)
    par_date = perimetre.versements_par_date(base, filtres)
    series = [
        graphiques.Serie(
            "Aides engagées",
            BLEU_CLAIR,
            tuple(
                (pd.Timestamp(d).date(), graphiques.millions(c))
                for d, c in zip(aides["date_decision"], aides["cumul_eur"], strict=True)
            ),
            "4 2",
        ),
        graphiques.Serie(
            "Aides versées",
            BLEU_FRANCE,
            tuple(
                (pd.Timestamp(d).date(), graphiques.millions(c))
                for d, c in zip(par_date["date"], par_date["cumul_verse_eur"], strict=True)
            ),
        ),
        graphiques.Serie(
            "Avances remboursées",
            OCRE,
            tuple(
                (pd.Timestamp(d).date(), graphiques.millions(c))
                for d, c in zip(par_date["date"], par_date["cumul_rembourse_eur"], strict=True)
            ),
        ),
    ]
    premiers = [s.points[0][0] for s in series if s.points]
    graphique = (
        graphiques.courbes([s for s in series if s.points], min(premiers), au, "M€ (cumul)") if premiers else None
    )
    lignes = [
        {
            "date": _date(ligne["date"]),
            "nature": NATURES_VERSEMENT.get(str(ligne["nature"]), str(ligne["nature"])),
            "montant": formats.euros(ligne["montant_eur"], None),
            "projet": str(ligne["id_projet"]),
            "entreprise": str(ligne["entreprise"]),
            "versement": str(ligne["id_versement"]),
        }
        for ligne in liste.to_dict("records")
    ]
    return {
        "tuiles": [tuile(resultat, c) for c in TUILES_VERSEMENTS],
        "phrase": (
            f"Aucun versement ni remboursement enregistré au {formats.date_fr(au)}."
            if not lignes
            else f"Versé : {formats.millions_euros(v['versements.verse_eur'], 2)} sur "
            f"{formats.millions_euros(v['enveloppe_aides.engage_eur'], 2)} engagés ; avances remboursées : "
            f"{formats.millions_euros(v['versements.rembourse_eur'], 2)} ; {formats.nombre(len(lignes))} mouvement(s) "
            f"datés au plus tard le {formats.date_fr(au)}."
        ),
        "graphique": graphique,
        "lignes": lignes,
    }


def _statut(code: Any) -> str:
    return STATUTS_PROJET.get(code, "(absent)") if isinstance(code, str) else "(absent)"


def statuts_changes(base: Base, code: str, avant: int, apres: int) -> pd.DataFrame:
    """The territory's projects whose status differs between the two versions (new and removed included)."""
    return base.df(sql("rapport_statuts_changes"), {"territoire": code, "avant": avant, "apres": apres})


def versements_changes(base: Base, code: str, avant: int, apres: int) -> pd.DataFrame:
    """The payments of the territory's projects added, modified or removed between the two versions."""
    return base.df(sql("rapport_versements_changes"), {"territoire": code, "avant": avant, "apres": apres})


def _depuis(base: Base, code: str, comparaison: Comparaison, version: int, au: date) -> dict[str, Any]:
    avant = comparaison.version
    titre = (
        f"Entre la version {avant}"
        + (f" du {formats.date_fr(comparaison.date_version)}" if comparaison.date_version else "")
        + f" et la version {version}"
    )
    if avant >= version:
        return {
            "titre": titre,
            "vide": True,
            "resume": "Aucune version plus ancienne que celle de ce rapport : rien à comparer.",
            "indicateurs": [],
            "statuts": [],
            "versements": [],
        }
    statuts = statuts_changes(base, code, avant, version)
    mouvements = versements_changes(base, code, avant, version)
    filtres_avant = Filtres(territoire=(code,), version=avant, au=au)
    filtres_apres = Filtres(territoire=(code,), version=version, au=au)
    existait = bool(
        base.scalaire("select count(*) from territoires_a($v) where code_territoire = $c", {"v": avant, "c": code})
    )
    valeurs_apres = calculer(base, filtres_apres).valeurs
    valeurs_avant = calculer(base, filtres_avant).valeurs if existait else None
    indicateurs = []
    for cle in CLES_DEPUIS:
        indicateur = PAR_CLE[cle]
        b = valeurs_apres[cle]
        a = None if valeurs_avant is None else valeurs_avant[cle]
        ecart = None if a is None or b is None else Decimal(str(b)) - Decimal(str(a))
        indicateurs.append(
            {
                "libelle": indicateur.libelle,
                "avant": "absent" if valeurs_avant is None else indicateur.texte(a),
                "apres": indicateur.texte(b),
                "ecart": VIDE
                if ecart is None
                else ("=" if ecart == 0 else ("+" if ecart > 0 else "") + indicateur.texte(ecart)),
            }
        )
    decisions = statuts[statuts["statut_apres"].isin(STATUTS_DECISION)]
    lignes_statuts = [
        {
            "projet": str(ligne["id_projet"]),
            "intitule": str(ligne["intitule"]),
            "entreprise": str(ligne["entreprise"]),
            "avant": _statut(ligne["statut_avant"]),
            "apres": _statut(ligne["statut_apres"]),
            "decision": ligne["statut_apres"] in STATUTS_DECISION,
            "date": _date(
                ligne["date_decision"] if ligne["statut_apres"] in STATUTS_DECISION else ligne["date_statut"]
            ),
            "aide": _euros(ligne["aide_apres_eur"]) if ligne["statut_apres"] == "accorde" else "",
        }
        for ligne in statuts.to_dict("records")
    ]
    lignes_versements = [
        {
            "versement": str(ligne["id_versement"]),
            "projet": str(ligne["id_projet"]),
            "changement": {"ajoute": "Ajouté", "modifie": "Modifié", "retire": "Retiré"}[ligne["changement"]],
            "date": _date(ligne["date_apres"] if ligne["changement"] != "retire" else ligne["date_avant"]),
            "nature": NATURES_VERSEMENT.get(
                str(ligne["nature_apres"] if ligne["changement"] != "retire" else ligne["nature_avant"]), VIDE
            ),
            "avant": formats.euros(ligne["montant_avant"], None) if ligne["changement"] != "ajoute" else VIDE,
            "apres": formats.euros(ligne["montant_apres"], None) if ligne["changement"] != "retire" else VIDE,
        }
        for ligne in mouvements.to_dict("records")
    ]
    accordes = int((decisions["statut_apres"] == "accorde").sum())
    refuses = int((decisions["statut_apres"] == "refuse").sum())
    ajoutes = mouvements[mouvements["changement"] == "ajoute"]
    montant_ajoute = sum((Decimal(str(m)) for m in ajoutes["montant_apres"]), Decimal(0))
    resume = (
        f"{formats.nombre(len(statuts))} projet(s) ont changé de statut, dont {formats.nombre(len(decisions))} "
        f"décision(s) ({formats.nombre(accordes)} accordé(s), {formats.nombre(refuses)} refusé(s)) ; "
        f"{formats.nombre(len(ajoutes))} versement(s) ajouté(s) pour {formats.euros(montant_ajoute, None)}, "
        f"{formats.nombre(int((mouvements['changement'] == 'modifie').sum()))} modifié(s), "
        f"{formats.nombre(int((mouvements['changement'] == 'retire').sum()))} retiré(s)."
    )
    if not existait:
        resume = f"Le territoire n'existait pas dans la version {avant} : tous ses projets sont nouveaux. " + resume
    return {
        "titre": titre,
        "vide": False,
        "resume": resume,
        "indicateurs": indicateurs,
        "statuts": lignes_statuts,
        "versements": lignes_versements,
    }


def _a_suivre(suivis: pd.DataFrame) -> dict[str, Any]:
    comptes = vues_suivi.comptes_a_suivre(suivis)
    lignes = []
    for ligne in suivis.to_dict("records"):
        decision = ligne["action"] == vues_suivi.DECISION
        montant = ligne["aide_demandee_eur"] if decision else ligne["reste_a_verser_eur"]
        lignes.append(
            {
                "attente": str(ligne["attente"]),
                "action": vues_suivi.ACTIONS[ligne["action"]],
                "projet": str(ligne["id_projet"]),
                "intitule": str(ligne["intitule"]),
                "entreprise": str(ligne["entreprise"]),
                "statut": STATUTS_PROJET[ligne["statut"]],
                "depuis": _date(ligne["depuis"]),
                "montant": _euros(montant),
                "alerte": bool(ligne["alerte"]),
                "motif": vues_suivi.motif_alerte(ligne),
            }
        )
    return {
        "resume": (
            f"{formats.nombre(comptes.decisions)} projet(s) attendent une décision, dont "
            f"{formats.nombre(comptes.decisions_en_alerte)} depuis plus de 12 mois ; "
            f"{formats.nombre(comptes.versements)} projet(s) accordé(s) attendent un versement, dont "
            f"{formats.nombre(comptes.versements_en_alerte)} sans aucun versement {DELAI_VERSEMENT_JOURS} jours après "
            "la décision."
        ),
        "lignes": lignes,
    }


ETAPES_ENTONNOIR = (
    ("Identifiés", ("identifie", "priorise", "depose", "accorde"), "identifie"),
    ("Priorisés", ("priorise", "depose", "accorde"), "priorise"),
    ("Déposés", ("depose", "accorde"), "depose"),
    ("Accordés", ("accorde",), "accorde"),
)


def _entonnoir(par_statut: Mapping[str, int]) -> str:
    """The funnel of the territory page (figures.entonnoir): the same stages and counts."""
    etapes = [
        (libelle, sum(int(par_statut.get(s, 0)) for s in statuts), COULEURS_STATUTS[couleur])
        for libelle, statuts, couleur in ETAPES_ENTONNOIR
    ]
    sortis = [
        ("Refusés", int(par_statut.get("refuse", 0)), COULEURS_STATUTS["refuse"]),
        ("Abandonnés", int(par_statut.get("abandonne", 0)), COULEURS_STATUTS["abandonne"]),
    ]
    return graphiques.entonnoir(etapes, sortis)


def _filieres(par_filiere: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Investment and potential jobs per filière, active projects (figures.par_filiere)."""
    lignes = [
        (FILIERES[f], graphiques.millions(s["investissement_eur"]), float(s["emplois_prevus"]))
        for f, s in par_filiere.items()
        if s["nombre"]
    ]
    if not lignes:
        return None
    textes = [(f"{formats.nombre(a, 1)} M€", formats.nombre(b)) for _, a, b in lignes]
    return graphiques.barres_doubles(lignes, ("Investissement (M€)", "Emplois potentiels"), textes)


def _carte(territoire: pd.Series) -> dict[str, Any]:
    """The territory's EPCI at their real place among their neighbours, or why there is no map."""
    codes = {str(s) for s in territoire["epci"]}
    couche = geo.couche("epci_reels")
    if couche is None:
        return {
            "svg": None,
            "texte": "Carte indisponible : les fonds de carte ne sont pas configurés (REBOND_GEO_DIR).",
        }
    propres = [f for f in couche["features"] if f["properties"].get("code") in codes]
    if not propres:
        return {"svg": None, "texte": "Contours de ces EPCI absents des fonds de carte."}
    x0, y0, x1, y1 = graphiques.enveloppe_geo(propres)
    marge = 0.3 * max(x1 - x0, y1 - y0, 0.05)
    voisins = []
    for feature in couche["features"]:
        if feature["properties"].get("code") in codes:
            continue
        a0, b0, a1, b1 = graphiques.enveloppe_geo([feature])
        if a1 >= x0 - marge and a0 <= x1 + marge and b1 >= y0 - marge and b0 <= y1 + marge:
            voisins.append(feature)
    return {
        "svg": graphiques.carte(propres, voisins),
        "texte": "En bleu, les EPCI du territoire ; en gris, les EPCI voisins. " + geo.CREDIT_FONDS,
    }


COLONNES_PROJETS = (
    ("projet", "Projet"),
    ("intitule", "Intitulé"),
    ("entreprise", "Entreprise"),
    ("commune", "Commune"),
    ("filiere", "Filière"),
    ("statut", "Statut"),
    ("date_statut", "Date du statut"),
    ("investissement", "Investissement"),
    ("emplois", "Emplois prévus"),
    ("aide", "Aide accordée"),
    ("verse", "Versé"),
)


def _projets(projets: pd.DataFrame) -> dict[str, Any]:
    lignes = [
        {
            "projet": str(p["id_projet"]),
            "intitule": str(p["intitule"]),
            "entreprise": str(p["entreprise"]),
            "commune": _texte(p["commune_nom"]),
            "filiere": FILIERES.get(p["filiere"], str(p["filiere"])),
            "origine": ORIGINES.get(p["origine"], str(p["origine"])),
            "statut": STATUTS_PROJET.get(p["statut"], str(p["statut"])),
            "date_statut": _date(p["date_statut"]),
            "investissement": _euros(p["investissement_eur"]),
            "emplois": _nombre(p["emplois_prevus"]),
            "aide": _euros(p["aide_eur"]) if p["statut"] == "accorde" else VIDE,
            "verse": _euros(p["verse_eur"]) if Decimal(str(p["verse_eur"])) else VIDE,
        }
        for p in projets.to_dict("records")
    ]
    return {
        "colonnes": [{"cle": c, "titre": t} for c, t in COLONNES_PROJETS],
        "lignes": lignes,
        "resume": f"{formats.nombre(len(lignes))} projet(s) du territoire, tous statuts, par identifiant.",
    }


def _sources_generales() -> list[str]:
    from rebond_core.geo import CREDIT_FONDS

    return [
        "AMI « Rebond industriel » (France 2030), Banque des Territoires, Bpifrance ; données importées par les "
        "équipes du programme (classeurs de relève, versions listées par la commande « versions »).",
        "Référentiels : INSEE COG 2026, DGCL EPCI 2026, via Etalab decoupage-administratif 6.0.0 — Licence Ouverte.",
        CREDIT_FONDS,
        "Résultats publiés des missions : data/laureats-publics.csv et ses sources.",
    ]


# --- the national note --------------------------------------------------------------------------------------------


def description_filtres(base: Base, filtres: Filtres) -> str:
    """The filters in one French line (as on the pages): 'Région : Bretagne ; Filière : Naval'."""
    options = perimetre.options_filtres(base)
    noms = {
        "region": ("Région", dict(options["region"])),
        "releve": ("Relève", dict(options["releve"])),
        "filiere": ("Filière", FILIERES),
        "territoire": ("Territoire", dict(options["territoire"])),
    }
    parties = [
        f"{libelle} : {', '.join(str(choix.get(v, v)) for v in getattr(filtres, nom))}"
        for nom, (libelle, choix) in noms.items()
        if getattr(filtres, nom)
    ]
    return " ; ".join(parties) if parties else "Tout le programme (aucun filtre)"


def contenu_national(base: Base, filtres: Filtres, maintenant: datetime | None = None) -> dict[str, Any]:
    """Everything the national note shows for the (unchecked) filters of the overview, at the current
    version (or the filters' own) and reference date. Raises ValeurFiltreInconnue on an unknown filter value."""
    filtres = verifier_filtres(base, filtres)
    version = int(filtres.version or 0)
    au = filtres.date_reference
    sans_filtre = Filtres(version=version, au=filtres.au)
    filtre = bool(filtres.region or filtres.releve or filtres.filiere or filtres.territoire)
    etat = etat_des_donnees(base, version)
    resultat = calculer(base, filtres)
    v = resultat.valeurs
    tous = calculer(base, sans_filtre) if filtre else resultat
    territoires = perimetre.territoires(base, filtres)
    provenance = referentiel.provenances(territoires, referentiel.laureats_publics(base), etat["demo"])
    maintenant = maintenant or datetime.now()
    parts = vues_suivi.repartition_enveloppe(v, filtre)
    epuisement = projection.projection_epuisement(
        perimetre.aides_par_date(base, sans_filtre), tous.valeurs["enveloppe_aides.demandes_en_cours_eur"], au
    )
    aides = perimetre.aides_par_date(base, filtres)
    (debut, _), (fin, total) = projection.trajectoire_lineaire()
    trajectoire = graphiques.courbes(
        [
            graphiques.Serie(
                "Trajectoire linéaire jusqu'à la clôture",
                "#929292",
                ((debut, 0.0), (fin, graphiques.millions(total))),
                "4 2",
                marches=False,
            ),
            graphiques.Serie(
                "Aides engagées (cumul)",
                BLEU_FRANCE,
                tuple(
                    (pd.Timestamp(d).date(), graphiques.millions(c))
                    for d, c in zip(aides["date_decision"], aides["cumul_eur"], strict=True)
                ),
            ),
        ],
        debut,
        max(au, fin),
        "M€",
        reperes=[(au, f"au {formats.date_fr(au)}", GRIS_TEXTE), (CLOTURE_APPEL, "clôture de l'appel", ROUGE_MARIANNE)],
        horizontale=(graphiques.millions(ENVELOPPE_AIDES_EUR), "Enveloppe 90 M€"),
    )
    par_statut = perimetre.projets_filiere_statut(base, filtres)
    lignes_filieres = []
    totaux = []
    for filiere, libelle in FILIERES.items():
        sous = par_statut[par_statut["filiere"] == filiere].set_index("statut")["nombre"]
        if sous.empty:
            continue
        lignes_filieres.append((libelle, [float(sous.get(s, 0)) for s in STATUTS_PROJET]))
        totaux.append(f"{formats.nombre(int(sous.sum()))} projets")
    filieres = (
        graphiques.barres_empilees(
            lignes_filieres, [(libelle, COULEURS_STATUTS[s]) for s, libelle in STATUTS_PROJET.items()], totaux
        )
        if lignes_filieres
        else None
    )
    return {
        "titre": "Note au cabinet — Rebond industriel",
        "au": formats.date_fr(au),
        "etabli": f"{formats.date_fr(maintenant.date())} à {maintenant.strftime('%H:%M')}",
        "donnees": etat,
        "filtres": description_filtres(base, filtres),
        "filtre": filtre,
        "bilan": _texte_bilan(au, int(v["territoires.nombre"]), filtre, etat["demo"]),
        "tuiles": [tuile(resultat, c) for c in TUILES_NATIONALES],
        "tuiles_bilan": [tuile(resultat, c) for c in TUILES_BILAN],
        "alertes": [tuile(resultat, c) for c in ("projets.en_attente_12_mois", "projets.accordes_sans_versement")],
        "repartition": {
            "graphique": graphiques.jauge(
                [(p.libelle, float(p.montant_eur), _COULEURS_PARTS[p.code]) for p in parts],
                float(ENVELOPPE_AIDES_EUR),
                None,
            ),
            "phrase": " · ".join(f"{p.libelle} : {formats.millions_euros(p.montant_eur)}" for p in parts) + ".",
            "demandes": vues_suivi.texte_demandes_et_reste(v, filtre).replace("**", ""),
            "incertaines": vues_suivi.texte_enveloppes_incertaines(territoires, provenance),
        },
        "rythme": {"graphique": trajectoire, "constat": epuisement.constat},
        "filieres": filieres,
        "territoires": _territoires(territoires, provenance),
        "methode": modes_de_calcul(
            [
                *TUILES_NATIONALES,
                *TUILES_BILAN,
                "projets.en_attente_12_mois",
                "projets.accordes_sans_versement",
                "enveloppe_aides.demandes_en_cours_eur",
                "enveloppe_aides.reste_eur",
                "enveloppe_aides.non_alloue_eur",
            ]
        ),
        "explications": [
            {
                "libelle": "Les 90 M€",
                "explication": "Engagé : subventions et avances des projets accordés ; alloué : enveloppes attribuées "
                "aux territoires ; versé : versements de subvention et d'avance ; jamais alloué et reste : sur toute "
                "la base, quels que soient les filtres.",
            },
            {
                "libelle": "Rythme des décisions",
                "explication": "Cumul des aides des projets accordés par date de décision ; trajectoire linéaire de 0 "
                f"au 01/10/2022 à 90 M€ à la clôture de l'appel ({formats.date_fr(CLOTURE_APPEL)}) ; rythme et "
                "projection mesurés sur toute la base (l'enveloppe est nationale), sur les 12 mois précédant la date "
                "de référence.",
            },
            {"libelle": "Projets par filière et par statut", "explication": EXPLICATION_PAR_STATUT},
        ],
        "sources": _sources_generales(),
    }


_COULEURS_PARTS = {
    "verse": BLEU_FRANCE,
    "engage_non_verse": BLEU_CUMULUS,
    "alloue_non_engage": "#E3E3FD",
    "autres_territoires": "#BBBBBB",
    "jamais_alloue": "#E5E5E5",
}


def _texte_bilan(au: date, nombre: int, filtre: bool, demo: bool) -> list[str]:
    """The balance of the call as the overview says it."""
    phrases = []
    if au >= CLOTURE_APPEL:
        phrases.append(
            f"La dernière relève a eu lieu le {formats.date_fr(CLOTURE_APPEL)} : l'appel est clos, aucun nouveau "
            "territoire n'y entre. France 2030 se poursuit jusqu'en 2030 : les décisions sur les demandes déjà "
            f"déposées, les versements et les remboursements continuent. Chiffres au {formats.date_fr(au)}."
        )
    else:
        phrases.append(f"L'appel reste ouvert jusqu'à sa dernière relève, le {formats.date_fr(CLOTURE_APPEL)}.")
    if filtre:
        phrases.append(f"{formats.nombre(nombre)} territoire(s) lauréat(s) dans le périmètre choisi.")
    else:
        jalons = " ; ".join(libelle for _, _, libelle in JALONS_ANNONCES)
        phrases.append(
            f"{formats.nombre(nombre)} territoires lauréats dans la base. Annoncé : {vues_suivi.RYTHME_ANNONCE}, soit "
            f"une quarantaine sur les quatre ans de l'appel ; {jalons}."
            + (
                " Les données de démonstration ne comptent que les lauréats retrouvés dans les sources publiques."
                if demo
                else ""
            )
        )
    return phrases


def _territoires(territoires: pd.DataFrame, provenance: pd.DataFrame) -> list[dict[str, str]]:
    """The territories of the scope, as the overview's table (amounts in M€)."""
    lignes = []
    for t in territoires.to_dict("records"):
        code = str(t["code_territoire"])
        origine = provenance.loc[code] if code in provenance.index else {}
        lignes.append(
            {
                "nom": str(t["nom"]),
                "region": str(t["region_nom"]),
                "releve": str(int(t["releve"])) + _marque(origine.get("releve") if hasattr(origine, "get") else None),
                "projets": _nombre(t["projets"]),
                "accordes": _nombre(t["projets_accordes"]),
                "investissement": formats.millions_euros(t["investissement_detecte_eur"]),
                "emplois": _nombre(t["emplois_detectes"]),
                "engage": formats.millions_euros(t["aides_engagees_eur"], 2),
                "verse": formats.millions_euros(t["verse_eur"], 2),
                "enveloppe": formats.millions_euros(t["plafond_eur"], 2)
                + _marque(origine.get("enveloppe_aides_eur") if hasattr(origine, "get") else None),
                "part": VIDE if pd.isna(t["taux_enveloppe"]) else formats.pourcentage(t["taux_enveloppe"], 0),
            }
        )
    return lignes
