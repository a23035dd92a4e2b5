"""Exporte un classeur de relève en CSV « à la française », comme Excel les enregistre.

Imite « CSV (séparateur : point-virgule) » d'un Excel français : encodage Windows-1252, séparateur
`;`, virgule décimale, dates jj/mm/aaaa, fins de ligne CRLF, en-têtes en libellés français (qui se
ramènent exactement aux codes du contrat une fois casse, accents, espaces et tirets normalisés) et
valeurs d'énumération écrites en libellés (« Accordé », « En cours », « À sécuriser »…).
Les montants alternent, d'une ligne à l'autre, « 1 234 567,50 » (espaces insécables) et « 1234567,5 ».

Usage : python tests/data/outils/exporter_csv_excel_fr.py CLASSEUR.xlsx DOSSIER
"""

import csv
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl

FEUILLES = ["releves", "territoires", "projets", "sites", "versements"]
NBSP = "\u00a0"

ENTETES = {
    "numero": "Numéro", "date_limite": "Date limite", "date_annonce": "Date annonce",
    "code_territoire": "Code territoire", "nom": "Nom", "releve": "Relève", "region": "Région",
    "epci": "EPCI", "filieres": "Filières", "statut_mission": "Statut mission",
    "date_debut_mission": "Date début mission", "date_fin_mission": "Date fin mission",
    "cabinet": "Cabinet", "cout_mission_eur": "Coût mission EUR",
    "enveloppe_aides_eur": "Enveloppe aides EUR", "cofinancement_local_eur": "Cofinancement local EUR",
    "industriels_rencontres": "Industriels rencontrés",
    "id_projet": "Id projet", "intitule": "Intitulé", "entreprise": "Entreprise", "siren": "SIREN",
    "commune": "Commune", "filiere": "Filière", "origine": "Origine", "statut": "Statut",
    "investissement_eur": "Investissement EUR", "emplois_prevus": "Emplois prévus",
    "emplois_crees": "Emplois créés", "aide_demandee_eur": "Aide demandée EUR",
    "subvention_eur": "Subvention EUR", "avance_remboursable_eur": "Avance remboursable EUR",
    "date_decision": "Date décision", "innovant": "Innovant",
    "transition_ecologique": "Transition écologique", "date_statut": "Date statut",
    "id_versement": "Id versement", "date": "Date", "nature": "Nature", "montant_eur": "Montant EUR",
    "id_site": "Id site", "surface_ha": "Surface ha", "type_foncier": "Type foncier",
    "maitrise_fonciere": "Maîtrise foncière", "disponibilite": "Disponibilité",
    "score_sobriete_fonciere": "Score sobriété foncière", "score_biodiversite": "Score biodiversité",
    "score_energie": "Score énergie", "score_reversibilite": "Score réversibilité",
    "score_economie_circulaire": "Score économie circulaire", "score_numerique": "Score numérique",
    "score_emplois_competences": "Score emplois compétences", "score_services": "Score services",
    "score_mobilite": "Score mobilité", "score_gouvernance": "Score gouvernance",
    "score_attractivite_economique": "Score attractivité économique",
    "score_impact_environnemental": "Score impact environnemental",
    "score_maitrise_fonciere": "Score maîtrise foncière", "score_maturite": "Score maturité",
    "score_coherence_territoriale": "Score cohérence territoriale",
}

FILIERES = {"automobile": "Automobile", "aeronautique": "Aéronautique", "ferroviaire": "Ferroviaire",
            "naval": "Naval", "vehicules_industriels": "Véhicules industriels et bus",
            "mobilites_legeres": "Cycles et mobilités légères",
            "hors_transport": "Hors transport"}
LIBELLES = {
    "filiere": FILIERES,
    "statut_mission": {"a_lancer": "À lancer", "en_cours": "En cours", "terminee": "Terminée"},
    "statut": {"identifie": "Identifié", "priorise": "Priorisé", "depose": "Déposé",
               "accorde": "Accordé", "refuse": "Refusé", "abandonne": "Abandonné"},
    "origine": {"endogene": "Endogène", "exogene": "Exogène"},
    "type_foncier": {"friche": "Friche", "densification": "Densification", "extension": "Extension"},
    "maitrise_fonciere": {"publique": "Publique", "privee": "Privée", "a_securiser": "À sécuriser"},
    "nature": {"subvention": "Versement de subvention", "avance": "Versement d'avance remboursable",
               "remboursement": "Remboursement d'avance"},
}
BOOLEENS = {"innovant", "transition_ecologique"}


def montant(valeur: float, avec_milliers: bool) -> str:
    """« 1 234 567,50 » (espaces insécables) ou « 1234567,5 »."""
    if avec_milliers:
        return f"{valeur:,.2f}".replace(",", NBSP).replace(".", ",")
    texte = f"{valeur:.2f}".rstrip("0").rstrip(".")
    return texte.replace(".", ",")


def cellule(colonne: str, valeur, numero_ligne: int) -> str:
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, (datetime, date)):
        return valeur.strftime("%d/%m/%Y")
    if colonne == "filieres":
        return ";".join(FILIERES[code] for code in str(valeur).split(";"))
    if colonne in LIBELLES:
        return LIBELLES[colonne][valeur]
    if colonne in BOOLEENS:
        return "Oui" if valeur == "oui" else "Non"
    if isinstance(valeur, (int, float)):
        if colonne.endswith("_eur"):
            return montant(valeur, avec_milliers=numero_ligne % 2 == 0)
        if float(valeur).is_integer():
            return str(int(valeur))
        return str(valeur).replace(".", ",")
    return str(valeur)


def exporter(xlsx: Path, dossier: Path) -> list[Path]:
    """Écrit un CSV par feuille du contrat présente dans le classeur (releves.csv, …, versements.csv)."""
    dossier.mkdir(parents=True, exist_ok=True)
    classeur = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
    ecrits = []
    for nom in (f for f in FEUILLES if f in classeur.sheetnames):
        lignes = classeur[nom].iter_rows(values_only=True)
        colonnes = list(next(lignes))
        chemin = dossier / f"{nom}.csv"
        with open(chemin, "w", encoding="cp1252", newline="") as f:
            ecrivain = csv.writer(f, delimiter=";", lineterminator="\r\n")
            ecrivain.writerow([ENTETES[c] for c in colonnes])
            for i, ligne in enumerate(lignes):
                ecrivain.writerow([cellule(c, v, i) for c, v in zip(colonnes, ligne)])
        ecrits.append(chemin)
    classeur.close()
    return ecrits


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for chemin in exporter(Path(sys.argv[1]), Path(sys.argv[2])):
        print(chemin)
