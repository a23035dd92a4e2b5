"""The import contract (shared/spec/classeur-releve.md), file by file, through the command line.

Files come from tests/data/outils/fabriquer_corpus.py. Defective files are imported into a base holding
tests/data/valides/base_minimale.xlsx (territory `douaisis` of relève 3, projects P-001 (accordé,
500 000 € of aid) and P-002, site S-001). The expected reports below are written by hand from the
contract: (feuille, ligne, colonne, code, niveau), spreadsheet row numbers with the header on row 1.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rebond_core.config import CLASSEUR_DEMO, RACINE
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from tests.data.outils import fabriquer_corpus
from tests.data.outils.exporter_csv_excel_fr import exporter
from tests.data.outils.fabriquer_corpus import APRES_VERSEMENTS
from tests.outils.bases import TABLES_DONNEES, copie_de, requete, vidage
from tests.outils.contrat import (
    DEFAUTS,
    DONNEES,
    VALIDES,
    A,
    E,
    commande,
    derniers_comptes,
    importer_json,
    positions,
    projets,
    territoire,
    verifier_import,
)

D = Decimal


def vidage_complet(chemin: Path) -> dict:
    """`vidage` plus every row of `versements` (contract 2), history included."""
    return {**vidage(chemin), "versements": requete(chemin, "select * from versements order by all")}


# ---------------------------------------------------------------------------------------------------
# One defective file per rule and cell convention: (file(s), exit status, expected report).

P, T, R, S = "projets", "territoires", "releves", "sites"
CAS_DEFAUTS = [
    # Amounts
    ("projets_montant_en_k_euros.csv", 1, [(P, 2, "investissement_eur", "montant-invalide", E)]),
    ("projets_montant_en_millions.csv", 1, [(P, 2, "investissement_eur", "montant-invalide", E)]),
    ("projets_montant_milliers_virgule.csv", 1, [(P, 2, "investissement_eur", "montant-invalide", E)]),
    ("projets_montant_milliers_point.csv", 1, [(P, 2, "investissement_eur", "montant-invalide", E)]),
    ("projets_montant_trois_decimales.csv", 1, [(P, 2, "investissement_eur", "montant-decimales", E)]),
    ("projets_montant_negatif.csv", 1, [(P, 2, "investissement_eur", "valeur-negative", E)]),
    ("projets_montant_obligatoire_vide.csv", 1, [(P, 2, "investissement_eur", "valeur-manquante", E)]),
    ("territoires_cout_mission_manquant.csv", 1, [(T, 2, "cout_mission_eur", "valeur-manquante", E)]),
    ("territoires_enveloppe_negative.csv", 1, [(T, 2, "enveloppe_aides_eur", "valeur-negative", E)]),
    # Integers
    ("projets_entier_decimal.csv", 1, [(P, 2, "emplois_prevus", "entier-invalide", E)]),
    ("projets_entier_texte.csv", 1, [(P, 2, "emplois_prevus", "entier-invalide", E)]),
    ("projets_entier_negatif.csv", 1, [(P, 2, "emplois_crees", "valeur-negative", E)]),
    ("territoires_industriels_negatif.csv", 1, [(T, 2, "industriels_rencontres", "valeur-negative", E)]),
    ("releves_numero_zero.csv", 1, [(R, 2, "numero", "valeur-trop-petite", E)]),
    # Text
    ("projets_texte_obligatoire_blanc.csv", 1, [(P, 2, "intitule", "valeur-manquante", E)]),
    ("projets_id_projet_trop_long.csv", 1, [(P, 2, "id_projet", "texte-trop-long", E)]),
    ("territoires_nom_manquant.csv", 1, [(T, 2, "nom", "valeur-manquante", E)]),
    ("territoires_code_territoire_majuscules.csv", 1, [(T, 2, "code_territoire", "format-invalide", E)]),
    ("territoires_code_territoire_trop_court.csv", 1, [(T, 2, "code_territoire", "format-invalide", E)]),
    # Codes checked against the referential
    ("projets_siren_cle_fausse.csv", 1, [(P, 2, "siren", "siren-invalide", E)]),
    ("projets_siren_huit_chiffres.csv", 1, [(P, 2, "siren", "format-invalide", E)]),
    ("projets_commune_inconnue.csv", 1, [(P, 2, "commune", "commune-inconnue", E)]),
    ("projets_commune_six_chiffres.csv", 1, [(P, 2, "commune", "format-invalide", E)]),
    ("sites_commune_inconnue_site.csv", 1, [(S, 2, "commune", "commune-inconnue", E)]),
    ("region_inconnue.xlsx", 1, [(T, 2, "region", "region-inconnue", E)]),
    ("territoires_region_format_invalide.csv", 1, [(T, 2, "region", "format-invalide", E)]),
    ("territoires_epci_inconnu.csv", 1, [(T, 2, "epci", "epci-inconnu", E)]),
    ("territoires_epci_mal_forme.csv", 1, [(T, 2, "epci", "format-invalide", E)]),
    # Lists: ',' is a separator only inside an XLSX cell.
    ("territoires_epci_virgule_dans_csv.csv", 1, [(T, 2, "epci", "format-invalide", E)]),
    ("territoires_filieres_vides.csv", 1, [(T, 2, "filieres", "valeur-manquante", E)]),
    ("filiere_hors_transport_territoire.xlsx", 1, [(T, 2, "filieres", "filiere-interdite", E)]),
    # Enumerations
    ("projets_filiere_inconnue.csv", 1, [(P, 2, "filiere", "valeur-inconnue", E)]),
    ("projets_origine_inconnue.csv", 1, [(P, 2, "origine", "valeur-inconnue", E)]),
    ("projets_statut_inconnu.csv", 1, [(P, 2, "statut", "valeur-inconnue", E)]),
    ("projets_statut_vide.csv", 1, [(P, 2, "statut", "valeur-manquante", E)]),
    ("territoires_statut_mission_inconnu.csv", 1, [(T, 2, "statut_mission", "valeur-inconnue", E)]),
    ("sites_type_foncier_inconnu.csv", 1, [(S, 2, "type_foncier", "valeur-inconnue", E)]),
    ("sites_maitrise_fonciere_inconnue.csv", 1, [(S, 2, "maitrise_fonciere", "valeur-inconnue", E)]),
    # Dates and booleans
    ("projets_date_inexistante.csv", 1, [(P, 2, "date_decision", "date-invalide", E)]),
    ("projets_date_mois_jour_inverses.csv", 1, [(P, 2, "date_decision", "date-invalide", E)]),
    ("date_invalide.xlsx", 1, [(P, 2, "date_decision", "date-invalide", E)]),
    ("releves_date_limite_invalide.csv", 1, [(R, 2, "date_limite", "date-invalide", E)]),
    ("releves_date_limite_manquante.csv", 1, [(R, 2, "date_limite", "valeur-manquante", E)]),
    ("projets_booleen_invalide.csv", 1, [(P, 2, "innovant", "booleen-invalide", E)]),
    # Sites
    ("sites_surface_nulle.csv", 1, [(S, 2, "surface_ha", "valeur-non-positive", E)]),
    ("sites_surface_negative.csv", 1, [(S, 2, "surface_ha", "valeur-non-positive", E)]),
    ("sites_surface_texte.csv", 1, [(S, 2, "surface_ha", "nombre-invalide", E)]),
    ("sites_score_hors_bornes.csv", 1, [(S, 2, "score_energie", "valeur-trop-grande", E)]),
    ("sites_score_negatif.csv", 1, [(S, 2, "score_energie", "valeur-trop-petite", E)]),
    ("sites_score_decimal.csv", 1, [(S, 2, "score_energie", "entier-invalide", E)]),
    ("sites_disponibilite_hors_bornes.csv", 1, [(S, 2, "disponibilite", "valeur-trop-grande", E)]),
    # Headers
    ("projets_colonne_obligatoire_manquante.csv", 1, [(P, 1, "entreprise", "colonne-manquante", E)]),
    ("projets_colonne_inconnue.csv", 0, [(P, 1, "Commentaire", "colonne-inconnue", A)]),
    ("projets_colonne_dupliquee.csv", 1, [(P, 1, "intitule", "colonne-dupliquee", E)]),
    # Relèves
    ("releves_annonce_avant_limite.csv", 1, [(R, 2, "date_annonce", "annonce-avant-limite", E)]),
    ("releves_date_limite_inhabituelle.csv", 0, [(R, 2, "date_limite", "date-limite-inhabituelle", A)]),
    # Territories: relève must exist, dates of the mission
    ("territoires_releve_inconnue.csv", 1, [(T, 2, "releve", "releve-inconnue", E)]),
    ("date_fin_avant_debut.xlsx", 1, [(T, 2, "date_fin_mission", "date-fin-avant-debut", E)]),
    # Rule 1: keys unique within one import (all its files together)
    ("cle_dupliquee.xlsx", 1, [(P, 3, "id_projet", "cle-dupliquee", E)]),
    pytest.param(
        "releves_cle_dupliquee_entier_decimal.csv",
        1,
        [(R, 3, "numero", "cle-dupliquee", E)],
        id="releves_cle_dupliquee_entier_decimal.csv",
    ),
    (
        ("cle_dupliquee_entre_fichiers/projets_a.csv", "cle_dupliquee_entre_fichiers/projets_b.csv"),
        1,
        [(P, 3, "id_projet", "cle-dupliquee", E)],
    ),
    # Rule 2
    ("projets_aide_sur_projet_non_accorde.csv", 1, [(P, 2, "subvention_eur", "aide-hors-accord", E)]),
    pytest.param(
        "projets_avance_sur_projet_refuse.csv",
        1,
        [(P, 2, "avance_remboursable_eur", "aide-hors-accord", E)],
        id="projets_avance_sur_projet_refuse.csv",
    ),
    ("projets_date_decision_manquante.csv", 1, [(P, 2, "date_decision", "date-decision-manquante", E)]),
    ("projets_date_decision_manquante_refuse.csv", 1, [(P, 2, "date_decision", "date-decision-manquante", E)]),
    # Rule 3 (warning)
    ("projets_emplois_crees_hors_accord.csv", 0, [(P, 2, "emplois_crees", "emplois-crees-hors-accord", A)]),
    # Rule 4 (warning): through a new accorded project, and through a lowered envelope
    ("depassement_enveloppe.xlsx", 0, [(P, 2, "subvention_eur", "depassement-enveloppe", A)]),
    ("territoires_enveloppe_reduite.csv", 0, [(T, 2, "enveloppe_aides_eur", "depassement-enveloppe", A)]),
    # Rule 5 (warning); 95 M€ in douaisis also exceeds its own envelope (rule 4)
    (
        "projets_depassement_90_millions.csv",
        0,
        [(P, None, "subvention_eur", "depassement-aides", A), (P, 2, "subvention_eur", "depassement-enveloppe", A)],
    ),
    ("territoires_depassement_10_millions.csv", 0, [(T, None, "cout_mission_eur", "depassement-ingenierie", A)]),
    # Rule 6 (warning)
    ("projets_aide_superieure_demande.csv", 0, [(P, 2, "subvention_eur", "aide-superieure-demande", A)]),
    # Rule 7
    ("mission_avant_releve.xlsx", 1, [(T, 2, "date_debut_mission", "mission-avant-releve", E)]),
    # Rule 8
    pytest.param(
        "projets_territoire_inconnu.csv",
        1,
        [(P, 2, "code_territoire", "territoire-inconnu", E)],
        id="projets_territoire_inconnu.csv",
    ),
    pytest.param(
        "sites_territoire_inconnu_site.csv",
        1,
        [(S, 2, "code_territoire", "territoire-inconnu", E)],
        id="sites_territoire_inconnu_site.csv",
    ),
    # ... a territory present in the file on an invalid row is not "absent from file and base"
    ("territoire_invalide_et_projet.xlsx", 1, [(T, 2, "region", "region-inconnue", E)]),
    # Rule 9
    (
        "aucune_table_reconnue.xlsx",
        1,
        [(None, None, None, "aucune-table", E), ("Feuil1", None, None, "feuille-inconnue", A)],
    ),
    (
        "sans_nom_de_table.csv",
        1,
        [(None, None, None, "aucune-table", E), ("sans_nom_de_table.csv", None, None, "feuille-inconnue", A)],
    ),
    ("projets_aucune_ligne.csv", 1, [(None, None, None, "aucune-ligne", E)]),
    ("aucune_ligne.xlsx", 1, [(None, None, None, "aucune-ligne", E)]),
    # Row numbers are the spreadsheet's, under a merged title row
    ("titre_fusionne_montant_invalide.xlsx", 1, [(P, 4, "investissement_eur", "montant-invalide", E)]),
    # Every error is reported, not only the first
    (
        "territoires_plusieurs_erreurs.csv",
        1,
        [
            (T, 2, "epci", "format-invalide", E),
            (T, 2, "region", "region-inconnue", E),
            (T, 3, "releve", "releve-inconnue", E),
            (T, 4, "date_fin_mission", "date-fin-avant-debut", E),
        ],
    ),
    pytest.param(
        "projets_plusieurs_erreurs.csv",
        1,
        [
            (P, 2, "investissement_eur", "montant-invalide", E),
            (P, 2, "siren", "siren-invalide", E),
            (P, 3, "subvention_eur", "aide-hors-accord", E),
            (P, 4, "code_territoire", "territoire-inconnu", E),
        ],
        id="projets_plusieurs_erreurs.csv",
    ),
]

# Contract 2 (November 2026): the `date_statut` column of `projets`, the `versements` sheet and rules 10 to 12.
# P-001 of the minimal base is accordé on 15/03/2024 with a 300 000 € grant and a 200 000 € advance; P-002
# is only identifié.
V = "versements"
CAS_DEFAUTS += [
    # Cells of projets.date_statut
    ("projets_date_statut_inexistante.csv", 1, [(P, 2, "date_statut", "date-invalide", E)]),
    ("projets_date_statut_hors_bornes.csv", 1, [(P, 2, "date_statut", "date-hors-bornes", E)]),
    # Cells of versements: amount > 0 and below 10^12 €, at most 2 decimals
    ("versements_montant_nul.csv", 1, [(V, 2, "montant_eur", "valeur-non-positive", E)]),
    ("versements_montant_negatif.csv", 1, [(V, 2, "montant_eur", "valeur-non-positive", E)]),
    ("versements_montant_vide.csv", 1, [(V, 2, "montant_eur", "valeur-manquante", E)]),
    ("versements_montant_en_k_euros.csv", 1, [(V, 2, "montant_eur", "montant-invalide", E)]),
    ("versements_montant_trop_grand.csv", 1, [(V, 2, "montant_eur", "montant-trop-grand", E)]),
    ("versements_montant_trois_decimales.csv", 1, [(V, 2, "montant_eur", "montant-decimales", E)]),
    # ... dates between 01/01/1900 and 31/12/2100
    ("versements_date_manquante.csv", 1, [(V, 2, "date", "valeur-manquante", E)]),
    ("versements_date_inexistante.csv", 1, [(V, 2, "date", "date-invalide", E)]),
    ("versements_date_hors_bornes.csv", 1, [(V, 2, "date", "date-hors-bornes", E)]),
    # ... the nature, an enumeration
    ("versements_nature_inconnue.csv", 1, [(V, 2, "nature", "valeur-inconnue", E)]),
    ("versements_nature_vide.csv", 1, [(V, 2, "nature", "valeur-manquante", E)]),
    # ... keys and references (rule 1: ≤ 40 characters, no invisible character)
    ("versements_id_versement_trop_long.csv", 1, [(V, 2, "id_versement", "texte-trop-long", E)]),
    ("versements_id_versement_espace_sans_chasse.csv", 1, [(V, 2, "id_versement", "cle-caractere-invisible", E)]),
    ("versements_id_versement_vide.csv", 1, [(V, 2, "id_versement", "valeur-manquante", E)]),
    ("versements_id_projet_vide.csv", 1, [(V, 2, "id_projet", "valeur-manquante", E)]),
    ("versements_colonne_montant_manquante.csv", 1, [(V, 1, "montant_eur", "colonne-manquante", E)]),
    ("versements_cle_dupliquee_casse.csv", 1, [(V, 3, "id_versement", "cle-dupliquee", E)]),
    # Rule 10: the project exists (file or base) and is accordé for a payment of aid
    ("versements_projet_inconnu.csv", 1, [(V, 2, "id_projet", "projet-inconnu", E)]),
    ("versements_subvention_sur_projet_non_accorde.csv", 1, [(V, 2, "id_projet", "versement-hors-accord", E)]),
    ("versements_avance_sur_projet_non_accorde.csv", 1, [(V, 2, "id_projet", "versement-hors-accord", E)]),
    # ... P-100 is added by the same file (identifié), the payment names it `p-100`
    ("versement_sur_projet_du_fichier_non_accorde.xlsx", 1, [(V, 2, "id_projet", "versement-hors-accord", E)]),
    # ... a project of the file whose row is invalid is not "absent": only its own error
    ("versement_sur_projet_invalide_du_fichier.xlsx", 1, [(P, 2, "siren", "siren-invalide", E)]),
    # Rule 11: grant paid ≤ grant decided, advance paid ≤ advance decided, repayments ≤ advance paid
    (
        "versements_subvention_au_dela_de_la_decision.csv",
        1,
        [(V, 2, "montant_eur", "versements-subvention-depassee", E)],
    ),
    ("versements_avance_au_dela_de_la_decision.csv", 1, [(V, 2, "montant_eur", "versements-avance-depassee", E)]),
    (
        "versements_remboursement_sans_avance.csv",
        1,
        [(V, 2, "montant_eur", "remboursements-depassent-avances", E)],
    ),
    # ... reported on the row with which the sum passes the ceiling: 200 000 + 100 000 = 300 000, then 450 000
    (
        "subventions_cumulees_au_dela_de_la_decision.xlsx",
        1,
        [(V, 4, "montant_eur", "versements-subvention-depassee", E)],
    ),
    # ... 100 000 € of advance paid, 60 000 then 120 000 € repaid
    ("remboursements_au_dela_des_avances.xlsx", 1, [(V, 4, "montant_eur", "remboursements-depassent-avances", E)]),
    # Rule 12 (warnings): before the decision (15/03/2024), after the day of the import
    ("versements_avant_la_decision.csv", 0, [(V, 2, "date", "versement-avant-decision", A)]),
    ("versements_apres_le_jour_de_l_import.csv", 0, [(V, 2, "date", "versement-futur", A)]),
    # Every error of the sheet, rows refused for a cell included: 350 000 € on P-001 (rows 2 and 3 refused)
    (
        "versements_plusieurs_erreurs.csv",
        1,
        [
            (V, 2, "montant_eur", "valeur-non-positive", E),
            (V, 2, "id_projet", "projet-inconnu", E),
            (V, 3, "nature", "valeur-inconnue", E),
            (V, 4, "id_projet", "versement-hors-accord", E),
            (V, 5, "montant_eur", "versements-subvention-depassee", E),
        ],
    ),
]

# Defects against a base that already holds the payments of valides/contrat2_versements.xlsx: on P-001,
# 150 000 € of grant and 100 000 € of advance paid, 20 000,50 € repaid.
CAS_APRES_VERSEMENTS = [
    # Rule 10 from the project's side: a paid project cannot leave `accorde` (its kept emplois_crees: rule 3)
    (
        "projets_abandon_du_projet_verse.csv",
        1,
        [(P, 2, "statut", "projet-verse-non-accorde", E), (P, 2, "emplois_crees", "emplois-crees-hors-accord", A)],
    ),
    # Rule 11 through the project's row: the grant lowered below what was paid
    (
        "projets_subvention_reduite_sous_les_versements.csv",
        1,
        [(P, 2, "subvention_eur", "versements-subvention-depassee", E)],
    ),
    # Rule 11 with stored payments: 20 000,50 + 80 000 > 100 000; the advance lowered below the repayments
    (
        "versements_remboursement_au_dela_des_avances.csv",
        1,
        [(V, 2, "montant_eur", "remboursements-depassent-avances", E)],
    ),
    (
        "versements_avance_reduite_sous_les_remboursements.csv",
        1,
        [(V, 2, "montant_eur", "remboursements-depassent-avances", E)],
    ),
    # Rule 10: a stored payment moved to a project that is not accordé
    ("versements_deplace_vers_projet_non_accorde.csv", 1, [(V, 2, "id_projet", "versement-hors-accord", E)]),
]

ILLISIBLES = ["fichier_vide.csv", "texte_renomme.xlsx", "binaire.csv", "zip_tronque.xlsx", "xls_97_2003.xlsx"]


def _id(cas) -> str:
    return cas if isinstance(cas, str) else "+".join(Path(c).name for c in cas)


def _fichiers(cas) -> list[Path]:
    return [DEFAUTS / c for c in ((cas,) if isinstance(cas, str) else cas)]


@pytest.mark.parametrize(
    ("fichiers", "statut", "attendu"),
    CAS_DEFAUTS,
    ids=[c.id if hasattr(c, "id") and c.id else _id(c[0]) for c in CAS_DEFAUTS],
)
def test_fichier_defectueux(capsys, chemin_base_minimale, contenu_base_minimale, fichiers, statut, attendu):
    verifier_import(capsys, chemin_base_minimale, _fichiers(fichiers), statut, attendu, contenu_base_minimale)
    if statut == 1:  # the payments too (vidage covers the tables of contract 1)
        assert requete(chemin_base_minimale, "select count(*) from versements") == [(0,)]


@pytest.fixture(scope="module")
def modele_base_versements(modele_base_minimale, tmp_path_factory) -> Path:
    """The minimal base plus valides/contrat2_versements.xlsx (version 2)."""
    chemin = copie_de(modele_base_minimale, tmp_path_factory.mktemp("versements"), "versements.duckdb")
    base = Base.ouvrir(chemin)
    try:
        resultat = importer(base, [VALIDES / "contrat2_versements.xlsx"], "tests")
        assert resultat.rapport.problemes == [] and resultat.version == 2
    finally:
        base.fermer()
    return chemin


@pytest.mark.parametrize(
    ("fichier", "statut", "attendu"), CAS_APRES_VERSEMENTS, ids=[c[0] for c in CAS_APRES_VERSEMENTS]
)
def test_fichier_defectueux_apres_versements(capsys, modele_base_versements, tmp_path, fichier, statut, attendu):
    chemin = copie_de(modele_base_versements, tmp_path)
    avant = vidage_complet(chemin)
    code, problemes = importer_json(capsys, chemin, DEFAUTS / APRES_VERSEMENTS / fichier)
    assert positions(problemes) == sorted(attendu, key=repr)
    assert all(p["message"].strip() for p in problemes)
    assert code == statut
    assert vidage_complet(chemin) == avant, "un import refusé ne doit rien écrire"


@pytest.mark.parametrize("fichier", ILLISIBLES)
def test_fichier_illisible(capsys, chemin_base_minimale, contenu_base_minimale, fichier):
    code, sortie, erreur = commande(capsys, "importer", DEFAUTS / fichier, "--json", "--db", chemin_base_minimale)
    assert code == 2
    assert fichier in erreur and erreur.strip()
    assert vidage(chemin_base_minimale) == contenu_base_minimale


def test_corpus_complet():
    """Every file of tests/data/defauts/ is named in a table above."""
    nommes = set(ILLISIBLES) | {f"{APRES_VERSEMENTS}/{cas[0]}" for cas in CAS_APRES_VERSEMENTS}
    for cas in CAS_DEFAUTS:
        valeurs = cas.values if hasattr(cas, "values") else cas
        nommes.update((valeurs[0],) if isinstance(valeurs[0], str) else valeurs[0])
    presents = {str(p.relative_to(DEFAUTS)) for p in DEFAUTS.rglob("*") if p.is_file()}
    assert presents == nommes


def test_corpus_a_jour(tmp_path):
    """The committed files are exactly what the generator writes, no more, no fewer."""
    copie = tmp_path / "data"
    anciens = (fabriquer_corpus.VALIDES, fabriquer_corpus.DEFAUTS)
    fabriquer_corpus.VALIDES, fabriquer_corpus.DEFAUTS = copie / "valides", copie / "defauts"
    try:
        fabriquer_corpus.fabriquer_valides()
        fabriquer_corpus.fabriquer_defauts()
    finally:
        fabriquer_corpus.VALIDES, fabriquer_corpus.DEFAUTS = anciens
    for dossier in ("valides", "defauts"):
        commis = {p.relative_to(DONNEES / dossier) for p in (DONNEES / dossier).rglob("*") if p.is_file()}
        regeneres = {p.relative_to(copie / dossier) for p in (copie / dossier).rglob("*") if p.is_file()}
        assert regeneres == commis, dossier
        for fichier in commis:
            assert (copie / dossier / fichier).read_bytes() == (DONNEES / dossier / fichier).read_bytes(), fichier


# ---------------------------------------------------------------------------------------------------
# The command line: human report, re-import, simulation, subprocess


def test_rapport_lisible_nomme_feuille_ligne_colonne(capsys, chemin_base_minimale):
    code, sortie, _ = commande(
        capsys, "importer", DEFAUTS / "territoires_plusieurs_erreurs.csv", "--db", chemin_base_minimale
    )
    assert code == 1
    erreurs = [ligne for ligne in sortie.splitlines() if ligne.startswith("ERREUR")]
    assert len(erreurs) == 4
    attendus = [
        "feuille territoires, ligne 2, colonne epci",
        "feuille territoires, ligne 2, colonne region",
        "feuille territoires, ligne 3, colonne releve",
        "feuille territoires, ligne 4, colonne date_fin_mission",
    ]
    for attendu in attendus:
        assert sum(attendu in ligne for ligne in erreurs) == 1, attendu
    assert "« 99 »" in sortie and "« 42 »" in sortie  # the value found
    assert "Rien n'a été écrit" in sortie


@pytest.mark.parametrize(
    "fichier",
    [
        "cle_dupliquee.xlsx",
        "mission_avant_releve.xlsx",
        "projets_aide_sur_projet_non_accorde.csv",
        "releves_annonce_avant_limite.csv",
        "sites_score_hors_bornes.csv",
        "projets_colonne_dupliquee.csv",
    ],
)
def test_chaque_ligne_d_erreur_nomme_sa_position(capsys, chemin_base_minimale, fichier):
    code, sortie, _ = commande(capsys, "importer", DEFAUTS / fichier, "--db", chemin_base_minimale)
    erreurs = [ligne for ligne in sortie.splitlines() if ligne.startswith("ERREUR")]
    assert code == 1 and erreurs
    for ligne in erreurs:
        assert re.search(r"feuille \w+, ligne \d+, colonne \w+", ligne), ligne


def test_reimport_identique_ne_cree_pas_de_version(capsys, chemin_base_minimale, contenu_base_minimale):
    code, problemes = importer_json(capsys, chemin_base_minimale, VALIDES / "base_minimale.xlsx")
    assert (code, problemes) == (0, [])
    assert vidage(chemin_base_minimale) == contenu_base_minimale
    code, sortie, _ = commande(capsys, "importer", VALIDES / "base_minimale.xlsx", "--db", chemin_base_minimale)
    assert code == 0 and "Aucune version créée" in sortie


def test_simulation_n_ecrit_rien(capsys, chemin_base_minimale, contenu_base_minimale):
    code, sortie, _ = commande(
        capsys, "importer", VALIDES / "projets_mise_a_jour.csv", "--simulation", "--db", chemin_base_minimale
    )
    assert code == 0
    assert "projets ligne 2 : P-002, statut : identifie → priorise" in sortie
    assert "Simulation" in sortie
    assert vidage(chemin_base_minimale) == contenu_base_minimale


def _sous_processus(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "rebond_core", *map(str, args)],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sous_processus(chemin_base_minimale, contenu_base_minimale):
    refuse = _sous_processus(
        "importer", DEFAUTS / "projets_siren_cle_fausse.csv", "--json", "--db", chemin_base_minimale
    )
    assert refuse.returncode == 1
    assert positions(json.loads(refuse.stdout)) == [(P, 2, "siren", "siren-invalide", E)]
    vide = _sous_processus("importer", DEFAUTS / "fichier_vide.csv", "--db", chemin_base_minimale)
    assert vide.returncode == 2 and "vide" in vide.stderr
    assert vidage(chemin_base_minimale) == contenu_base_minimale
    # --db accepted anywhere after the command
    ok = _sous_processus("importer", "--db", chemin_base_minimale, VALIDES / "projets_excel_fr.csv", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout) == []
    assert len(vidage(chemin_base_minimale)["versions"]) == 2


# ---------------------------------------------------------------------------------------------------
# Valid but ugly files: they import, and the stored values are the ones written by hand.


def importer_valide(capsys, chemin: Path, *fichiers: str, attendu: list[tuple] = ()) -> dict:
    code, problemes = importer_json(capsys, chemin, *(VALIDES / f for f in fichiers))
    assert positions(problemes) == sorted(attendu, key=repr)
    assert code == 0
    return derniers_comptes(chemin)


def test_csv_excel_francais_windows_1252(capsys, chemin_base_minimale):
    """`;`, Windows-1252, decimal commas, NBSP thousands, dd/mm/yyyy, labels, accented capitalised headers."""
    assert importer_valide(capsys, chemin_base_minimale, "projets_excel_fr.csv") == {
        "projets": {"ajoutees": 2, "modifiees": 0}
    }
    assert projets(chemin_base_minimale, "P-300", "P-301") == [
        (
            "P-300",
            "douaisis",
            "Atelier de rétrofit",
            "Rétrofit Nord",
            "732829320",
            "59350",
            "vehicules_industriels",
            "exogene",
            "accorde",
            D("2500000.50"),
            35,
            None,
            D("400000.00"),
            D("150000.25"),
            D("200000.75"),
            date(2024, 3, 15),
            True,
            False,
        ),
        (
            "P-301",
            "douaisis",
            "Vélos cargos",
            "Cycles Hénin",
            None,
            None,
            "mobilites_legeres",
            "endogene",
            "priorise",
            D("750000.50"),
            8,
            None,
            D("120000.00"),
            D("0.00"),
            D("0.00"),
            None,
            False,
            True,
        ),
    ]


def test_csv_virgule_utf8_bom(capsys, chemin_base_minimale):
    importer_valide(capsys, chemin_base_minimale, "territoires_bom_virgule.csv")
    assert territoire(chemin_base_minimale, "lille-metropole") == (
        "lille-metropole",
        "Métropole lilloise",
        4,
        "32",
        ["200093201"],
        ["aeronautique", "naval"],
        "en_cours",
        date(2023, 10, 15),
        date(2024, 12, 31),
        "Cabinet Bêta, Conseil",
        D("120000.50"),
        D("3000000.00"),
        None,
        25,
    )


def test_xlsx_titre_fusionne(capsys, chemin_base_minimale):
    assert importer_valide(capsys, chemin_base_minimale, "titre_fusionne.xlsx") == {
        "projets": {"ajoutees": 2, "modifiees": 0}
    }
    assert requete(
        chemin_base_minimale,
        "select id_projet, siren, filiere, investissement_eur, emplois_prevus "
        "from projets where v_to is null and id_projet like 'P-5%' order by all",
    ) == [
        ("P-500", "552030967", "automobile", D("2000000.00"), 15),
        ("P-501", None, "naval", D("300000.50"), 4),
    ]


def test_xlsx_dates_excel_et_texte(capsys, chemin_base_minimale):
    importer_valide(capsys, chemin_base_minimale, "dates_excel_et_texte.xlsx")
    assert requete(
        chemin_base_minimale,
        "select numero, date_limite, date_annonce from releves "
        "where v_to is null and numero in (3, 14) order by numero",
    ) == [(3, date(2023, 6, 1), date(2023, 7, 20)), (14, date(2027, 2, 1), date(2027, 3, 5))]
    assert territoire(chemin_base_minimale, "lille-metropole")[7:9] == (date(2023, 11, 6), date(2025, 6, 30))
    assert [(p[0], p[8], p[15]) for p in projets(chemin_base_minimale, "P-100", "P-101")] == [
        ("P-100", "refuse", date(2024, 5, 2)),
        ("P-101", "refuse", date(2024, 5, 3)),
    ]


def test_montants_espaces_insecables_et_euros(capsys, chemin_base_minimale):
    importer_valide(capsys, chemin_base_minimale, "projets_montants_espaces.csv")
    assert projets(chemin_base_minimale, "P-100", "P-101") == [
        (
            "P-100",
            "douaisis",
            "Presse hydraulique",
            "Forges du Nord",
            "552030967",
            "59178",
            "automobile",
            "endogene",
            "accorde",
            D("1234567.50"),
            10,
            None,
            D("2500000.00"),
            D("12.00"),
            D("1234567.50"),
            date(2024, 4, 15),
            False,
            False,
        ),
        (
            "P-101",
            "douaisis",
            "Ligne d'assemblage de batteries",
            "Forges du Nord",
            "552030967",
            "59178",
            "automobile",
            "endogene",
            "identifie",
            D("1250.00"),
            1250,
            None,
            D("3000000.00"),
            D("0.00"),
            D("0.00"),
            None,
            False,
            False,
        ),
    ]


def test_entiers_excel_et_codes_numeriques(capsys, chemin_base_minimale):
    importer_valide(
        capsys,
        chemin_base_minimale,
        "entiers_excel.xlsx",
        attendu=[(P, 2, "emplois_crees", "emplois-crees-hors-accord", A)],
    )
    assert territoire(chemin_base_minimale, "lille-metropole")[2:4] == (4, "32")
    assert territoire(chemin_base_minimale, "lille-metropole")[10:] == (D("100000.00"), D("1000000.00"), None, 1250)
    assert projets(chemin_base_minimale, "P-100")[0][4:6] == ("552030967", "59178")
    assert projets(chemin_base_minimale, "P-100")[0][10:12] == (12, 3)
    assert projets(chemin_base_minimale, "P-100")[0][16:] == (True, False)
    assert requete(
        chemin_base_minimale,
        "select surface_ha, disponibilite, scores from sites where v_to is null and id_site = 'S-100'",
    ) == [(D("8.2500"), 2027, '{"energie": 4, "maturite": 0, "sobriete_fonciere": 2}')]


def test_booleens_toutes_orthographes(capsys, chemin_base_minimale):
    importer_valide(capsys, chemin_base_minimale, "projets_booleens.csv")
    # oui NON Vrai faux 1 0 x (vide) true FALSE X Oui
    attendus = [True, False, True, False, True, False, True, False, True, False, True, True]
    lignes = requete(
        chemin_base_minimale,
        "select id_projet, innovant, transition_ecologique, commune from projets "
        "where v_to is null and id_projet like 'B-%' order by id_projet",
    )
    communes = {0: "2A004", 1: "75101", 2: "13201", 3: "2B033"}  # Corsica and municipal arrondissements
    assert lignes == [(f"B-{i:02d}", b, b, communes.get(i, "59178")) for i, b in enumerate(attendus)]


def test_listes_virgule_dans_une_cellule_xlsx(capsys, chemin_base_minimale):
    importer_valide(capsys, chemin_base_minimale, "listes_virgule.xlsx")
    assert territoire(chemin_base_minimale, "douaisis-lille")[2:7] == (
        5,
        "32",
        ["200044618", "200093201"],
        ["automobile", "ferroviaire", "vehicules_industriels"],
        "en_cours",
    )


def test_noms_de_feuilles_capitales_accents(capsys, chemin_base_minimale):
    assert importer_valide(capsys, chemin_base_minimale, "noms_feuilles.xlsx") == {
        t: {"ajoutees": 1, "modifiees": 0} for t in ("releves", "territoires", "projets", "sites")
    }
    assert requete(chemin_base_minimale, "select date_limite from releves where v_to is null and numero = 15") == [
        (date(2027, 6, 1),)
    ]
    assert projets(chemin_base_minimale, "P-100")[0][1] == "lille-metropole"


def test_csv_nomme_par_le_debut_du_nom(capsys, chemin_base_minimale):
    importer_valide(capsys, chemin_base_minimale, "territoires_releve3.csv")
    assert territoire(chemin_base_minimale, "cambresis") == (
        "cambresis",
        "Cambrésis",
        3,
        "32",
        ["200068500"],
        ["vehicules_industriels", "mobilites_legeres"],
        "a_lancer",
        None,
        None,
        None,
        D("0.00"),
        D("1000000.00"),
        None,
        None,
    )


def test_mise_a_jour_colonnes_presentes_et_absentes(capsys, chemin_base_minimale):
    """Rule 1: present columns replace (an empty cell clears or defaults), absent columns are kept."""
    assert importer_valide(capsys, chemin_base_minimale, "projets_mise_a_jour.csv") == {
        "projets": {"ajoutees": 0, "modifiees": 1}
    }
    assert projets(chemin_base_minimale, "P-002") == [
        (
            "P-002",
            "douaisis",
            "Atelier de maintenance ferroviaire",
            "Rail Services",
            None,
            "59178",
            "ferroviaire",
            "exogene",
            "priorise",
            D("1500000.00"),
            25,
            None,
            None,
            D("0.00"),
            D("0.00"),
            None,
            False,
            True,
        )
    ]
    assert requete(chemin_base_minimale, "select count(*) from projets where id_projet = 'P-002'") == [(2,)]


def test_meme_resultat_csv_et_xlsx(capsys, chemin_base_minimale, chemin_base_vide, tmp_path):
    """Both containers give the same result: one CSV per sheet of base_minimale, into an empty base."""

    def texte(v: object) -> str:
        if v is None:
            return ""
        if hasattr(v, "strftime"):
            return v.strftime("%d/%m/%Y")
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else str(v).replace(".", ",")
        return str(v)

    classeur = openpyxl.load_workbook(VALIDES / "base_minimale.xlsx")
    fichiers = []
    for feuille in classeur.worksheets:
        fichiers.append(tmp_path / f"{feuille.title}.csv")
        with open(fichiers[-1], "w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows(
                [texte(v) for v in ligne] for ligne in feuille.iter_rows(values_only=True)
            )
    code, problemes = importer_json(capsys, chemin_base_vide, *fichiers)
    assert (code, problemes) == (0, [])
    a, b = vidage(chemin_base_vide), vidage(chemin_base_minimale)
    assert {t: a[t] for t in TABLES_DONNEES} == {t: b[t] for t in TABLES_DONNEES}


# ---------------------------------------------------------------------------------------------------
# Round trips


def _remplir(feuille, lignes: list[dict]) -> None:
    colonnes = {c.value: c.column for c in feuille[1] if c.value}
    for i, valeurs in enumerate(lignes, start=2):
        for colonne, valeur in valeurs.items():
            feuille.cell(row=i, column=colonnes[colonne], value=valeur)


def test_aller_retour_modele(capsys, chemin_base_vide, tmp_path):
    modele = tmp_path / "modele.xlsx"
    code, _, _ = commande(capsys, "modele", modele)
    assert code == 0
    classeur = openpyxl.load_workbook(modele)
    assert "notice" in classeur.sheetnames
    _remplir(classeur["releves"], [{"numero": 14, "date_limite": date(2027, 2, 1)}])
    _remplir(
        classeur["territoires"],
        [
            {
                "code_territoire": "douaisis",
                "nom": "Douaisis Agglo",
                "releve": 3,
                "region": "32",
                "epci": "200044618",
                "filieres": "automobile",
                "statut_mission": "en_cours",
                "cout_mission_eur": 200000,
                "enveloppe_aides_eur": 3000000,
                "cofinancement_local_eur": 0,
            },
            {
                "code_territoire": "cambresis",
                "nom": "Cambrésis",
                "releve": 5,
                "region": "32",
                "epci": "200068500",
                "filieres": "ferroviaire;naval",
                "statut_mission": "À lancer",
                "cout_mission_eur": 150000.5,
                "enveloppe_aides_eur": 1000000,
            },
        ],
    )
    commun = {"intitule": "Projet", "entreprise": "Entreprise", "origine": "endogene"}
    _remplir(
        classeur["projets"],
        [
            {
                **commun,
                "id_projet": "A",
                "code_territoire": "douaisis",
                "filiere": "automobile",
                "statut": "accorde",
                "investissement_eur": 5000000,
                "emplois_prevus": 40,
                "emplois_crees": 10,
                "aide_demandee_eur": 800000,
                "subvention_eur": 500000,
                "avance_remboursable_eur": 250000,
                "date_decision": date(2024, 6, 1),
            },
            {
                **commun,
                "id_projet": "B",
                "code_territoire": "cambresis",
                "filiere": "ferroviaire",
                "statut": "depose",
                "investissement_eur": 2000000,
                "emplois_prevus": 25,
                "aide_demandee_eur": 300000,
            },
            {
                **commun,
                "id_projet": "C",
                "code_territoire": "douaisis",
                "filiere": "naval",
                "statut": "abandonne",
                "investissement_eur": 1000000,
                "emplois_prevus": 7,
            },
            {
                **commun,
                "id_projet": "D",
                "code_territoire": "cambresis",
                "filiere": "Hors transport",
                "statut": "Priorisé",
                "investissement_eur": 600000,
                "emplois_prevus": 5,
                "aide_demandee_eur": "90 000,50",
            },
        ],
    )
    _remplir(
        classeur["sites"],
        [
            {
                "id_site": "S1",
                "code_territoire": "douaisis",
                "nom": "Friche",
                "surface_ha": 12.5,
                "type_foncier": "friche",
                "maitrise_fonciere": "publique",
                "score_energie": 4,
            },
            {
                "id_site": "S2",
                "code_territoire": "cambresis",
                "nom": "Extension",
                "surface_ha": 3,
                "type_foncier": "extension",
                "maitrise_fonciere": "À sécuriser",
            },
        ],
    )
    classeur.save(modele)

    code, problemes = importer_json(capsys, chemin_base_vide, modele)
    assert code == 0
    assert [p for p in problemes if p["niveau"] == E] == []
    code, sortie, _ = commande(capsys, "indicateurs", "--json", "--db", chemin_base_vide)
    assert code == 0
    resultat = json.loads(sortie)
    zero = {"nombre": 0, "investissement_eur": 0, "emplois_prevus": 0}
    assert resultat["territoires"] == {"nombre": 2}
    assert resultat["projets"]["total"] == 4
    assert resultat["projets"]["par_statut"] == {
        "identifie": 0,
        "priorise": 1,
        "depose": 1,
        "accorde": 1,
        "refuse": 0,
        "abandonne": 1,
    }
    assert resultat["projets"]["par_filiere"] == {
        "automobile": {"nombre": 1, "investissement_eur": 5000000, "emplois_prevus": 40},
        "aeronautique": zero,
        "ferroviaire": {"nombre": 1, "investissement_eur": 2000000, "emplois_prevus": 25},
        "naval": zero,  # C is abandoned: not active
        "vehicules_industriels": zero,
        "mobilites_legeres": zero,
        "hors_transport": {"nombre": 1, "investissement_eur": 600000, "emplois_prevus": 5},
    }
    # Detected: every project whatever its status, 40 + 25 + 7 + 5 jobs; created on granted A: 10 of 40.
    assert resultat["emplois"] == {
        "potentiels": 70,
        "soutenus": 40,
        "crees": 10,
        "detectes": 77,
        "crees_soutenus": 10,
        "taux_realisation": 0.25,
    }
    assert resultat["investissement_eur"] == {"potentiel": 7600000, "soutenu": 5000000, "detecte": 8600000}
    assert resultat["enveloppe_ingenierie"] == {
        "total_eur": 10000000,
        "engage_eur": 350000.5,
        "taux": pytest.approx(350000.5 / 10000000),
    }
    assert resultat["enveloppe_aides"] == {
        "total_eur": 90000000,
        "alloue_eur": 4000000,
        "subventions_eur": 500000,
        "avances_eur": 250000,
        "engage_eur": 750000,
        "taux": pytest.approx(750000 / 90000000),
        "demandes_en_cours_eur": 390000.5,
        "reste_eur": 89250000,
        "non_alloue_eur": 86000000,  # 90 M€ − (3 M€ + 1 M€) allotted
    }
    assert resultat["effet_levier"] == pytest.approx(5000000 / 750000)
    assert resultat["aide_par_emploi_eur"] == pytest.approx(750000 / 40)


def test_modele_vide_aucune_ligne(capsys, chemin_base_vide, tmp_path):
    modele = tmp_path / "modele.xlsx"
    commande(capsys, "modele", modele)
    avant = vidage(chemin_base_vide)
    code, problemes = importer_json(capsys, chemin_base_vide, modele)
    assert code == 1
    assert (None, None, None, "aucune-ligne", E) in positions(problemes)
    assert [p for p in problemes if p["niveau"] == E and p["code"] != "aucune-ligne"] == []
    assert vidage(chemin_base_vide) == avant


def test_demo_csv_excel_fr_egale_xlsx(capsys, chemin_base_demo, chemin_base_vide, tmp_path):
    fichiers = exporter(CLASSEUR_DEMO, tmp_path / "csv")
    code, problemes = importer_json(capsys, chemin_base_vide, *fichiers)
    assert [p for p in problemes if p["niveau"] == E] == []
    assert code == 0
    indicateurs = []
    for chemin in (chemin_base_vide, chemin_base_demo):
        code, sortie, _ = commande(capsys, "indicateurs", "--json", "--db", chemin)
        assert code == 0
        indicateurs.append(json.loads(sortie))
    assert indicateurs[0] == indicateurs[1]
    a, b = vidage(chemin_base_vide), vidage(chemin_base_demo)
    for table in TABLES_DONNEES:
        assert a[table] == b[table], table


# ---------------------------------------------------------------------------------------------------
# Contract 2: payments and status dates


VERSEMENTS_CONTRAT2 = [
    ("V-001", "P-001", date(2024, 4, 20), "subvention", D("150000.00")),
    ("V-002", "P-001", date(2024, 4, 20), "avance", D("100000.00")),
    ("V-003", "P-001", date(2025, 1, 15), "remboursement", D("20000.50")),
    ("V-004", "P-200", date(2024, 7, 1), "subvention", D("400000.00")),
]


@pytest.fixture
def base_minimale(chemin_base_minimale):
    base = Base.ouvrir(chemin_base_minimale)
    yield base
    base.fermer()


def versements(chemin: Path) -> list[tuple]:
    return requete(
        chemin,
        "select id_versement, id_projet, date, nature, montant_eur from versements where v_to is null order by all",
    )


def test_contrat2_versements_et_date_statut(capsys, chemin_base_minimale):
    """Labels, a lower-case project key (stored as the project's spelling, P-200 added by the same file),
    amounts as numbers or text; date_statut stored, and empty where the column is absent (P-001)."""
    assert importer_valide(capsys, chemin_base_minimale, "contrat2_versements.xlsx") == {
        "projets": {"ajoutees": 1, "modifiees": 1},
        "versements": {"ajoutees": 4, "modifiees": 0},
    }
    assert versements(chemin_base_minimale) == VERSEMENTS_CONTRAT2
    assert requete(
        chemin_base_minimale, "select id_projet, date_statut from projets where v_to is null order by id_projet"
    ) == [("P-001", None), ("P-002", date(2024, 2, 1)), ("P-200", date(2024, 6, 10))]
    # P-002: only its status date changed (a new row version), its other cells kept
    assert projets(chemin_base_minimale, "P-002")[0][8:10] == ("identifie", D("1500000.00"))


def test_versements_csv_excel_francais(capsys, chemin_base_minimale):
    """`;`, Windows-1252, French headers, nature labels, NBSP and €, ISO and French dates; `p-001` is P-001."""
    assert importer_valide(capsys, chemin_base_minimale, "versements_releve_2025.csv") == {
        "versements": {"ajoutees": 2, "modifiees": 0}
    }
    assert versements(chemin_base_minimale) == [
        ("V-010", "P-001", date(2025, 3, 1), "avance", D("50000.00")),
        ("V-011", "P-001", date(2025, 6, 30), "remboursement", D("5000.00")),
    ]


def test_classeur_contrat_1_apres_le_contrat_2(capsys, chemin_base_minimale):
    """A contract-1 workbook (no versements, no date_statut) changes nothing of what contract 2 stored: the
    absent column keeps its values; re-importing base_minimale.xlsx then creates no version."""
    importer_valide(capsys, chemin_base_minimale, "contrat2_versements.xlsx")
    avant = vidage_complet(chemin_base_minimale)
    code, sortie, _ = commande(capsys, "importer", VALIDES / "base_minimale.xlsx", "--db", chemin_base_minimale)
    assert code == 0 and "Aucune version créée" in sortie
    assert vidage_complet(chemin_base_minimale) == avant


def test_classeur_contrat_1_dans_une_base_vide(capsys, chemin_base_vide):
    """A contract-1 workbook stores no status date and no payment."""
    code, problemes = importer_json(capsys, chemin_base_vide, VALIDES / "base_minimale.xlsx")
    assert (code, problemes) == (0, [])
    assert requete(chemin_base_vide, "select count(*), count(date_statut) from projets") == [(2, 0)]
    assert requete(chemin_base_vide, "select count(*) from versements") == [(0,)]
    assert derniers_comptes(chemin_base_vide) == {
        "releves": {"ajoutees": 0, "modifiees": 1},  # relève 3 of the calendar gets its announcement date
        "territoires": {"ajoutees": 1, "modifiees": 0},
        "projets": {"ajoutees": 2, "modifiees": 0},
        "sites": {"ajoutees": 1, "modifiees": 0},
    }


def test_jour_de_l_import_injectable(base_minimale):
    """Rule 12 compares with the day of the import: on 01/05/2024, V-003 (15/01/2025) and V-004 (01/07/2024)
    are in the future (warnings: the import is committed)."""
    resultat = importer(base_minimale, [VALIDES / "contrat2_versements.xlsx"], "t", aujourd_hui=date(2024, 5, 1))
    assert [(p.feuille, p.ligne, p.colonne, p.code, p.niveau) for p in resultat.rapport.problemes] == [
        (V, 4, "date", "versement-futur", A),
        (V, 5, "date", "versement-futur", A),
    ]
    assert "15/01/2025" in resultat.rapport.problemes[0].message
    assert "01/05/2024" in resultat.rapport.problemes[0].message
    assert resultat.version == 2


def test_message_de_la_regle_11_donne_les_trois_sommes(capsys, chemin_base_minimale):
    code, problemes = importer_json(capsys, chemin_base_minimale, DEFAUTS / "remboursements_au_dela_des_avances.xlsx")
    assert code == 1
    (probleme,) = problemes
    message = probleme["message"].replace("\u202f", " ").replace("\u00a0", " ")
    # subventions 0 €, advances 100 000 €, repayments 120 000 €
    assert "subventions versées 0 €" in message
    assert "avances versées 100 000 €" in message
    assert "remboursements 120 000 €" in message
    assert "P-001" in message and probleme["valeur"]


def test_simulation_et_apercu_montrent_les_versements(capsys, chemin_base_minimale, base_minimale):
    code, sortie, _ = commande(
        capsys, "importer", VALIDES / "contrat2_versements.xlsx", "--simulation", "--db", chemin_base_minimale
    )
    assert code == 0
    assert "versements ligne 2 : ajout de V-001" in sortie
    assert "projets ligne 3 : P-002, date_statut : (vide) → 01/02/2024" in sortie
    from rebond_core import apercu_import

    resultat = importer(base_minimale, [VALIDES / "contrat2_versements.xlsx"], "t", simulation=True)
    assert apercu_import.tableau_ajouts(resultat, V).to_dict("records") == [
        {"Clé": f"V-00{i}", "Ligne du fichier": i + 1} for i in range(1, 5)
    ]
    assert apercu_import.titre_plan(V, 4, 0, 0).startswith("versements : 4 ligne(s) ajoutée(s)")
    assert apercu_import.lisible("nature", "remboursement") == "Remboursement d'avance"


def test_modele_avec_versements(capsys, chemin_base_minimale, tmp_path):
    """The template has the versements sheet and the date_statut column; filled, it imports."""
    modele = tmp_path / "modele.xlsx"
    assert commande(capsys, "modele", modele)[0] == 0
    classeur = openpyxl.load_workbook(modele)
    assert [c.value for c in classeur["versements"][1]] == [
        "id_versement",
        "id_projet",
        "date",
        "nature",
        "montant_eur",
    ]
    assert [c.value for c in classeur["projets"][1]][-1] == "date_statut"
    notice = [[c.value for c in ligne] for ligne in classeur["notice"].iter_rows(min_row=4)]
    assert [ligne[1] for ligne in notice if ligne[0] == V] == [
        "id_versement",
        "id_projet",
        "date",
        "nature",
        "montant_eur",
    ]
    _remplir(
        classeur["versements"],
        [
            {
                "id_versement": "V-1",
                "id_projet": "P-001",
                "date": date(2024, 6, 1),
                "nature": "Versement de subvention",
                "montant_eur": 300000,
            },
            {
                "id_versement": "V-2",
                "id_projet": "P-001",
                "date": "2024-06-01",
                "nature": "avance",
                "montant_eur": "200 000",
            },
        ],
    )
    for table in ("releves", "territoires", "projets", "sites"):
        del classeur[table]
    classeur.save(modele)
    code, problemes = importer_json(capsys, chemin_base_minimale, modele)
    assert code == 0
    assert positions(problemes) == [("notice", None, None, "feuille-inconnue", A)]
    assert versements(chemin_base_minimale) == [
        ("V-1", "P-001", date(2024, 6, 1), "subvention", D("300000.00")),
        ("V-2", "P-001", date(2024, 6, 1), "avance", D("200000.00")),
    ]
