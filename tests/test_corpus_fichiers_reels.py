"""What real relève files contain, file by file (tests/data/reels/, made by fabriquer_corpus.py).

Excel error values and formulas, hidden sheets, merged cells, an encrypted or cut workbook, Windows-1252
and BOMs, stray spaces and NBSP, dates typed every way, amounts in k€: each file is imported through the
command line into a base holding tests/data/valides/base_minimale.xlsx, and compared with the report
written by hand from the contract (shared/spec/classeur-releve.md): (feuille, ligne, colonne, code,
niveau), spreadsheet row numbers with the header on row 1. A refused import leaves the base exactly as it
was; an accepted one stores exactly the values written below.

Two files are too heavy to commit and are made here in tmp_path: a CSV above the 50 Mio limit and a
workbook with a million blank formatted rows.
"""

from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core.config import TAILLE_MAX_FICHIER_OCTETS
from rebond_core.erreurs import FichierIllisible
from rebond_core.importation.lecture import verifier_televersement
from tests.data.outils import fabriquer_corpus
from tests.outils.bases import requete, vidage
from tests.outils.contrat import (
    DONNEES,
    REELS,
    VALIDES,
    A,
    E,
    commande,
    derniers_comptes,
    importer_json,
    positions,
    projets,
    verifier_import,
)

P = "projets"
D = Decimal

# ---------------------------------------------------------------------------------------------------
# (file, exit status, expected report). Exit 1: nothing written; exit 0: a new version.

CAS_REELS = [
    # Excel error values: an error cell is never read as a blank, even in an optional column.
    (
        "projets_erreurs_excel.xlsx",
        1,
        [
            (P, 2, "investissement_eur", "erreur-excel", E),  # =NA()        → #N/A
            (P, 3, "emplois_prevus", "erreur-excel", E),  # =K1/0        → #DIV/0!
            (P, 4, "siren", "erreur-excel", E),  # ="x"+1       → #VALUE!
            (P, 5, "date_decision", "erreur-excel", E),  # =VLOOKUP(…#REF!…)
            (P, 6, "commune", "erreur-excel", E),  # unknown function → #NAME?
        ],
    ),
    # ... and the same values once a French Excel has exported them to CSV (text).
    (
        "projets_erreurs_excel_en_texte.csv",
        1,
        [
            (P, 2, "aide_demandee_eur", "erreur-excel", E),  # #N/A
            (P, 3, "commune", "erreur-excel", E),  # #VALEUR!
            (P, 3, "emplois_crees", "erreur-excel", E),  # #DIV/0!
        ],
    ),
    # Formulas with their cached values: imported, ONE warning for the sheet at its first formula (C2).
    ("projets_formules_calculees.xlsx", 0, [(P, 2, "intitule", "formules", A)]),
    # Formulas never computed (written by openpyxl): an error on each such cell.
    (
        "projets_formules_sans_valeur.xlsx",
        1,
        [
            (P, 2, "investissement_eur", "formule-sans-valeur", E),
            (P, 2, "emplois_crees", "formule-sans-valeur", E),
        ],
    ),
    # A hidden `projets` sheet is imported (warning); a visible summary and a very hidden list sheet are
    # unknown sheets (warnings).
    (
        "projets_feuille_masquee.xlsx",
        0,
        [
            (P, None, None, "feuille-masquee", A),
            ("Synthèse", None, None, "feuille-inconnue", A),
            ("Listes", None, None, "feuille-inconnue", A),
        ],
    ),
    # Merged group cells above the header: header on row 2, so the first data row is row 3.
    ("projets_entetes_fusionnes.xlsx", 0, [(P, 3, "emplois_crees", "emplois-crees-hors-accord", A)]),
    # Cells merged down a column hold their value in the top cell only: the others are empty.
    (
        "projets_cellules_fusionnees_verticalement.xlsx",
        1,
        [
            (P, 3, "code_territoire", "valeur-manquante", E),
            (P, 3, "filiere", "valeur-manquante", E),
            (P, 4, "code_territoire", "valeur-manquante", E),
            (P, 4, "filiere", "valeur-manquante", E),
        ],
    ),
    # Encodings and invisible characters: all import cleanly.
    ("projets_cp1252_lu_comme_utf8.csv", 0, []),
    ("projets_bom_utf8.csv", 0, []),
    ("projets_espaces_en_fin.csv", 0, []),
    # Excel's "sep=;" line: header on row 2; P-101 (déposé, 4 jobs created) is on row 4.
    ("projets_ligne_sep_excel.csv", 0, [(P, 4, "emplois_crees", "emplois-crees-hors-accord", A)]),
    # Dates: four spellings of 1 Feb 2023 import; 31 February, 3 and a date in words do not.
    ("projets_dates_texte_et_nombres.xlsx", 0, []),
    (
        "projets_dates_invalides.xlsx",
        1,
        [
            (P, 2, "date_decision", "date-invalide", E),  # "31/02/2023"
            (P, 3, "date_decision", "date-invalide", E),  # 3 (not an Excel date serial of this century)
            (P, 4, "date_decision", "date-invalide", E),  # "1er février 2023"
        ],
    ),
    ("projets_dates_systeme_1904.xlsx", 0, []),
    # Codes typed as numbers (leading zero lost by Excel): restored, they import.
    ("projets_codes_sans_zero_initial.xlsx", 0, []),
    # A two-line text cell in a CSV does not shift the row numbers (records, not lines).
    ("projets_texte_sur_plusieurs_lignes.csv", 1, [(P, 3, "siren", "siren-invalide", E)]),
    # Where the table stands in the sheet: rows and columns are the spreadsheet's.
    pytest.param(
        "projets_lignes_vides_au_dessus_entete.xlsx",
        1,
        [(P, 4, "siren", "siren-invalide", E), (P, 5, "commune", "erreur-excel", E)],
        id="projets_lignes_vides_au_dessus_entete.xlsx",
    ),
    (
        "projets_tableau_en_colonne_c.xlsx",
        1,
        [(P, 2, "investissement_eur", "formules", A), (P, 3, "siren", "erreur-excel", E)],
    ),
    # A copy of a sheet, `projets (2)`, is not the sheet `projets`: an unknown sheet, ignored.
    pytest.param(
        "classeur_feuille_projets_copiee.xlsx",
        0,
        [("projets (2)", None, None, "feuille-inconnue", A)],
        id="classeur_feuille_projets_copiee.xlsx",
    ),
    # Amounts: a negative number cell, "12 k€", a negative amount typed as text.
    (
        "projets_montants_negatif_et_k_euros.xlsx",
        1,
        [
            (P, 2, "investissement_eur", "valeur-negative", E),
            (P, 3, "investissement_eur", "montant-invalide", E),
            (P, 4, "aide_demandee_eur", "valeur-negative", E),
        ],
    ),
]

# Files that cannot be read at all (exit 2, nothing written): a piece of the French message expected.
ILLISIBLES_REELS = {
    fabriquer_corpus.PROTEGE: "mot de passe",
    "classeur_corrompu.xlsx": "endommagé",
    "classeur_feuille_xml_tronquee.xlsx": "illisible",
    "projets_texte_unicode_utf16.csv": "",
}


def _importer(capsys, base: Path, fichier: Path) -> tuple[int, list[dict]]:
    return importer_json(capsys, base, fichier, options=("--auteur", "t"))


@pytest.mark.parametrize(
    ("fichier", "statut", "attendu"), CAS_REELS, ids=[c.id if hasattr(c, "id") else c[0] for c in CAS_REELS]
)
def test_fichier_reel(capsys, chemin_base_minimale, contenu_base_minimale, fichier, statut, attendu):
    verifier_import(capsys, chemin_base_minimale, [REELS / fichier], statut, attendu, contenu_base_minimale)


@pytest.mark.parametrize("fichier", list(ILLISIBLES_REELS))
def test_fichier_reel_illisible(capsys, chemin_base_minimale, contenu_base_minimale, fichier):
    code, sortie, erreur = commande(capsys, "importer", REELS / fichier, "--json", "--db", chemin_base_minimale)
    assert code == 2
    assert sortie == ""
    assert erreur.startswith(f"{fichier} : ")
    assert ILLISIBLES_REELS[fichier] in erreur
    assert vidage(chemin_base_minimale) == contenu_base_minimale


# ---------------------------------------------------------------------------------------------------
# Reports: the value found and the message


def test_erreurs_excel_nomment_la_valeur(capsys, chemin_base_minimale):
    _, problemes = _importer(capsys, chemin_base_minimale, REELS / "projets_erreurs_excel.xlsx")
    assert [(p["ligne"], p["valeur"]) for p in problemes] == [
        (2, "#N/A"),
        (3, "#DIV/0!"),
        (4, "#VALUE!"),
        (5, "#REF!"),
        (6, "#NAME?"),
    ]
    assert problemes[0]["message"] == (
        "La cellule contient une erreur Excel (#N/A) : corrigez la formule ou saisissez la valeur."
    )
    _, problemes = _importer(capsys, chemin_base_minimale, REELS / "projets_erreurs_excel_en_texte.csv")
    assert [p["valeur"] for p in problemes] == ["#N/A", "#VALEUR!", "#DIV/0!"]


def test_formules_calculees_importees(capsys, chemin_base_minimale):
    _, problemes = _importer(capsys, chemin_base_minimale, REELS / "projets_formules_calculees.xlsx")
    assert "5 cellule(s)" in problemes[0]["message"] and "première : C2" in problemes[0]["message"]
    lignes = projets(chemin_base_minimale, "P-100", "P-101")
    assert [(ligne[0], ligne[2], ligne[8], ligne[9], ligne[10], ligne[15]) for ligne in lignes] == [
        ("P-100", "Ligne d'assemblage de batteries", "identifie", D("1000000.00"), 10, None),
        ("P-101", "Ligne d'assemblage de batteries", "refuse", D("2000000.00"), 10, date(2024, 4, 15)),
    ]


def test_formule_sans_valeur_message(capsys, chemin_base_minimale):
    _, problemes = _importer(capsys, chemin_base_minimale, REELS / "projets_formules_sans_valeur.xlsx")
    assert all("Excel" in p["message"] and "formule" in p["message"].lower() for p in problemes)


def test_feuille_masquee_importee(capsys, chemin_base_minimale):
    _importer(capsys, chemin_base_minimale, REELS / "projets_feuille_masquee.xlsx")
    assert [ligne[:3] for ligne in projets(chemin_base_minimale, "P-100")] == [
        ("P-100", "douaisis", "Ligne d'assemblage de batteries")
    ]
    assert requete(chemin_base_minimale, "select count(*) from projets where v_to is null") == [(3,)]


def test_entetes_fusionnes_importes(capsys, chemin_base_minimale):
    _importer(capsys, chemin_base_minimale, REELS / "projets_entetes_fusionnes.xlsx")
    assert [(ligne[0], ligne[6], ligne[11]) for ligne in projets(chemin_base_minimale, "P-100", "P-101")] == [
        ("P-100", "automobile", 5),
        ("P-101", "naval", None),
    ]


def test_windows_1252_texte_exact(capsys, chemin_base_minimale):
    """A naive UTF-8 reader would fail on 0xE9 (é), or replace it, or mangle € (0x80) and œ (0x9C)."""
    _importer(capsys, chemin_base_minimale, REELS / "projets_cp1252_lu_comme_utf8.csv")
    assert projets(chemin_base_minimale, "P-100", "P-101") == [
        (
            "P-100",
            "douaisis",
            "Cœur de gamme : rénovation à 2 € près",
            "Hôtel-Dieu Façonnage & Œuvres",
            "552030967",
            "59178",
            "aeronautique",
            "exogene",
            "priorise",
            D("1500000.50"),
            12,
            None,
            D("300000.00"),
            D("0.00"),
            D("0.00"),
            None,
            True,
            False,
        ),
        (
            "P-101",
            "douaisis",
            "Ligne « haute cadence » – phase 2",
            "Émaillerie Bôle",
            None,
            None,
            "vehicules_industriels",
            "endogene",
            "identifie",
            D("80000.00"),
            3,
            None,
            None,
            D("0.00"),
            D("0.00"),
            None,
            False,
            True,
        ),
    ]
    textes = requete(chemin_base_minimale, "select intitule || entreprise from projets where v_to is null")
    assert not any("\ufffd" in t or "Ã" in t for (t,) in textes)


def test_bom_utf8_premiere_colonne_reconnue(capsys, chemin_base_minimale):
    _importer(capsys, chemin_base_minimale, REELS / "projets_bom_utf8.csv")
    assert [ligne[:4] for ligne in projets(chemin_base_minimale, "P-100")] == [
        ("P-100", "douaisis", "Ligne d'assemblage de batteries", "Métallerie Éloïse")
    ]


def test_espaces_en_fin_tous_retires(capsys, chemin_base_minimale):
    """Spaces, NBSP and narrow NBSP around headers and cells are trimmed; the key `P-002` + NBSP updates
    P-002 instead of adding a second project."""
    code, _ = _importer(capsys, chemin_base_minimale, REELS / "projets_espaces_en_fin.csv")
    assert code == 0
    assert derniers_comptes(chemin_base_minimale) == {"projets": {"ajoutees": 1, "modifiees": 1}}
    assert projets(chemin_base_minimale, "P-100", "P-002") == [
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
            20,
            None,
            D("50000.00"),
            D("0.00"),
            D("0.00"),
            None,
            True,
            True,
        ),
        (
            "P-100",
            "douaisis",
            "Presse",
            "Forges du Nord",
            "552030967",
            "59178",
            "automobile",
            "endogene",
            "identifie",
            D("1000000.00"),
            10,
            None,
            D("25000.50"),
            D("0.00"),
            D("0.00"),
            None,
            True,
            False,
        ),
    ]
    assert requete(chemin_base_minimale, "select distinct id_projet from projets order by 1") == [
        ("P-001",),
        ("P-002",),
        ("P-100",),
    ]


def test_dates_texte_et_nombres(capsys, chemin_base_minimale):
    """'01/02/2023', '2023-02-01', an Excel date cell and 44958 in a number cell: all 1 February 2023."""
    _importer(capsys, chemin_base_minimale, REELS / "projets_dates_texte_et_nombres.xlsx")
    ids = [f"P-10{i}" for i in range(4)]
    assert [(ligne[0], ligne[15]) for ligne in projets(chemin_base_minimale, *ids)] == [
        (i, date(2023, 2, 1)) for i in ids
    ]


def test_ligne_sep_excel(capsys, chemin_base_minimale):
    _importer(capsys, chemin_base_minimale, REELS / "projets_ligne_sep_excel.csv")
    assert [(ligne[0], ligne[8], ligne[11]) for ligne in projets(chemin_base_minimale, "P-100", "P-101")] == [
        ("P-100", "identifie", None),
        ("P-101", "depose", 4),
    ]


def test_dates_systeme_1904(capsys, chemin_base_minimale):
    _importer(capsys, chemin_base_minimale, REELS / "projets_dates_systeme_1904.xlsx")
    assert [(ligne[0], ligne[15]) for ligne in projets(chemin_base_minimale, "P-100")] == [("P-100", date(2023, 2, 1))]


def test_codes_sans_zero_initial(capsys, chemin_base_minimale):
    _importer(capsys, chemin_base_minimale, REELS / "projets_codes_sans_zero_initial.xlsx")
    assert [ligne[4:6] for ligne in projets(chemin_base_minimale, "P-100")] == [("055203095", "01053")]


def test_formules_nomment_la_cellule_de_la_feuille(capsys, chemin_base_minimale):
    _, problemes = _importer(capsys, chemin_base_minimale, REELS / "projets_tableau_en_colonne_c.xlsx")
    (formules,) = [p for p in problemes if p["code"] == "formules"]
    assert "première : L2" in formules["message"]


def test_montants_valeur_trouvee(capsys, chemin_base_minimale):
    _, problemes = _importer(capsys, chemin_base_minimale, REELS / "projets_montants_negatif_et_k_euros.xlsx")
    assert [p["valeur"] for p in problemes] == ["-5000", "12 k€", "-5 000,00 €"]
    assert "k€" in problemes[1]["message"]


# ---------------------------------------------------------------------------------------------------
# Unreadable files


def test_classeur_protege_est_un_vrai_classeur_chiffre(capsys, chemin_base_vide, tmp_path):
    """The committed file is an Office-encrypted workbook whose only defect is its password."""
    import msoffcrypto

    contenu = (REELS / fabriquer_corpus.PROTEGE).read_bytes()
    assert contenu.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    chiffre = msoffcrypto.OfficeFile(io.BytesIO(contenu))
    assert chiffre.is_encrypted()
    clair = tmp_path / "projets_dechiffre.xlsx"
    chiffre.load_key(password=fabriquer_corpus.MOT_DE_PASSE)
    with open(clair, "wb") as sortie:
        chiffre.decrypt(sortie)
    code, _, erreur = commande(capsys, "importer", REELS / fabriquer_corpus.PROTEGE, "--db", chemin_base_vide)
    assert code == 2 and "protégé par mot de passe" in erreur and "enregistrez-le sans mot de passe" in erreur
    # Decrypted, it is read: its projects point to `douaisis`, absent from an empty base (rule 8).
    code, problemes = importer_json(capsys, chemin_base_vide, clair)
    assert (code, positions(problemes)) == (1, [(P, 2, "code_territoire", "territoire-inconnu", E)])


def test_utf16_message_nomme_l_encodage(capsys, chemin_base_minimale):
    _, _, erreur = commande(capsys, "importer", REELS / "projets_texte_unicode_utf16.csv", "--db", chemin_base_minimale)
    assert "UTF-16" in erreur or "encodage" in erreur
    assert "pas un fichier texte" not in erreur


def test_fichier_trop_gros(capsys, chemin_base_minimale, contenu_base_minimale, tmp_path):
    """A valid CSV above 50 Mio is refused before being read (exit 2), with the French size message."""
    chemin = tmp_path / "projets_fichier_trop_gros.csv"
    fabriquer_corpus.csv_trop_gros(chemin, TAILLE_MAX_FICHIER_OCTETS)
    assert chemin.stat().st_size > TAILLE_MAX_FICHIER_OCTETS
    code, sortie, erreur = commande(capsys, "importer", chemin, "--json", "--db", chemin_base_minimale)
    assert (code, sortie) == (2, "")
    assert erreur.startswith("projets_fichier_trop_gros.csv : fichier trop volumineux (")
    assert "50 Mo au plus" in erreur
    assert vidage(chemin_base_minimale) == contenu_base_minimale


@pytest.mark.parametrize("nom", ["releve.xls", "notes.txt", "installeur.exe", "releve.xlsm", "sans_extension"])
def test_televersement_type_refuse(nom):
    with pytest.raises(FichierIllisible) as refus:
        verifier_televersement(nom, 1000)
    assert refus.value.message_fr.startswith(f"{nom} : type de fichier refusé")
    assert ".xlsx" in refus.value.message_fr and ".csv" in refus.value.message_fr


def test_televersement_taille():
    verifier_televersement("Releve.XLSX", TAILLE_MAX_FICHIER_OCTETS)
    verifier_televersement("projets.csv", 1)
    with pytest.raises(FichierIllisible) as refus:
        verifier_televersement("releve.xlsx", TAILLE_MAX_FICHIER_OCTETS + 1)
    assert "trop volumineux" in refus.value.message_fr and "50 Mo au plus" in refus.value.message_fr


# ---------------------------------------------------------------------------------------------------
# A million blank formatted rows (made here: ~8 Mo)


@pytest.mark.lent
def test_un_million_de_lignes_vides(capsys, chemin_base_minimale, tmp_path):
    chemin = tmp_path / "releves_un_million_de_lignes_vides.xlsx"
    fabriquer_corpus.classeur_lignes_vides(chemin)
    code, problemes = _importer(capsys, chemin_base_minimale, chemin)
    assert (code, problemes) == (0, [])
    assert derniers_comptes(chemin_base_minimale) == {"releves": {"ajoutees": 1, "modifiees": 0}}
    assert requete(
        chemin_base_minimale, "select numero, date_limite, date_annonce from releves where v_to is null and numero = 14"
    ) == [(14, date(2027, 2, 1), None)]


# ---------------------------------------------------------------------------------------------------
# The corpus


def test_corpus_reels_complet():
    """Every file of tests/data/reels/ is in a table above, and there are enough of them."""
    presents = {p.name for p in REELS.iterdir() if p.is_file()}
    assert presents == {(c.values if hasattr(c, "values") else c)[0] for c in CAS_REELS} | set(ILLISIBLES_REELS)
    defectueux = [p for dossier in ("defauts", "reels") for p in (DONNEES / dossier).rglob("*") if p.is_file()]
    assert len(defectueux) >= 30


def test_corpus_reels_a_jour(tmp_path):
    """The committed files are exactly what the generator writes, except the encrypted workbook (salted
    encryption is not reproducible byte for byte; the generator keeps the existing one)."""
    copie = tmp_path / "reels"
    copie.mkdir()
    shutil.copy(REELS / fabriquer_corpus.PROTEGE, copie / fabriquer_corpus.PROTEGE)
    ancien = fabriquer_corpus.REELS, fabriquer_corpus.VALIDES
    fabriquer_corpus.REELS, fabriquer_corpus.VALIDES = copie, VALIDES
    try:
        fabriquer_corpus.fabriquer_reels()
    finally:
        fabriquer_corpus.REELS, fabriquer_corpus.VALIDES = ancien
    assert sorted(p.name for p in copie.iterdir()) == sorted(p.name for p in REELS.iterdir())
    for fichier in REELS.iterdir():
        if fichier.name != fabriquer_corpus.PROTEGE:
            assert (copie / fichier.name).read_bytes() == fichier.read_bytes(), fichier.name
