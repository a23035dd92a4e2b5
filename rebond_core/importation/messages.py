"""French message templates, one per stable issue code. The only place users' words are written.

Numbers, amounts and dates arrive already written by `rebond_core.formats` (amounts with their unit)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Cells
    "valeur-manquante": "Valeur obligatoire manquante.",
    "texte-attendu": "Texte attendu.",
    "texte-trop-long": "Texte trop long : {longueur} caractères, {max} au plus.",
    "entier-invalide": "Nombre entier attendu (ex. 12 ou 1 250).",
    "montant-invalide": (
        "Montant en euros attendu (ex. 1 234 567,50 € ou 1234567.5) ; les milliers sont séparés "
        "par des espaces, les unités k€ ou M€ ne sont pas acceptées."
    ),
    "montant-decimales": (
        "Montant avec plus de deux décimales : vérifiez le séparateur (les milliers s'écrivent "
        "avec des espaces, pas avec une virgule ni un point)."
    ),
    "nombre-invalide": "Nombre attendu (ex. 12,5).",
    "date-invalide": "Date attendue au format jj/mm/aaaa ou aaaa-mm-jj (ex. 01/02/2023).",
    "booleen-invalide": "Oui ou non attendu (oui/non, vrai/faux, 1/0, x ou vide).",
    "valeur-inconnue": "Valeur non reconnue : attendu l'un de {attendus}.",
    "erreur-excel": "La cellule contient une erreur Excel ({valeur}) : corrigez la formule ou saisissez la valeur.",
    "formule-sans-valeur": (
        "Formule dont Excel n'a jamais calculé la valeur (fichier produit par un programme) : ouvrez le "
        "fichier dans Excel et enregistrez-le, ou remplacez la formule par sa valeur."
    ),
    "formules": (
        "{nombre} cellule(s) de cette feuille sont calculées par une formule (première : {premiere}) : "
        "la valeur calculée enregistrée par Excel est importée."
    ),
    "valeur-negative": "Valeur positive ou nulle attendue.",
    "valeur-trop-petite": "Valeur supérieure ou égale à {min} attendue.",
    "valeur-trop-grande": "Valeur inférieure ou égale à {max} attendue.",
    "valeur-non-positive": "Valeur strictement positive attendue.",
    "montant-trop-grand": "Montant inférieur à 1 000 milliards d'euros (10^12 €) attendu.",
    "date-hors-bornes": "Date entre le 01/01/1900 et le 31/12/2100 attendue.",
    "caractere-controle": "Caractère de contrôle interdit dans un texte ({caractere}) : retirez-le.",
    "cle-caractere-invisible": (
        "Identifiant contenant un caractère invisible ou de contrôle ({caractere}) : ressaisissez-le sans ce "
        "caractère, deux identifiants qui se lisent de la même façon désignent la même ligne."
    ),
    "surface-hors-bornes": "Surface en hectares attendue au-dessous de 100 000 ha.",
    "valeur-arrondie": "Valeur avec plus de {decimales} décimales, arrondie à {arrondi}.",
    "format-invalide": "Format non valide : {attendu}.",
    "liste-vide": "Au moins une valeur attendue (plusieurs valeurs séparées par « ; »).",
    "siren-invalide": "SIREN non valide : la clé de contrôle (Luhn) ne correspond pas.",
    "filiere-interdite": "La filière « hors_transport » n'est admise que pour les projets.",
    # Referential and base
    "region-inconnue": "Code région INSEE inconnu du référentiel (COG 2026), ex. 44 pour Grand Est.",
    "epci-inconnu": "SIREN {siren} : pas un EPCI du référentiel (COG 2026).",
    "commune-inconnue": (
        "Code commune INSEE inconnu du référentiel (COG 2026) : commune actuelle ou arrondissement municipal attendu."
    ),
    "releve-inconnue": "Relève {releve} absente du fichier et de la base.",
    "territoire-inconnu": "Territoire « {territoire} » absent du fichier et de la base.",
    "projet-inconnu": "Projet « {projet} » absent du fichier et de la base.",
    # Rows and tables
    "cle-dupliquee": "Clé en double dans l'import (déjà ligne {ligne_precedente} de la feuille {feuille_precedente}).",
    "aide-hors-accord": (
        "Un projet dont le statut n'est pas « accorde » ne porte aucune aide : "
        "subvention_eur + avance_remboursable_eur doit valoir 0 (statut {statut}, aide {aide})."
    ),
    "date-decision-manquante": "Date de décision obligatoire quand le statut est « accorde » ou « refuse ».",
    "date-fin-avant-debut": "La date de fin de mission ({fin}) précède la date de début ({debut}).",
    "annonce-avant-limite": "La date d'annonce ({annonce}) précède la date limite de la relève ({limite}).",
    "mission-avant-releve": ("La mission commence le {debut}, avant la date limite de sa relève {releve} ({limite})."),
    # Payments (contract 2, rules 10 and 11)
    "versement-hors-accord": (
        "{nature} sur le projet « {projet} », dont le statut après l'import est « {statut} » : seul un projet "
        "accordé reçoit des versements de subvention ou d'avance."
    ),
    "projet-verse-non-accorde": (
        "Le projet a reçu {nombre} versement(s) de subvention ou d'avance (feuille versements) : son statut "
        "ne peut pas devenir « {statut} », seul un projet accordé reçoit des versements."
    ),
    "versements-subvention-depassee": (
        "Projet « {projet} » : les subventions versées ({subventions}) dépassent la subvention décidée "
        "({subvention}). Sommes après l'import : subventions versées {subventions}, avances versées {avances}, "
        "remboursements {remboursements}."
    ),
    "versements-avance-depassee": (
        "Projet « {projet} » : les avances versées ({avances}) dépassent l'avance remboursable décidée "
        "({avance}). Sommes après l'import : subventions versées {subventions}, avances versées {avances}, "
        "remboursements {remboursements}."
    ),
    "remboursements-depassent-avances": (
        "Projet « {projet} » : les remboursements ({remboursements}) dépassent les avances versées ({avances}). "
        "Sommes après l'import : subventions versées {subventions}, avances versées {avances}, "
        "remboursements {remboursements}."
    ),
    # Headers, sheets and files
    "colonne-manquante": "Colonne obligatoire absente de la feuille.",
    "colonne-dupliquee": "Colonne présente deux fois (déjà colonne {premiere}).",
    "colonne-inconnue": "Colonne inconnue, ignorée.",
    "feuille-inconnue": (
        "Feuille non reconnue, ignorée (feuilles attendues : releves, territoires, projets, sites, versements)."
    ),
    "feuille-masquee": "Feuille masquée dans le classeur : elle est importée comme les autres.",
    "table-en-double": "La table {table} est fournie deux fois dans cet import ({sources}).",
    "aucune-table": (
        "Aucune table reconnue : attendu des feuilles (ou des fichiers CSV) nommées releves, "
        "territoires, projets, sites ou versements."
    ),
    "aucune-ligne": "Aucune ligne de données dans l'import.",
    "trop-d-erreurs": "Plus de {max} problèmes : le rapport s'arrête là, corrigez ceux-ci d'abord.",
    # Warnings
    "date-limite-inhabituelle": "Date limite qui n'est ni un 1er février, ni un 1er juin, ni un 1er octobre.",
    "emplois-crees-hors-accord": "Emplois créés sur un projet qui n'est pas accordé (statut {statut}).",
    "depassement-enveloppe": (
        "Dépassement d'enveloppe : aides accordées {aides} pour une enveloppe de {enveloppe} "
        "(cofinancement local compris)."
    ),
    "depassement-ingenierie": "Coût total des missions d'ingénierie ({total}) au-delà de l'enveloppe de {plafond}.",
    "depassement-aides": "Total des aides accordées ({total}) au-delà de l'enveloppe de {plafond}.",
    "aide-superieure-demande": "Aide accordée ({aide}) supérieure à l'aide demandée ({demande}).",
    "versement-avant-decision": "Mouvement daté du {date}, avant la décision du projet « {projet} » ({decision}).",
    "versement-futur": "Mouvement daté du {date}, postérieur au jour de l'import ({aujourdhui}).",
}

AVERTISSEMENTS = frozenset(
    {
        "colonne-inconnue",
        "feuille-inconnue",
        "formules",
        "feuille-masquee",
        "date-limite-inhabituelle",
        "emplois-crees-hors-accord",
        "depassement-enveloppe",
        "depassement-ingenierie",
        "depassement-aides",
        "aide-superieure-demande",
        "valeur-arrondie",
        "versement-avant-decision",
        "versement-futur",
    }
)


def message(code: str, **contexte: object) -> str:
    """The French message for `code`, filled with `contexte`."""
    return MESSAGES[code].format(**contexte)
