"""The French notice of every importable column: type, whether required, accepted values, rule.

It feeds the template's notice sheet; a test checks it covers every column of the models.
"""

from __future__ import annotations

from rebond_core.domaine import ENUMERATIONS
from rebond_core.grilles import grilles

TEXTE, ENTIER, MONTANT, DATE, BOOLEEN, LISTE, CODE = (
    "texte",
    "entier",
    "montant (€)",
    "date",
    "oui/non",
    "liste (séparateur ;)",
    "code",
)


def _valeurs(enumeration: str) -> str:
    return " ; ".join(f"{code} ({libelle})" for code, libelle in ENUMERATIONS[enumeration].items())


def _filieres_territoire() -> str:
    return " ; ".join(f"{c} ({libelle})" for c, libelle in ENUMERATIONS["filiere"].items() if c != "hors_transport")


# (column, type, required, accepted values, rule)
NOTICE: dict[str, list[tuple[str, str, bool, str, str]]] = {
    "releves": [
        ("numero", ENTIER, True, "≥ 1", "Clé : numéro de la relève."),
        (
            "date_limite",
            DATE,
            True,
            "jj/mm/aaaa ou aaaa-mm-jj",
            "Date limite de la relève (1er février, 1er juin ou 1er octobre).",
        ),
        (
            "date_annonce",
            DATE,
            False,
            "jj/mm/aaaa ou aaaa-mm-jj",
            "Date d'annonce des lauréats, postérieure ou égale à la date limite.",
        ),
    ],
    "territoires": [
        (
            "code_territoire",
            TEXTE,
            True,
            "2 à 40 caractères : minuscules, chiffres, tirets",
            "Clé du territoire (ex. douaisis).",
        ),
        ("nom", TEXTE, True, "", "Nom du territoire lauréat."),
        ("releve", ENTIER, True, "numéro de relève existant", "Relève à laquelle le territoire a été lauréat."),
        ("region", CODE, True, "code région INSEE (ex. 44)", "Doit exister au référentiel COG 2026."),
        ("epci", LISTE, True, "SIREN à 9 chiffres", "Au moins un EPCI du référentiel COG 2026."),
        (
            "filieres",
            LISTE,
            True,
            _filieres_territoire(),
            "Au moins une filière ; hors_transport n'est pas admise ici.",
        ),
        ("statut_mission", CODE, True, _valeurs("statut_mission"), "Code ou libellé."),
        ("date_debut_mission", DATE, False, "jj/mm/aaaa", "Pas avant la date limite de la relève du territoire."),
        ("date_fin_mission", DATE, False, "jj/mm/aaaa", "Postérieure ou égale à la date de début."),
        ("cabinet", TEXTE, False, "", "Cabinet qui conduit la mission d'ingénierie."),
        ("cout_mission_eur", MONTANT, True, "≥ 0 (0 admis)", "Coût de la mission, enveloppe Banque des Territoires."),
        ("enveloppe_aides_eur", MONTANT, True, "≥ 0", "Enveloppe d'aides Bpifrance attribuée au territoire."),
        ("cofinancement_local_eur", MONTANT, False, "≥ 0", "Cofinancement des collectivités locales."),
        ("industriels_rencontres", ENTIER, False, "≥ 0", "Industriels rencontrés par la mission."),
    ],
    "projets": [
        ("id_projet", TEXTE, True, "40 caractères au plus", "Clé du projet."),
        ("code_territoire", TEXTE, True, "territoire existant", "Territoire du projet (dans le fichier ou la base)."),
        ("intitule", TEXTE, True, "", "Intitulé du projet."),
        ("entreprise", TEXTE, True, "", "Entreprise porteuse."),
        ("siren", CODE, False, "9 chiffres", "SIREN de l'entreprise, clé de contrôle (Luhn) vérifiée."),
        (
            "commune",
            CODE,
            False,
            "code commune INSEE (ex. 59178)",
            "Commune actuelle ou arrondissement municipal du COG 2026.",
        ),
        ("filiere", CODE, True, _valeurs("filiere"), "Code ou libellé."),
        ("origine", CODE, True, _valeurs("origine"), "Code ou libellé."),
        ("statut", CODE, True, _valeurs("statut"), "Code ou libellé."),
        ("investissement_eur", MONTANT, True, "≥ 0", "Investissement productif du projet."),
        ("emplois_prevus", ENTIER, True, "≥ 0", "Emplois que le projet prévoit de créer."),
        (
            "emplois_crees",
            ENTIER,
            False,
            "≥ 0",
            "Emplois constatés comme créés (avertissement si le projet n'est pas accordé).",
        ),
        ("aide_demandee_eur", MONTANT, False, "≥ 0", "Aide demandée à Bpifrance (subvention + avance)."),
        ("subvention_eur", MONTANT, False, "≥ 0, vide = 0", "Subvention décidée ; seulement pour un projet accordé."),
        (
            "avance_remboursable_eur",
            MONTANT,
            False,
            "≥ 0, vide = 0",
            "Avance remboursable décidée ; seulement pour un projet accordé.",
        ),
        ("date_decision", DATE, False, "jj/mm/aaaa", "Obligatoire si le statut est accorde ou refuse."),
        ("innovant", BOOLEEN, False, "oui/non, vrai/faux, 1/0, x/vide", "Vide = non."),
        ("transition_ecologique", BOOLEEN, False, "oui/non, vrai/faux, 1/0, x/vide", "Vide = non."),
        (
            "date_statut",
            DATE,
            False,
            "jj/mm/aaaa",
            "Date à laquelle le projet a atteint son statut actuel (sert à repérer les projets en attente).",
        ),
    ],
    "sites": [
        ("id_site", TEXTE, True, "", "Clé du site."),
        ("code_territoire", TEXTE, True, "territoire existant", "Territoire du site (dans le fichier ou la base)."),
        ("nom", TEXTE, True, "", "Nom du site."),
        ("commune", CODE, False, "code commune INSEE", "Commune du COG 2026."),
        ("surface_ha", "nombre décimal", True, "> 0", "Surface en hectares."),
        ("type_foncier", CODE, True, _valeurs("type_foncier"), "Code ou libellé."),
        ("maitrise_fonciere", CODE, True, _valeurs("maitrise_fonciere"), "Code ou libellé."),
        ("disponibilite", ENTIER, False, "année de 2020 à 2040", "Année où le site peut accueillir un projet."),
    ],
    "versements": [
        ("id_versement", TEXTE, True, "40 caractères au plus", "Clé du mouvement."),
        (
            "id_projet",
            TEXTE,
            True,
            "projet existant",
            "Projet concerné (dans le fichier ou la base) ; accordé pour un versement de subvention ou d'avance.",
        ),
        (
            "date",
            DATE,
            True,
            "jj/mm/aaaa",
            "Date de valeur ; avertissement si elle précède la décision du projet ou suit le jour de l'import.",
        ),
        ("nature", CODE, True, _valeurs("nature"), "Code ou libellé."),
        (
            "montant_eur",
            MONTANT,
            True,
            "> 0",
            "Par projet : subventions versées ≤ subvention_eur, avances versées ≤ avance_remboursable_eur, "
            "remboursements ≤ avances versées.",
        ),
    ],
}


def notice_complete() -> dict[str, list[tuple[str, str, bool, str, str]]]:
    """The notice with one score column per criterion of the grids appended to `sites`."""
    scores: list[tuple[str, str, bool, str, str]] = []
    for grille in grilles().values():
        for critere in grille.criteres:
            colonne = f"score_{critere.code}"
            if colonne not in {s[0] for s in scores}:
                regle = f"Grille « {grille.libelle} » : {critere.libelle}. Vide = non évalué."
                scores.append((colonne, ENTIER, False, "0 à 5", regle))
    return {**NOTICE, "sites": NOTICE["sites"] + scores}
