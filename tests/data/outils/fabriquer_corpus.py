"""Fabrique le corpus de fichiers de relève des tests du contrat d'import (déterministe).

- tests/data/valides/ : la base minimale (base_minimale.xlsx) et des fichiers valides mais « laids »
  (encodages, séparateurs, libellés, titres fusionnés, dates Excel…) qui doivent s'importer ;
- tests/data/defauts/ : un fichier par règle et par convention de cellule du contrat, nommé d'après
  son défaut. Un fichier CSV porte sa table en préfixe (`projets_montant_en_k_euros.csv`), car le
  contrat nomme la table d'un CSV par le début du nom du fichier.

Chaque fichier défectueux part d'une ligne valide pour une base où base_minimale.xlsx a été importé
(territoire `douaisis`, projets P-001 et P-002, site S-001) et n'y change qu'une chose.
Le rapport attendu de chaque fichier est écrit à la main dans tests/test_contrat_import.py.

Usage : python tests/data/outils/fabriquer_corpus.py
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

DONNEES = Path(__file__).resolve().parent.parent
VALIDES = DONNEES / "valides"
DEFAUTS = DONNEES / "defauts"
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


def main() -> None:
    for dossier in (VALIDES, DEFAUTS):
        shutil.rmtree(dossier, ignore_errors=True)
    fabriquer_valides()
    fabriquer_defauts()


if __name__ == "__main__":
    main()
