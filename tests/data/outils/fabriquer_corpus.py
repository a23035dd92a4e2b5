"""Fabrique le corpus de fichiers de relève des tests du contrat d'import (déterministe).

- tests/data/valides/ : la base minimale (base_minimale.xlsx) et des fichiers valides mais « laids »
  (encodages, séparateurs, libellés, titres fusionnés, dates Excel…) qui doivent s'importer ;
- tests/data/defauts/ : un fichier par règle et par convention de cellule du contrat, nommé d'après
  son défaut. Un fichier CSV porte sa table en préfixe (`projets_montant_en_k_euros.csv`), car le
  contrat nomme la table d'un CSV par le début du nom du fichier.
- tests/data/reels/ : ce que contiennent les vrais fichiers (valeurs d'erreur Excel, formules, feuilles
  masquées, cellules fusionnées, classeur chiffré ou tronqué, Windows-1252, BOM, espaces insécables,
  dates saisies de toutes les façons…), un fichier par particularité, nommé d'après elle ; rapports
  attendus dans tests/test_corpus_fichiers_reels.py.

Seul le classeur chiffré (reels/classeur_protege_par_mot_de_passe.xlsx) n'est pas reproductible octet
pour octet : le chiffrement d'Office est salé. Il n'est fabriqué que s'il manque, et la vérification
« corpus à jour » l'exclut. Deux fichiers trop lourds pour être versionnés (plus de 50 Mio ; un million
de lignes vides) sont fabriqués par les tests eux-mêmes, avec les fonctions `csv_trop_gros` et
`classeur_lignes_vides` ci-dessous.

Chaque fichier défectueux part d'une ligne valide pour une base où base_minimale.xlsx a été importé
(territoire `douaisis`, projets P-001 et P-002, site S-001) et n'y change qu'une chose.
Le rapport attendu de chaque fichier est écrit à la main dans tests/test_contrat_import.py.

Usage : python tests/data/outils/fabriquer_corpus.py
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

DONNEES = Path(__file__).resolve().parent.parent
VALIDES = DONNEES / "valides"
DEFAUTS = DONNEES / "defauts"
REELS = DONNEES / "reels"
PROTEGE = "classeur_protege_par_mot_de_passe.xlsx"  # salted encryption: made only if absent
MOT_DE_PASSE = "Rebond-2024"
NBSP, NNBSP = "\u00a0", "\u202f"
DATE_FIXE = datetime(2024, 1, 1)

COLONNES = {
    "releves": ["numero", "date_limite", "date_annonce"],
    "territoires": [
        "code_territoire", "nom", "releve", "region", "epci", "filieres", "statut_mission",
        "date_debut_mission", "date_fin_mission", "cabinet", "cout_mission_eur", "enveloppe_aides_eur",
        "cofinancement_local_eur", "industriels_rencontres",
    ],
    "projets": [
        "id_projet", "code_territoire", "intitule", "entreprise", "siren", "commune", "filiere", "origine",
        "statut", "investissement_eur", "emplois_prevus", "emplois_crees", "aide_demandee_eur",
        "subvention_eur", "avance_remboursable_eur", "date_decision", "innovant", "transition_ecologique",
    ],
    "sites": [
        "id_site", "code_territoire", "nom", "commune", "surface_ha", "type_foncier", "maitrise_fonciere",
        "disponibilite", "score_sobriete_fonciere", "score_energie", "score_maturite",
    ],
    "versements": ["id_versement", "id_projet", "date", "nature", "montant_eur"],
}

# One valid row per table, for a base holding base_minimale.xlsx.
LIGNE_VALIDE = {
    "releves": {"numero": "14", "date_limite": "01/02/2027", "date_annonce": ""},
    "territoires": {
        "code_territoire": "lille-metropole", "nom": "Métropole lilloise", "releve": "4", "region": "32",
        "epci": "200093201", "filieres": "aeronautique", "statut_mission": "a_lancer",
        "date_debut_mission": "", "date_fin_mission": "", "cabinet": "", "cout_mission_eur": "100 000",
        "enveloppe_aides_eur": "1 000 000", "cofinancement_local_eur": "", "industriels_rencontres": "",
    },
    "projets": {
        "id_projet": "P-100", "code_territoire": "douaisis", "intitule": "Ligne d'assemblage de batteries",
        "entreprise": "Forges du Nord", "siren": "552030967", "commune": "59178", "filiere": "automobile",
        "origine": "endogene", "statut": "identifie", "investissement_eur": "1 000 000",
        "emplois_prevus": "10", "emplois_crees": "", "aide_demandee_eur": "", "subvention_eur": "",
        "avance_remboursable_eur": "", "date_decision": "", "innovant": "non", "transition_ecologique": "non",
    },
    "sites": {
        "id_site": "S-100", "code_territoire": "douaisis", "nom": "Zone du Raquet", "commune": "59178",
        "surface_ha": "8,5", "type_foncier": "extension", "maitrise_fonciere": "publique",
        "disponibilite": "2027", "score_sobriete_fonciere": "2", "score_energie": "3", "score_maturite": "",
    },
    # Contract 2: a grant payment on P-001 (accordé on 15/03/2024: 300 000 € grant, 200 000 € advance).
    "versements": {
        "id_versement": "V-100", "id_projet": "P-001", "date": "15/05/2024", "nature": "subvention",
        "montant_eur": "100 000",
    },
}

COMMUNES_PARTICULIERES = {0: "2A004", 1: "75101", 2: "13201", 3: "2B033"}
ACCORDE = {"statut": "accorde", "date_decision": "15/04/2024"}

# name → (table, changes to the valid row). The CSV file is `<table>_<name>.csv`.
DEFAUTS_CSV: dict[str, tuple[str, dict[str, str]]] = {
    # Cell conventions: amounts
    "montant_en_k_euros": ("projets", {"investissement_eur": "1 200 k€"}),
    "montant_en_millions": ("projets", {"investissement_eur": "1,2 M€"}),
    "montant_milliers_virgule": ("projets", {"investissement_eur": "1,234,567"}),
    "montant_milliers_point": ("projets", {"investissement_eur": "1.234.567"}),
    "montant_trois_decimales": ("projets", {"investissement_eur": "1 000,125"}),
    "montant_negatif": ("projets", {"investissement_eur": "-5 000"}),
    "montant_obligatoire_vide": ("projets", {"investissement_eur": ""}),
    # integers
    "entier_decimal": ("projets", {"emplois_prevus": "12,5"}),
    "entier_texte": ("projets", {"emplois_prevus": "douze"}),
    "entier_negatif": ("projets", {"emplois_crees": "-3"}),
    # text
    "texte_obligatoire_blanc": ("projets", {"intitule": "   "}),
    "id_projet_trop_long": ("projets", {"id_projet": "P-" + "X" * 39}),
    # codes
    "siren_cle_fausse": ("projets", {"siren": "552030968"}),
    "siren_huit_chiffres": ("projets", {"siren": "55203096"}),
    "commune_inconnue": ("projets", {"commune": "99999"}),
    "commune_six_chiffres": ("projets", {"commune": "591780"}),
    # enumerations
    "filiere_inconnue": ("projets", {"filiere": "spatial"}),
    "origine_inconnue": ("projets", {"origine": "locale"}),
    "statut_inconnu": ("projets", {"statut": "en attente"}),
    "statut_vide": ("projets", {"statut": ""}),
    # dates and booleans
    "date_inexistante": ("projets", {"date_decision": "31/02/2024"}),
    "date_mois_jour_inverses": ("projets", {"date_decision": "03/15/2024"}),
    "booleen_invalide": ("projets", {"innovant": "peut-être"}),
    # cross-row rules on projects
    "date_decision_manquante": ("projets", {"statut": "accorde", "subvention_eur": "100 000"}),
    "date_decision_manquante_refuse": ("projets", {"statut": "refuse"}),
    "aide_sur_projet_non_accorde": ("projets", {"statut": "depose", "subvention_eur": "100 000"}),
    "avance_sur_projet_refuse": (
        "projets", {"statut": "refuse", "date_decision": "15/04/2024", "avance_remboursable_eur": "50 000"},
    ),
    "emplois_crees_hors_accord": ("projets", {"statut": "priorise", "emplois_crees": "5"}),
    "aide_superieure_demande": (
        "projets",
        {**ACCORDE, "aide_demandee_eur": "100 000", "subvention_eur": "80 000", "avance_remboursable_eur": "30 000"},
    ),
    "depassement_90_millions": ("projets", {**ACCORDE, "subvention_eur": "95 000 000"}),
    "territoire_inconnu": ("projets", {"code_territoire": "atlantis"}),
    # territories
    "code_territoire_majuscules": ("territoires", {"code_territoire": "Lille-Metropole"}),
    "code_territoire_trop_court": ("territoires", {"code_territoire": "l"}),
    "nom_manquant": ("territoires", {"nom": ""}),
    "releve_inconnue": ("territoires", {"releve": "42"}),
    "region_format_invalide": ("territoires", {"region": "HDF"}),
    "epci_inconnu": ("territoires", {"epci": "200044619"}),
    "epci_mal_forme": ("territoires", {"epci": "20009320"}),
    "epci_virgule_dans_csv": ("territoires", {"epci": "200044618,200093201"}),
    "filieres_vides": ("territoires", {"filieres": " ; "}),
    "statut_mission_inconnu": ("territoires", {"statut_mission": "suspendue"}),
    "cout_mission_manquant": ("territoires", {"cout_mission_eur": ""}),
    "enveloppe_negative": ("territoires", {"enveloppe_aides_eur": "-1"}),
    "industriels_negatif": ("territoires", {"industriels_rencontres": "-1"}),
    "depassement_10_millions": ("territoires", {"cout_mission_eur": "9 900 000"}),
    # relèves
    "annonce_avant_limite": ("releves", {"numero": "3", "date_limite": "01/06/2023", "date_annonce": "15/05/2023"}),
    "date_limite_inhabituelle": ("releves", {"date_limite": "15/03/2027"}),
    "date_limite_manquante": ("releves", {"date_limite": ""}),
    "date_limite_invalide": ("releves", {"date_limite": "2027-02-30"}),
    "numero_zero": ("releves", {"numero": "0"}),
    # sites
    "surface_nulle": ("sites", {"surface_ha": "0"}),
    "surface_negative": ("sites", {"surface_ha": "-2,5"}),
    "surface_texte": ("sites", {"surface_ha": "douze"}),
    "score_hors_bornes": ("sites", {"score_energie": "6"}),
    "score_negatif": ("sites", {"score_energie": "-1"}),
    "score_decimal": ("sites", {"score_energie": "3,5"}),
    "disponibilite_hors_bornes": ("sites", {"disponibilite": "2045"}),
    "type_foncier_inconnu": ("sites", {"type_foncier": "zone"}),
    "maitrise_fonciere_inconnue": ("sites", {"maitrise_fonciere": "communale"}),
    "commune_inconnue_site": ("sites", {"commune": "99999"}),
    "territoire_inconnu_site": ("sites", {"code_territoire": "atlantis"}),
}


# Contract 2: one defect of the `versements` sheet each (valid row: LIGNE_VALIDE["versements"]), written to
# `versements_<name>.csv`.
DEFAUTS_VERSEMENTS: dict[str, dict[str, str]] = {
    # Cells
    "montant_nul": {"montant_eur": "0"},
    "montant_negatif": {"montant_eur": "-100 000"},
    "montant_vide": {"montant_eur": ""},
    "montant_en_k_euros": {"montant_eur": "100 k€"},
    "montant_trop_grand": {"montant_eur": "1 000 000 000 000"},
    "montant_trois_decimales": {"montant_eur": "100 000,125"},
    "date_manquante": {"date": ""},
    "date_inexistante": {"date": "31/02/2024"},
    "date_hors_bornes": {"date": "01/01/2101"},
    "nature_inconnue": {"nature": "don"},
    "nature_vide": {"nature": ""},
    "id_versement_trop_long": {"id_versement": "V-" + "X" * 39},
    "id_versement_espace_sans_chasse": {"id_versement": "V-\u200b100"},
    "id_versement_vide": {"id_versement": ""},
    "id_projet_vide": {"id_projet": ""},
    # Rule 10
    "projet_inconnu": {"id_projet": "P-999"},
    "subvention_sur_projet_non_accorde": {"id_projet": "P-002"},
    "avance_sur_projet_non_accorde": {"id_projet": "P-002", "nature": "avance"},
    # Rule 11 (P-001: 300 000 € grant, 200 000 € advance)
    "subvention_au_dela_de_la_decision": {"montant_eur": "300 000,01"},
    "avance_au_dela_de_la_decision": {"nature": "avance", "montant_eur": "250 000"},
    "remboursement_sans_avance": {"nature": "remboursement", "montant_eur": "10 000"},
    # Rule 12 (warnings)
    "avant_la_decision": {"date": "14/03/2024"},
    "apres_le_jour_de_l_import": {"date": "15/06/2099"},
}


def ligne(table: str, **changements: str) -> dict[str, str]:
    return {**LIGNE_VALIDE[table], **changements}


def csv_octets(
    lignes: list[list[str]], separateur: str = ";", encodage: str = "utf-8", bom: bool = False
) -> bytes:
    tampon = io.StringIO()
    csv.writer(tampon, delimiter=separateur, lineterminator="\r\n").writerows(lignes)
    return (b"\xef\xbb\xbf" if bom else b"") + tampon.getvalue().encode(encodage)


def csv_table(table: str, lignes: list[dict[str, str]], colonnes: list[str] | None = None, **options) -> bytes:
    colonnes = colonnes or COLONNES[table]
    return csv_octets([colonnes] + [[l.get(c, "") for c in colonnes] for l in lignes], **options)


def ecrire(chemin: Path, contenu: bytes) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_bytes(contenu)


def xlsx(chemin: Path, feuilles: dict[str, list[list[object]]], titre: dict[str, str] | None = None) -> None:
    """A workbook; `titre` puts a merged title row and an empty row above a sheet's header row."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    classeur = xlsxwriter.Workbook(str(chemin))
    classeur.set_properties({"created": DATE_FIXE, "author": "fabriquer_corpus"})
    format_date = classeur.add_format({"num_format": "dd/mm/yyyy"})
    for nom, lignes in feuilles.items():
        feuille = classeur.add_worksheet(nom)
        decalage = 0
        if titre and nom in titre:
            feuille.merge_range(0, 0, 0, max(len(lignes[0]) - 1, 1), titre[nom])
            decalage = 2
        for i, cellules in enumerate(lignes):
            for j, valeur in enumerate(cellules):
                rang = i + decalage
                if valeur is None or valeur == "":
                    continue
                if isinstance(valeur, bool):
                    feuille.write_boolean(rang, j, valeur)
                elif isinstance(valeur, (date, datetime)):
                    d = valeur if isinstance(valeur, datetime) else datetime(valeur.year, valeur.month, valeur.day)
                    feuille.write_datetime(rang, j, d, format_date)
                elif isinstance(valeur, (int, float)):
                    feuille.write_number(rang, j, valeur)
                else:
                    feuille.write_string(rang, j, str(valeur))
    classeur.close()


def feuille(table: str, lignes: list[dict[str, object]], colonnes: list[str] | None = None) -> list[list[object]]:
    colonnes = colonnes or COLONNES[table]
    return [list(colonnes)] + [[l.get(c) for c in colonnes] for l in lignes]


# ---------------------------------------------------------------------------------------------------
# Valid files

BASE_MINIMALE = {
    "releves": [{"numero": 3, "date_limite": date(2023, 6, 1), "date_annonce": date(2023, 7, 12)}],
    "territoires": [{
        "code_territoire": "douaisis", "nom": "Douaisis Agglo", "releve": 3, "region": "32",
        "epci": "200044618", "filieres": "automobile;ferroviaire", "statut_mission": "en_cours",
        "date_debut_mission": date(2023, 9, 1), "date_fin_mission": date(2024, 9, 30),
        "cabinet": "Cabinet Alpha", "cout_mission_eur": 150000, "enveloppe_aides_eur": 2000000,
        "cofinancement_local_eur": 500000, "industriels_rencontres": 40,
    }],
    "projets": [
        {
            "id_projet": "P-001", "code_territoire": "douaisis", "intitule": "Usine de moteurs électriques",
            "entreprise": "Moteurs du Douaisis", "siren": "732829320", "commune": "59178",
            "filiere": "automobile", "origine": "endogene", "statut": "accorde",
            "investissement_eur": 4000000, "emplois_prevus": 50, "emplois_crees": 12,
            "aide_demandee_eur": 600000, "subvention_eur": 300000, "avance_remboursable_eur": 200000,
            "date_decision": date(2024, 3, 15), "innovant": "oui", "transition_ecologique": "non",
        },
        {
            "id_projet": "P-002", "code_territoire": "douaisis", "intitule": "Atelier de maintenance ferroviaire",
            "entreprise": "Rail Services", "commune": "59178", "filiere": "ferroviaire",
            "origine": "exogene", "statut": "identifie", "investissement_eur": 1500000,
            "emplois_prevus": 20, "aide_demandee_eur": 50000, "innovant": "oui", "transition_ecologique": "oui",
        },
    ],
    "sites": [{
        "id_site": "S-001", "code_territoire": "douaisis", "nom": "Friche des Forges", "commune": "59178",
        "surface_ha": 12.5, "type_foncier": "friche", "maitrise_fonciere": "publique", "disponibilite": 2026,
        "score_sobriete_fonciere": 5, "score_energie": 3,
    }],
}


def fabriquer_valides() -> None:
    xlsx(VALIDES / "base_minimale.xlsx", {t: feuille(t, l) for t, l in BASE_MINIMALE.items()})

    # `;`, Windows-1252, decimal commas, dd/mm/yyyy, labels, accented capitalised headers.
    entetes = ["Id projet", "Code territoire", "Intitulé", "Entreprise", "SIREN", "Commune", "Filière",
               "Origine", "Statut", "Investissement EUR", "Emplois prévus", "Emplois créés",
               "Aide demandée EUR", "Subvention EUR", "Avance remboursable EUR", "Date décision",
               "Innovant", "Transition écologique"]
    ecrire(VALIDES / "projets_excel_fr.csv", csv_octets([
        entetes,
        ["P-300", "douaisis", "Atelier de rétrofit", "Rétrofit Nord", "732829320", "59350",
         "Véhicules industriels et bus", "Exogène", "Accordé", f"2{NBSP}500{NBSP}000,50", "35", "",
         f"400{NBSP}000", f"150{NBSP}000,25", "200000,75", "15/03/2024", "Oui", "Non"],
        ["P-301", "douaisis", "Vélos cargos", "Cycles Hénin", "", "", "Cycles et mobilités légères",
         "endogène", "Priorisé", "750000,5", "8", "", f"120{NBSP}000", "", "", "", "", "VRAI"],
    ], encodage="cp1252"))

    # `,` separator, UTF-8 with BOM, `.` decimals, ISO dates, a quoted cell holding a comma.
    ecrire(VALIDES / "territoires_bom_virgule.csv", csv_table("territoires", [{
        **LIGNE_VALIDE["territoires"], "nom": "Métropole lilloise", "filieres": "aeronautique;naval",
        "statut_mission": "En cours", "date_debut_mission": "2023-10-15", "date_fin_mission": "2024-12-31",
        "cabinet": "Cabinet Bêta, Conseil", "cout_mission_eur": "120000.50", "enveloppe_aides_eur": "3000000",
        "industriels_rencontres": "25",
    }], separateur=",", bom=True))

    # A merged title row and an empty row above the header row (header on row 3, data on rows 4-5).
    projets_titre = [
        {**LIGNE_VALIDE["projets"], "id_projet": "P-500", "investissement_eur": 2000000, "emplois_prevus": 15},
        {**LIGNE_VALIDE["projets"], "id_projet": "P-501", "siren": None, "filiere": "naval",
         "investissement_eur": 300000.5, "emplois_prevus": 4},
    ]
    xlsx(VALIDES / "titre_fusionne.xlsx", {"projets": feuille("projets", projets_titre)},
         titre={"projets": "Relève de juin 2024 — Douaisis Agglo"})

    # Excel date cells and dates typed as text.
    xlsx(VALIDES / "dates_excel_et_texte.xlsx", {
        "releves": feuille("releves", [
            {"numero": 3, "date_limite": date(2023, 6, 1), "date_annonce": "2023-07-20"},
            {"numero": 14, "date_limite": "01/02/2027", "date_annonce": date(2027, 3, 5)},
        ]),
        "territoires": feuille("territoires", [{
            **LIGNE_VALIDE["territoires"], "releve": 4, "date_debut_mission": date(2023, 11, 6),
            "date_fin_mission": "30/06/2025", "cout_mission_eur": 100000, "enveloppe_aides_eur": 1000000,
        }]),
        "projets": feuille("projets", [
            {**LIGNE_VALIDE["projets"], "statut": "refuse", "date_decision": datetime(2024, 5, 2, 0, 0)},
            {**LIGNE_VALIDE["projets"], "id_projet": "P-101", "statut": "refuse", "date_decision": "2024-05-03"},
        ]),
    })

    # Amounts with NBSP / narrow NBSP thousands and € / EUR suffixes; text to trim (UTF-8).
    ecrire(VALIDES / "projets_montants_espaces.csv", csv_table("projets", [
        {**LIGNE_VALIDE["projets"], **ACCORDE, "intitule": "  Presse hydraulique  ",
         "entreprise": f"{NBSP}Forges du Nord{NBSP}", "investissement_eur": f"1{NBSP}234{NBSP}567,50 €",
         "aide_demandee_eur": f"2{NNBSP}500{NNBSP}000 EUR", "subvention_eur": "12 €",
         "avance_remboursable_eur": "1234567.5"},
        {**LIGNE_VALIDE["projets"], "id_projet": "P-101", "investissement_eur": "1 250€",
         "aide_demandee_eur": f"3{NNBSP}000{NNBSP}000,00{NBSP}€", "emplois_prevus": f"1{NNBSP}250"},
    ]))

    # Integers read as floats from Excel (12.0), integers typed as text, boolean cells, numeric codes.
    xlsx(VALIDES / "entiers_excel.xlsx", {
        "territoires": feuille("territoires", [{
            **LIGNE_VALIDE["territoires"], "releve": 4.0, "region": 32, "cout_mission_eur": 100000.0,
            "enveloppe_aides_eur": 1000000, "industriels_rencontres": f"1{NBSP}250",
        }]),
        "projets": feuille("projets", [
            {**LIGNE_VALIDE["projets"], "siren": 552030967, "commune": 59178, "emplois_prevus": 12.0,
             "emplois_crees": "3.0", "innovant": True, "transition_ecologique": False},
        ]),
        "sites": feuille("sites", [{
            **LIGNE_VALIDE["sites"], "surface_ha": 8.25, "disponibilite": 2027.0, "score_energie": 4.0,
            "score_sobriete_fonciere": "2", "score_maturite": 0,
        }]),
    })

    # Every accepted spelling of a boolean (case-insensitive).
    # (also: Corsican commune codes and municipal arrondissements are valid communes)
    orthographes = ["oui", "NON", "Vrai", "faux", "1", "0", "x", "", "true", "FALSE", "X", "Oui"]
    ecrire(VALIDES / "projets_booleens.csv", csv_table("projets", [
        {**LIGNE_VALIDE["projets"], "id_projet": f"B-{i:02d}", "innovant": o, "transition_ecologique": o,
         "commune": COMMUNES_PARTICULIERES.get(i, "59178")}
        for i, o in enumerate(orthographes)
    ]))

    # Lists with ',' (and ';') inside an XLSX cell; enumeration labels with spaces/hyphens/capitals.
    xlsx(VALIDES / "listes_virgule.xlsx", {"territoires": feuille("territoires", [{
        **LIGNE_VALIDE["territoires"], "code_territoire": "douaisis-lille", "nom": "Douaisis et Lille",
        "releve": 5, "epci": "200044618, 200093201", "filieres": "Automobile, FERROVIAIRE ; Véhicules-industriels",
        "statut_mission": "EN-COURS",
    }])})

    # Sheet names with capitals, accents and a trailing space, and an empty sheet (ignored silently).
    xlsx(VALIDES / "noms_feuilles.xlsx", {
        "Relèves": feuille("releves", [{"numero": 15, "date_limite": date(2027, 6, 1)}]),
        "TERRITOIRES": feuille("territoires", [LIGNE_VALIDE["territoires"]]),
        "Projets": feuille("projets", [{**LIGNE_VALIDE["projets"], "code_territoire": "lille-metropole"}]),
        "Sites ": feuille("sites", [LIGNE_VALIDE["sites"]]),
        "Feuil1": [],
    })

    # A CSV whose stem only starts with the table name; labels folded (`à lancer`, hyphens).
    ecrire(VALIDES / "territoires_releve3.csv", csv_table("territoires", [{
        **LIGNE_VALIDE["territoires"], "code_territoire": "cambresis", "nom": "Cambrésis", "releve": "3",
        "epci": "200068500", "filieres": "VEHICULES-INDUSTRIELS;mobilites legeres",
        "statut_mission": "à lancer", "cout_mission_eur": "0",
    }]))

    # Rule 1: update of P-002 (present columns replace, empty cells clear, absent columns are kept).
    colonnes = ["id_projet", "code_territoire", "intitule", "entreprise", "filiere", "origine", "statut",
                "investissement_eur", "emplois_prevus", "aide_demandee_eur", "innovant"]
    ecrire(VALIDES / "projets_mise_a_jour.csv", csv_table("projets", [{
        "id_projet": "P-002", "code_territoire": "douaisis", "intitule": "Atelier de maintenance ferroviaire",
        "entreprise": "Rail Services", "filiere": "ferroviaire", "origine": "exogene", "statut": "priorise",
        "investissement_eur": "1 500 000", "emplois_prevus": "25", "aide_demandee_eur": "", "innovant": "",
    }], colonnes=colonnes))

    # Contract 2: a new accorded project with its status date, P-002's status date added, and payments
    # written every way (labels, lower-case project keys, amounts as text or numbers, text or Excel dates).
    colonnes_projets_2 = COLONNES["projets"] + ["date_statut"]
    xlsx(VALIDES / "contrat2_versements.xlsx", {
        "projets": feuille("projets", [
            {**LIGNE_VALIDE["projets"], "id_projet": "P-200", "statut": "accorde", "date_decision": date(2024, 6, 10),
             "aide_demandee_eur": 600000, "subvention_eur": 400000, "avance_remboursable_eur": 100000,
             "date_statut": date(2024, 6, 10)},
            {**BASE_MINIMALE["projets"][1], "date_statut": "01/02/2024"},
        ], colonnes=colonnes_projets_2),
        "versements": feuille("versements", VERSEMENTS_VALIDES),
    })

    # The same contract in a CSV from a French Excel (`;`, Windows-1252, labels, NBSP, € suffix).
    ecrire(VALIDES / "versements_releve_2025.csv", csv_octets([
        ["Id versement", "Id projet", "Date", "Nature", "Montant EUR"],
        ["V-010", "p-001", "01/03/2025", "Versement d'avance remboursable", f"50{NBSP}000,00 €"],
        ["V-011", "P-001", "2025-06-30", "Remboursement d'avance", "5 000"],
    ], encodage="cp1252"))


# P-001 of base_minimale.xlsx (300 000 € grant, 200 000 € advance) and P-200 of contrat2_versements.xlsx
# (400 000 € grant, 100 000 € advance) paid; 20 000,50 € of P-001's advance repaid.
VERSEMENTS_VALIDES: list[dict[str, object]] = [
    {"id_versement": "V-001", "id_projet": "P-001", "date": date(2024, 4, 20), "nature": "Versement de subvention",
     "montant_eur": 150000},
    {"id_versement": "V-002", "id_projet": "p-001", "date": "20/04/2024", "nature": "avance",
     "montant_eur": "100 000 €"},
    {"id_versement": "V-003", "id_projet": "P-001", "date": date(2025, 1, 15), "nature": "Remboursement d'avance",
     "montant_eur": "20 000,50"},
    {"id_versement": "V-004", "id_projet": "p-200", "date": date(2024, 7, 1), "nature": "subvention",
     "montant_eur": 400000},
]

# Defective files that need payments in the base: imported into base_minimale.xlsx + contrat2_versements.xlsx.
APRES_VERSEMENTS = "apres_versements"
COLONNES_REQUISES_PROJET = ["id_projet", "code_territoire", "intitule", "entreprise", "filiere", "origine", "statut",
                            "investissement_eur", "emplois_prevus"]
P001_REQUIS = {
    "id_projet": "P-001", "code_territoire": "douaisis", "intitule": "Usine de moteurs électriques",
    "entreprise": "Moteurs du Douaisis", "filiere": "automobile", "origine": "endogene", "statut": "accorde",
    "investissement_eur": "4 000 000", "emplois_prevus": "50",
}


# ---------------------------------------------------------------------------------------------------
# Defective files


def fabriquer_defauts() -> None:
    for nom, (table, changements) in DEFAUTS_CSV.items():
        ecrire(DEFAUTS / f"{table}_{nom}.csv", csv_table(table, [ligne(table, **changements)]))

    # Headers.
    sans_entreprise = [c for c in COLONNES["projets"] if c != "entreprise"]
    ecrire(DEFAUTS / "projets_colonne_obligatoire_manquante.csv",
           csv_table("projets", [LIGNE_VALIDE["projets"]], colonnes=sans_entreprise))
    ecrire(DEFAUTS / "projets_colonne_inconnue.csv", csv_table(
        "projets", [{**LIGNE_VALIDE["projets"], "Commentaire": "à revoir"}],
        colonnes=COLONNES["projets"] + ["Commentaire"]))
    ecrire(DEFAUTS / "projets_colonne_dupliquee.csv", csv_table(
        "projets", [{**LIGNE_VALIDE["projets"], "Intitulé": "Autre intitulé"}],
        colonnes=COLONNES["projets"] + ["Intitulé"]))

    # Rule 9 and containers.
    ecrire(DEFAUTS / "projets_aucune_ligne.csv", csv_table("projets", []))
    ecrire(DEFAUTS / "sans_nom_de_table.csv", csv_table("projets", [LIGNE_VALIDE["projets"]]))
    xlsx(DEFAUTS / "aucune_table_reconnue.xlsx", {"Feuil1": feuille("projets", [LIGNE_VALIDE["projets"]])})
    xlsx(DEFAUTS / "aucune_ligne.xlsx", {"projets": feuille("projets", []), "sites": feuille("sites", [])})

    # Unreadable files (exit 2).
    ecrire(DEFAUTS / "fichier_vide.csv", b"")
    ecrire(DEFAUTS / "texte_renomme.xlsx", csv_table("projets", [LIGNE_VALIDE["projets"]]))
    ecrire(DEFAUTS / "binaire.csv", bytes(range(256)) * 4)
    ecrire(DEFAUTS / "zip_tronque.xlsx", (VALIDES / "base_minimale.xlsx").read_bytes()[:600])
    ecrire(DEFAUTS / "xls_97_2003.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)

    # Rule 1: duplicated keys, within a sheet and across two files of one import.
    xlsx(DEFAUTS / "cle_dupliquee.xlsx", {"projets": feuille("projets", [
        LIGNE_VALIDE["projets"], {**LIGNE_VALIDE["projets"], "intitule": "Doublon"}])})
    entre = DEFAUTS / "cle_dupliquee_entre_fichiers"
    ecrire(entre / "projets_a.csv", csv_table("projets", [LIGNE_VALIDE["projets"]]))
    ecrire(entre / "projets_b.csv", csv_table("projets", [
        {**LIGNE_VALIDE["projets"], "id_projet": "P-101"}, {**LIGNE_VALIDE["projets"], "intitule": "Doublon"}]))

    # XLSX versions of cell and rule defects.
    xlsx(DEFAUTS / "date_invalide.xlsx", {"projets": feuille("projets", [
        {**LIGNE_VALIDE["projets"], "date_decision": "31/02/2024"}])})
    xlsx(DEFAUTS / "region_inconnue.xlsx", {"territoires": feuille("territoires", [
        {**LIGNE_VALIDE["territoires"], "region": "99"}])})
    xlsx(DEFAUTS / "filiere_hors_transport_territoire.xlsx", {"territoires": feuille("territoires", [
        {**LIGNE_VALIDE["territoires"], "filieres": "automobile;hors_transport"}])})
    xlsx(DEFAUTS / "date_fin_avant_debut.xlsx", {"territoires": feuille("territoires", [
        {**LIGNE_VALIDE["territoires"], "date_debut_mission": date(2023, 11, 1),
         "date_fin_mission": date(2023, 10, 15)}])})
    xlsx(DEFAUTS / "mission_avant_releve.xlsx", {"territoires": feuille("territoires", [
        {**LIGNE_VALIDE["territoires"], "date_debut_mission": date(2023, 9, 15)}])})
    xlsx(DEFAUTS / "depassement_enveloppe.xlsx", {"projets": feuille("projets", [
        {**LIGNE_VALIDE["projets"], "id_projet": "P-200", "statut": "accorde", "date_decision": date(2024, 5, 2),
         "subvention_eur": 2000000, "avance_remboursable_eur": 600000}])})
    # Rule 4 through the territory: the envelope of douaisis lowered below the 500 000 € granted.
    ecrire(DEFAUTS / "territoires_enveloppe_reduite.csv", csv_table("territoires", [{
        "code_territoire": "douaisis", "nom": "Douaisis Agglo", "releve": "3", "region": "32",
        "epci": "200044618", "filieres": "automobile;ferroviaire", "statut_mission": "en_cours",
        "date_debut_mission": "01/09/2023", "date_fin_mission": "30/09/2024", "cabinet": "Cabinet Alpha",
        "cout_mission_eur": "150 000", "enveloppe_aides_eur": "100 000", "cofinancement_local_eur": "",
        "industriels_rencontres": "40"}]))
    # Rule 8: a project pointing to a territory of the same file whose row is invalid.
    xlsx(DEFAUTS / "territoire_invalide_et_projet.xlsx", {
        "territoires": feuille("territoires", [{**LIGNE_VALIDE["territoires"], "region": "99"}]),
        "projets": feuille("projets", [{**LIGNE_VALIDE["projets"], "code_territoire": "lille-metropole"}]),
    })
    # A defect under a merged title: the row number is the spreadsheet's (4).
    xlsx(DEFAUTS / "titre_fusionne_montant_invalide.xlsx",
         {"projets": feuille("projets", [{**LIGNE_VALIDE["projets"], "investissement_eur": "beaucoup"}])},
         titre={"projets": "Relève de juin 2024"})
    # Several errors in one file: every one is reported, not only the first.
    ecrire(DEFAUTS / "projets_plusieurs_erreurs.csv", csv_table("projets", [
        {**LIGNE_VALIDE["projets"], "investissement_eur": "1 200 k€", "siren": "552030968"},
        {**LIGNE_VALIDE["projets"], "id_projet": "P-101", "statut": "depose", "subvention_eur": "10"},
        {**LIGNE_VALIDE["projets"], "id_projet": "P-102", "code_territoire": "atlantis"},
    ]))

    ecrire(DEFAUTS / "territoires_plusieurs_erreurs.csv", csv_table("territoires", [
        ligne("territoires", code_territoire="t-a", region="99", epci="123"),
        ligne("territoires", code_territoire="t-b", releve="42"),
        ligne("territoires", code_territoire="t-c", date_debut_mission="01/11/2023", date_fin_mission="15/10/2023"),
    ]))

    # Rule 1: `14` and `14.0` are the same relève (integers from Excel are accepted as `12.0`).
    ecrire(DEFAUTS / "releves_cle_dupliquee_entier_decimal.csv", csv_table("releves", [
        ligne("releves"), ligne("releves", numero="14.0", date_limite="01/06/2027")]))

    fabriquer_defauts_contrat_2()


def fabriquer_defauts_contrat_2() -> None:
    """Contract 2: the `date_statut` column, the `versements` sheet and rules 10 to 12 (the one-cell
    defects of the sheet are in DEFAUTS_VERSEMENTS)."""
    for nom, changements in DEFAUTS_VERSEMENTS.items():
        ecrire(DEFAUTS / f"versements_{nom}.csv", csv_table("versements", [ligne("versements", **changements)]))
    colonnes_projets_2 = COLONNES["projets"] + ["date_statut"]
    ecrire(DEFAUTS / "projets_date_statut_inexistante.csv",
           csv_table("projets", [ligne("projets", date_statut="30/02/2024")], colonnes=colonnes_projets_2))
    ecrire(DEFAUTS / "projets_date_statut_hors_bornes.csv",
           csv_table("projets", [ligne("projets", date_statut="31/12/1899")], colonnes=colonnes_projets_2))
    sans_montant = [c for c in COLONNES["versements"] if c != "montant_eur"]
    ecrire(DEFAUTS / "versements_colonne_montant_manquante.csv",
           csv_table("versements", [LIGNE_VALIDE["versements"]], colonnes=sans_montant))

    # Rule 1: one key written in two cases within the sheet.
    ecrire(DEFAUTS / "versements_cle_dupliquee_casse.csv", csv_table("versements", [
        ligne("versements"), ligne("versements", id_versement="v-100", montant_eur="5 000")]))
    # Rule 10: a project of the same file (key written in another case) that is not granted; a project
    # of the file whose row is invalid (only its own error is reported).
    xlsx(DEFAUTS / "versement_sur_projet_du_fichier_non_accorde.xlsx", {
        "projets": feuille("projets", [LIGNE_VALIDE["projets"]]),
        "versements": feuille("versements", [ligne("versements", id_projet="p-100")]),
    })
    xlsx(DEFAUTS / "versement_sur_projet_invalide_du_fichier.xlsx", {
        "projets": feuille("projets", [ligne("projets", siren="552030968")]),
        "versements": feuille("versements", [ligne("versements", id_projet="P-100")]),
    })
    # Rule 11: the grant passes its ceiling on the second payment; repayments above the advance paid.
    xlsx(DEFAUTS / "subventions_cumulees_au_dela_de_la_decision.xlsx", {"versements": feuille("versements", [
        ligne("versements", montant_eur="200 000"),
        ligne("versements", id_versement="V-101", montant_eur="100 000"),
        ligne("versements", id_versement="V-102", date="15/06/2024", montant_eur="150 000"),
    ])})
    xlsx(DEFAUTS / "remboursements_au_dela_des_avances.xlsx", {"versements": feuille("versements", [
        ligne("versements", nature="avance", montant_eur="100 000"),
        ligne("versements", id_versement="V-101", date="15/01/2025", nature="remboursement", montant_eur="60 000"),
        ligne("versements", id_versement="V-102", date="15/02/2025", nature="remboursement", montant_eur="60 000"),
    ])})
    # Every error of the sheet is reported, not only the first.
    ecrire(DEFAUTS / "versements_plusieurs_erreurs.csv", csv_table("versements", [
        ligne("versements", id_projet="P-999", montant_eur="0"),
        ligne("versements", id_versement="V-101", nature="don"),
        ligne("versements", id_versement="V-102", id_projet="P-002", nature="avance"),
        ligne("versements", id_versement="V-103", montant_eur="350 000"),
    ]))

    # Against a base that already holds the payments of valides/contrat2_versements.xlsx.
    dossier = DEFAUTS / APRES_VERSEMENTS
    ecrire(dossier / "projets_abandon_du_projet_verse.csv", csv_table("projets", [
        {**P001_REQUIS, "statut": "abandonne", "subvention_eur": "0", "avance_remboursable_eur": "0"}],
        colonnes=COLONNES_REQUISES_PROJET + ["subvention_eur", "avance_remboursable_eur"]))
    ecrire(dossier / "projets_subvention_reduite_sous_les_versements.csv", csv_table("projets", [
        {**P001_REQUIS, "subvention_eur": "100 000"}], colonnes=COLONNES_REQUISES_PROJET + ["subvention_eur"]))
    ecrire(dossier / "versements_remboursement_au_dela_des_avances.csv", csv_table("versements", [
        ligne("versements", id_versement="V-010", date="15/02/2025", nature="remboursement", montant_eur="80 000")]))
    ecrire(dossier / "versements_avance_reduite_sous_les_remboursements.csv", csv_table("versements", [
        ligne("versements", id_versement="V-002", date="20/04/2024", nature="avance", montant_eur="20 000")]))
    ecrire(dossier / "versements_deplace_vers_projet_non_accorde.csv", csv_table("versements", [
        ligne("versements", id_versement="V-001", id_projet="P-002", date="20/04/2024", montant_eur="150 000")]))


# ---------------------------------------------------------------------------------------------------
# What real files contain (tests/data/reels/)


def _classeur(chemin: Path | io.BytesIO, **options: object) -> xlsxwriter.Workbook:
    """A workbook with fixed properties (so that its bytes do not depend on the day it is made)."""
    if isinstance(chemin, Path):
        chemin.parent.mkdir(parents=True, exist_ok=True)
        classeur = xlsxwriter.Workbook(str(chemin), options)
    else:
        classeur = xlsxwriter.Workbook(chemin, {"in_memory": True, **options})
    classeur.set_properties({"created": DATE_FIXE, "author": "fabriquer_corpus"})
    return classeur


def _ecrire_lignes(feuille, lignes: list[list[object]], format_date, premiere: int = 0) -> None:
    for i, cellules in enumerate(lignes):
        for j, valeur in enumerate(cellules):
            if valeur is None or valeur == "":
                continue
            if isinstance(valeur, (date, datetime)):
                d = valeur if isinstance(valeur, datetime) else datetime(valeur.year, valeur.month, valeur.day)
                feuille.write_datetime(premiere + i, j, d, format_date)
            elif isinstance(valeur, (int, float)) and not isinstance(valeur, bool):
                feuille.write_number(premiere + i, j, valeur)
            else:
                feuille.write_string(premiere + i, j, str(valeur))


def _zip_normalise(contenu: bytes) -> bytes:
    """A zip rewritten with fixed timestamps (and fixed dates in docProps/core.xml): reproducible bytes."""
    source = zipfile.ZipFile(io.BytesIO(contenu))
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename == "docProps/core.xml":
                donnees = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", donnees)
            archive.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), donnees,
                             compress_type=zipfile.ZIP_DEFLATED)
    return sortie.getvalue()


def _colonne(nom: str) -> int:
    return COLONNES["projets"].index(nom)


def _projets(*lignes: dict[str, object]) -> list[list[object]]:
    return feuille("projets", [{**LIGNE_VALIDE["projets"], **l} for l in lignes])


# P-002 of base_minimale.xlsx, as its cells would be written back in a CSV.
P002 = {
    "id_projet": "P-002", "code_territoire": "douaisis", "intitule": "Atelier de maintenance ferroviaire",
    "entreprise": "Rail Services", "siren": "", "commune": "59178", "filiere": "ferroviaire", "origine": "exogene",
    "statut": "identifie", "investissement_eur": "1 500 000", "emplois_prevus": "20", "emplois_crees": "",
    "aide_demandee_eur": "50 000", "subvention_eur": "", "avance_remboursable_eur": "", "date_decision": "",
    "innovant": "oui", "transition_ecologique": "oui",
}


def classeur_lignes_vides(chemin: Path, lignes_vides: int = 1_000_000) -> None:
    """A `releves` sheet with one valid row, then `lignes_vides` blank but formatted rows (fill and
    border on three cells each, as when a whole column range was formatted in Excel). The sheet XML is
    streamed into the zip: xlsxwriter alone takes ~40 s for a million rows."""
    tampon = io.BytesIO()
    classeur = _classeur(tampon)
    feuille_ = classeur.add_worksheet("releves")
    format_vide = classeur.add_format({"bg_color": "#FFF2CC", "border": 1})
    _ecrire_lignes(feuille_, feuille("releves", [LIGNE_VALIDE["releves"]]), None)
    for j in range(3):
        feuille_.write_blank(2, j, None, format_vide)
    classeur.close()
    source = zipfile.ZipFile(io.BytesIO(tampon.getvalue()))
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, donnees)
                continue
            xml = donnees.decode()
            modele = re.search(r'<row r="3".*?</row>', xml)
            assert modele and '<dimension ref="A1:C3"/>' in xml
            debut = xml[:modele.start()].replace('<dimension ref="A1:C3"/>',
                                                 f'<dimension ref="A1:C{lignes_vides + 2}"/>')
            with archive.open(info.filename, "w") as flux:
                flux.write(debut.encode())
                for bloc in range(3, lignes_vides + 3, 10_000):
                    flux.write("".join(
                        f'<row r="{r}" spans="1:3"><c r="A{r}" s="1"/><c r="B{r}" s="1"/><c r="C{r}" s="1"/></row>'
                        for r in range(bloc, min(bloc + 10_000, lignes_vides + 3))).encode())
                flux.write(xml[modele.end():].encode())


def csv_trop_gros(chemin: Path, taille_min: int) -> None:
    """A valid `projets` CSV (header and one row repeated) of more than `taille_min` bytes."""
    entete = csv_table("projets", [])
    ligne_ = csv_table("projets", [LIGNE_VALIDE["projets"]])[len(entete):]
    chemin.write_bytes(entete + ligne_ * (taille_min // len(ligne_) + 1))


def fabriquer_reels() -> None:
    if REELS.exists():
        for fichier in REELS.iterdir():
            if fichier.name != PROTEGE:
                fichier.unlink()

    # Excel error values computed by formulas (xlsxwriter writes the cached error as Excel does).
    chemin = REELS / "projets_erreurs_excel.xlsx"
    classeur = _classeur(chemin)
    f = classeur.add_worksheet("projets")
    _ecrire_lignes(f, _projets(*({"id_projet": f"P-10{i}"} for i in range(5))), None)
    f.write_formula(1, _colonne("investissement_eur"), "=NA()", None, "#N/A")
    f.write_formula(2, _colonne("emplois_prevus"), "=K1/0", None, "#DIV/0!")
    f.write_formula(3, _colonne("siren"), '="x"+1', None, "#VALUE!")
    f.write_formula(4, _colonne("date_decision"), "=VLOOKUP(A5,#REF!,2,FALSE)", None, "#REF!")
    f.write_formula(5, _colonne("commune"), "=_xlfn.RECHERCHEV(A6,A:B,2)", None, "#NAME?")
    classeur.close()

    # The same values exported to CSV by a French Excel: error values become text.
    ecrire(REELS / "projets_erreurs_excel_en_texte.csv", csv_table("projets", [
        ligne("projets", aide_demandee_eur="#N/A"),
        ligne("projets", id_projet="P-101", commune="#VALEUR!", emplois_crees="#DIV/0!"),
    ]))

    # Formulas with the values Excel computed and saved: imported, one warning for the sheet.
    chemin = REELS / "projets_formules_calculees.xlsx"
    classeur = _classeur(chemin)
    format_date = classeur.add_format({"num_format": "dd/mm/yyyy"})
    f = classeur.add_worksheet("projets")
    _ecrire_lignes(f, _projets({"id_projet": "P-100"}, {"id_projet": "P-101", "statut": "refuse"}), format_date)
    f.write_formula(1, _colonne("intitule"), '="Ligne d\'assemblage "&"de batteries"', None,
                    "Ligne d'assemblage de batteries")
    f.write_formula(1, _colonne("investissement_eur"), "=1000*1000", None, 1000000)
    f.write_formula(2, _colonne("investissement_eur"), "=J2*2", None, 2000000)
    f.write_formula(2, _colonne("emplois_prevus"), "=5*2", None, 10)
    f.write_formula(2, _colonne("date_decision"), "=DATE(2024,4,15)", format_date, 45397)
    classeur.close()

    # Formulas written by a program (openpyxl) and never computed: no value to import.
    import openpyxl

    classeur = openpyxl.Workbook()
    f = classeur.active
    f.title = "projets"
    for cellules in _projets({}):
        f.append(cellules)
    f.cell(row=2, column=_colonne("investissement_eur") + 1, value="=1000*1000")
    f.cell(row=2, column=_colonne("emplois_crees") + 1, value="=2+3")
    classeur.properties.creator = "fabriquer_corpus"
    classeur.properties.created = classeur.properties.modified = DATE_FIXE
    tampon = io.BytesIO()
    classeur.save(tampon)
    ecrire(REELS / "projets_formules_sans_valeur.xlsx", _zip_normalise(tampon.getvalue()))

    # A real password-protected workbook (Office agile encryption, salted: made only if absent).
    if not (REELS / PROTEGE).exists():
        import msoffcrypto.format.ooxml

        clair = io.BytesIO()
        classeur = _classeur(clair)
        _ecrire_lignes(classeur.add_worksheet("projets"), _projets({}), None)
        classeur.close()
        clair.seek(0)
        with open(REELS / PROTEGE, "wb") as sortie:
            msoffcrypto.format.ooxml.OOXMLFile(clair).encrypt(MOT_DE_PASSE, sortie)

    # A valid workbook cut in the middle (an interrupted download or e-mail attachment).
    complet = (VALIDES / "base_minimale.xlsx").read_bytes()
    ecrire(REELS / "classeur_corrompu.xlsx", complet[: len(complet) // 2])

    # A hidden `projets` sheet (imported, with a warning), a very hidden sheet of drop-down lists and a
    # visible summary sheet (unknown sheets: warnings).
    chemin = REELS / "projets_feuille_masquee.xlsx"
    classeur = _classeur(chemin)
    synthese = classeur.add_worksheet("Synthèse")
    synthese.write_string(0, 0, "Relève de juin 2024 : voir la feuille projets.")
    f = classeur.add_worksheet("projets")
    _ecrire_lignes(f, _projets({}), None)
    f.hide()
    listes = classeur.add_worksheet("Listes")
    _ecrire_lignes(listes, [["filiere"], ["automobile"], ["ferroviaire"], ["naval"]], None)
    listes.very_hidden()
    synthese.activate()
    classeur.close()

    # Merged group cells above the header row (header on row 2, data from row 3).
    chemin = REELS / "projets_entetes_fusionnes.xlsx"
    classeur = _classeur(chemin)
    groupe = classeur.add_format({"bold": True, "align": "center"})
    f = classeur.add_worksheet("projets")
    f.merge_range(0, 0, 0, 8, "Projet", groupe)
    f.merge_range(0, 9, 0, 14, "Financement (€)", groupe)
    f.merge_range(0, 15, 0, 17, "Décision et qualification", groupe)
    _ecrire_lignes(f, _projets({"emplois_crees": "5"}, {"id_projet": "P-101", "filiere": "naval"}), None, premiere=1)
    classeur.close()

    # Cells merged down a column: only the top cell holds the value, the others are empty.
    chemin = REELS / "projets_cellules_fusionnees_verticalement.xlsx"
    classeur = _classeur(chemin)
    f = classeur.add_worksheet("projets")
    vides = {"code_territoire": None, "filiere": None}
    _ecrire_lignes(f, _projets({"id_projet": "P-100"}, {"id_projet": "P-101", **vides},
                               {"id_projet": "P-102", **vides}), None)
    for colonne in ("code_territoire", "filiere"):
        f.merge_range(1, _colonne(colonne), 3, _colonne(colonne), LIGNE_VALIDE["projets"][colonne])
    classeur.close()

    # Windows-1252 with accents a naive UTF-8 reader breaks (é è ô ç « » – € œ Œ É, NBSP 0xA0).
    entetes = ["Id projet", "Code territoire", "Intitulé", "Entreprise", "SIREN", "Commune", "Filière",
               "Origine", "Statut", "Investissement EUR", "Emplois prévus", "Emplois créés",
               "Aide demandée EUR", "Subvention EUR", "Avance remboursable EUR", "Date décision",
               "Innovant", "Transition écologique"]
    ecrire(REELS / "projets_cp1252_lu_comme_utf8.csv", csv_octets([
        entetes,
        ["P-100", "douaisis", "Cœur de gamme : rénovation à 2 € près", "Hôtel-Dieu Façonnage & Œuvres",
         "552030967", "59178", "Aéronautique", "Exogène", "Priorisé", f"1{NBSP}500{NBSP}000,50 €", "12", "",
         f"300{NBSP}000 €", "", "", "", "Oui", "Non"],
        ["P-101", "douaisis", "Ligne « haute cadence » – phase 2", "Émaillerie Bôle", "", "", "Véhicules industriels et bus",
         "Endogène", "Identifié", "80 000", "3", "", "", "", "", "", "", "oui"],
    ], encodage="cp1252"))

    # UTF-8 with a BOM, every cell quoted (LibreOffice's "quote all text cells"), `;`.
    tampon = io.StringIO()
    csv.writer(tampon, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(
        [COLONNES["projets"], [ligne("projets", entreprise="Métallerie Éloïse")[c] for c in COLONNES["projets"]]])
    ecrire(REELS / "projets_bom_utf8.csv", b"\xef\xbb\xbf" + tampon.getvalue().encode("utf-8"))

    # Trailing and leading spaces, NBSP and narrow NBSP around headers, keys, enumerations, amounts,
    # codes and booleans. The second row updates P-002 of the base (its key written "P-002" + NBSP).
    entetes = [f"{c} " if i % 2 else f"{NBSP}{c}" for i, c in enumerate(COLONNES["projets"])]
    ecrire(REELS / "projets_espaces_en_fin.csv", csv_table("projets", [
        {**ligne("projets"), "id_projet": "P-100 ", "code_territoire": f"douaisis{NBSP}", "intitule": "  Presse  ",
         "siren": " 552030967 ", "commune": f"59178{NBSP}", "filiere": "automobile ", "origine": " Endogène",
         "statut": f"identifie{NNBSP}", "investissement_eur": f"1{NBSP}000{NBSP}000 € ", "emplois_prevus": "10 ",
         "aide_demandee_eur": f" 25 000,50{NBSP}", "innovant": "oui ", "transition_ecologique": f"{NBSP}Non"},
        {**P002, "id_projet": f"P-002{NBSP}", "statut": "Priorisé ", "emplois_prevus": " 20"},
    ], colonnes=COLONNES["projets"]).replace(";".join(COLONNES["projets"]).encode(), ";".join(entetes).encode()))

    # One date written four ways: text dd/mm/yyyy, text ISO, an Excel date cell, and its serial number
    # (44958) in a cell formatted as a number.
    chemin = REELS / "projets_dates_texte_et_nombres.xlsx"
    classeur = _classeur(chemin)
    format_date = classeur.add_format({"num_format": "dd/mm/yyyy"})
    format_nombre = classeur.add_format({"num_format": "0"})
    f = classeur.add_worksheet("projets")
    dates: list[object] = ["01/02/2023", "2023-02-01", date(2023, 2, 1), None]
    _ecrire_lignes(f, _projets(*({"id_projet": f"P-10{i}", "statut": "refuse", "date_decision": d}
                                 for i, d in enumerate(dates))), format_date)
    f.write_number(4, _colonne("date_decision"), 44958, format_nombre)
    classeur.close()

    # Dates that are not dates: 31 February, a small number, a date in words.
    chemin = REELS / "projets_dates_invalides.xlsx"
    classeur = _classeur(chemin)
    f = classeur.add_worksheet("projets")
    invalides: list[object] = ["31/02/2023", 3, "1er février 2023"]
    _ecrire_lignes(f, _projets(*({"id_projet": f"P-10{i}", "statut": "refuse", "date_decision": d}
                                 for i, d in enumerate(invalides))), None)
    classeur.close()

    # A negative amount typed as a number, an amount typed "12 k€", a negative amount typed as text.
    chemin = REELS / "projets_montants_negatif_et_k_euros.xlsx"
    classeur = _classeur(chemin)
    _ecrire_lignes(classeur.add_worksheet("projets"), _projets(
        {"investissement_eur": -5000},
        {"id_projet": "P-101", "investissement_eur": "12 k€"},
        {"id_projet": "P-102", "aide_demandee_eur": "-5 000,00 €"},
    ), None)
    classeur.close()

    # Excel's "sep=;" hint line above the header (header on row 2, data from row 3).
    ecrire(REELS / "projets_ligne_sep_excel.csv", b"sep=;\r\n" + csv_table("projets", [
        ligne("projets"), ligne("projets", id_projet="P-101", statut="depose", emplois_crees="4")]))

    # Excel's "Unicode text" export: UTF-16 LE with a BOM, tab-separated; the contract reads only UTF-8
    # and Windows-1252.
    texte_unicode = "\r\n".join("\t".join(l) for l in [COLONNES["projets"],
                                                       [LIGNE_VALIDE["projets"][c] for c in COLONNES["projets"]]])
    ecrire(REELS / "projets_texte_unicode_utf16.csv", "\ufeff".encode("utf-16-le") + texte_unicode.encode("utf-16-le"))

    # A workbook whose zip is intact but whose sheet XML stops in the middle of the rows.
    tampon = io.BytesIO()
    classeur = _classeur(tampon)
    _ecrire_lignes(classeur.add_worksheet("projets"),
                   _projets(*({"id_projet": f"P-1{i:02d}"} for i in range(20))), None)
    classeur.close()
    source = zipfile.ZipFile(io.BytesIO(tampon.getvalue()))
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                donnees = donnees[: donnees.index(b'<row r="12"') + 30]
            archive.writestr(info, donnees)
    ecrire(REELS / "classeur_feuille_xml_tronquee.xlsx", sortie.getvalue())

    # Two empty rows above the table (header on row 3): errors keep the spreadsheet's row numbers.
    chemin = REELS / "projets_lignes_vides_au_dessus_entete.xlsx"
    classeur = _classeur(chemin)
    f = classeur.add_worksheet("projets")
    _ecrire_lignes(f, _projets({"siren": "552030968"}, {"id_projet": "P-101"}), None, premiere=2)
    f.write_formula(4, _colonne("commune"), "=NA()", None, "#N/A")
    classeur.close()

    # A table that starts in column C: a cached formula in L2 (investissement_eur), #N/A in G3 (siren).
    chemin = REELS / "projets_tableau_en_colonne_c.xlsx"
    classeur = _classeur(chemin)
    f = classeur.add_worksheet("projets")
    for i, cellules in enumerate(_projets({}, {"id_projet": "P-101"})):
        for j, valeur in enumerate(cellules):
            if valeur not in (None, ""):
                f.write_string(i, j + 2, str(valeur))
    f.write_formula(1, _colonne("investissement_eur") + 2, "=1000*1000", None, 1000000)
    f.write_formula(2, _colonne("siren") + 2, "=NA()", None, "#N/A")
    classeur.close()

    # Excel's "Move or copy → Create a copy" leaves an older `projets (2)` sheet next to `projets`.
    chemin = REELS / "classeur_feuille_projets_copiee.xlsx"
    classeur = _classeur(chemin)
    _ecrire_lignes(classeur.add_worksheet("projets"), _projets({}), None)
    _ecrire_lignes(classeur.add_worksheet("projets (2)"), _projets({"intitule": "Ancien intitulé"}), None)
    classeur.close()

    # A workbook in the 1904 date system (old Mac Excel): the date cell still means 1 February 2023.
    chemin = REELS / "projets_dates_systeme_1904.xlsx"
    classeur = _classeur(chemin, date_1904=True)
    _ecrire_lignes(classeur.add_worksheet("projets"), _projets(
        {"statut": "refuse", "date_decision": date(2023, 2, 1)}), classeur.add_format({"num_format": "dd/mm/yyyy"}))
    classeur.close()

    # Codes typed as numbers lose their leading zero: commune 01053 → 1053, SIREN 055203095 → 55203095.
    chemin = REELS / "projets_codes_sans_zero_initial.xlsx"
    classeur = _classeur(chemin)
    _ecrire_lignes(classeur.add_worksheet("projets"), _projets({"commune": 1053, "siren": 55203095}), None)
    classeur.close()

    # A text cell on two lines (Alt+Entrée) in a CSV: the next record is still spreadsheet row 3.
    ecrire(REELS / "projets_texte_sur_plusieurs_lignes.csv", csv_table("projets", [
        ligne("projets", intitule="Ligne d'assemblage\r\nde batteries (phase 1)"),
        ligne("projets", id_projet="P-101", siren="552030968"),
    ]))


def main() -> None:
    for dossier in (VALIDES, DEFAUTS):
        shutil.rmtree(dossier, ignore_errors=True)
    fabriquer_valides()
    fabriquer_defauts()
    fabriquer_reels()


if __name__ == "__main__":
    main()
