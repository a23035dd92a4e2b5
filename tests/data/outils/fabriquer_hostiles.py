"""Fabrique les fichiers hostiles ou limites de tests/data/hostiles/ (déterministe) : ce qu'un fichier
peut tenter contre le serveur (classeur aux dimensions démesurées, bombes de décompression, tailles
mensongères) et contre les données (valeurs hors des bornes du contrat, caractères de contrôle,
clés jumelles invisibles). Un fichier par cas, nommé d'après lui ; le rapport ou le refus attendu de
chacun est écrit à la main dans tests/test_import_hostile.py.

Les fichiers de validation partent de la ligne valide du corpus (fabriquer_corpus.LIGNE_VALIDE), pour
une base où tests/data/valides/base_minimale.xlsx a été importé, et n'y changent qu'une chose.

Usage : python tests/data/outils/fabriquer_hostiles.py
"""

from __future__ import annotations

import csv
import io
import struct
import sys
import zipfile
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fabriquer_corpus import COLONNES, LIGNE_VALIDE  # noqa: E402

HOSTILES = Path(__file__).resolve().parent.parent / "hostiles"
MIO = 1024 * 1024
DATE_ZIP = (2024, 1, 1, 0, 0, 0)

# name → (table, changes to the valid row); the CSV file is `<table>_<name>.csv`.
CAS_CSV: dict[str, tuple[str, dict[str, str]]] = {
    # Bounds of the contract (classeur-releve.md, cell conventions)
    "montant_mille_milliards": ("projets", {"investissement_eur": "1 000 000 000 000"}),
    "montant_dix_puissance_16": ("projets", {"investissement_eur": "10000000000000000"}),
    "montant_27_chiffres": ("projets", {"investissement_eur": "1" + "0" * 26}),
    "entier_2_puissance_31": ("projets", {"emplois_prevus": "2147483648"}),
    "entier_5000_chiffres": ("projets", {"emplois_prevus": "9" * 5000}),
    "surface_un_milliard_ha": ("sites", {"surface_ha": "1000000000"}),
    "surface_cinq_decimales": ("sites", {"surface_ha": "12,34567"}),
    "date_an_9999": ("projets", {"date_decision": "31/12/9999"}),
    "date_an_2300": ("projets", {"date_decision": "01/01/2300"}),
    "date_an_1899": ("projets", {"date_decision": "31/12/1899"}),
    # Control characters in text
    "texte_caractere_c1": ("projets", {"entreprise": "Forges\u0085du Nord"}),
    "texte_echappement": ("projets", {"intitule": "Ligne\u001b[31m rouge"}),
    # Keys that read as another one (rule 1)
    "cle_espace_sans_chasse": ("projets", {"id_projet": "P-001\u200b"}),
    "cle_marque_ordre_octets": ("projets", {"id_projet": "\ufeffP-001"}),
    "cle_marque_droite_a_gauche": ("projets", {"id_projet": "P-\u200f001"}),
    "cle_casse_differente": ("projets", {"id_projet": "p-001", "intitule": "Titre corrigé"}),
}


def _csv(chemin: Path, table: str, lignes: list[dict[str, str]]) -> None:
    flux = io.StringIO()
    ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(COLONNES[table])
    for ligne in lignes:
        ecrivain.writerow([ligne.get(c, "") for c in COLONNES[table]])
    chemin.write_bytes(flux.getvalue().encode("utf-8"))


def _ligne(table: str, **changements: str) -> dict[str, str]:
    return {**LIGNE_VALIDE[table], **changements}


def fichiers_csv() -> None:
    for nom, (table, changements) in CAS_CSV.items():
        _csv(HOSTILES / f"{table}_{nom}.csv", table, [_ligne(table, **changements)])
    # Two ids of one file that differ only by Unicode composition (é precomposed, then e + combining acute).
    _csv(
        HOSTILES / "projets_cles_nfc_nfd.csv",
        "projets",
        [_ligne("projets", id_projet="P-Caf\u00e9"), _ligne("projets", id_projet="P-Cafe\u0301")],
    )
    _csv(
        HOSTILES / "projets_cles_casse_doublon.csv",
        "projets",
        [_ligne("projets", id_projet="P-ABC"), _ligne("projets", id_projet="p-abc")],
    )
    # A NUL byte in a title far after the first 64 KiB (the binary-file sniffing looks at those only).
    lignes = [_ligne("projets", id_projet=f"P-{200 + i}", intitule=f"Projet {i:04d} " + "x" * 80) for i in range(700)]
    lignes[650]["intitule"] = "Projet avec\x00octet nul"
    _csv(HOSTILES / "projets_octet_nul_apres_64_kio.csv", "projets", lignes)


def _classeur_projets(chemin: Path, derniere: tuple[int, int] | None) -> None:
    """A projets sheet with one valid row and, when given, one stray cell at (row, column) from 0."""
    classeur = xlsxwriter.Workbook(str(chemin))
    classeur.set_properties({"created": None})
    feuille = classeur.add_worksheet("projets")
    for j, colonne in enumerate(COLONNES["projets"]):
        feuille.write_string(0, j, colonne)
        feuille.write_string(1, j, LIGNE_VALIDE["projets"][colonne])
    if derniere is not None:
        feuille.write_string(derniere[0], derniere[1], "x")
    classeur.close()
    _dater(chemin)


def _dater(chemin: Path) -> None:
    """Rewrite a zip with fixed dates, so that the file is the same byte for byte at each run."""
    with zipfile.ZipFile(chemin) as source:
        parties = [(info.filename, source.read(info)) for info in source.infolist()]
    _zip(chemin, parties)


def _zip(chemin: Path, parties: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(chemin, "w") as archive:
        for nom, contenu in parties:
            info = zipfile.ZipInfo(nom, DATE_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, contenu, compresslevel=9)


def _parties(chemin: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(chemin) as source:
        return [(info.filename, source.read(info)) for info in source.infolist()]


def _remplacer_partie(parties: list[tuple[str, bytes]], nom: str, contenu: bytes) -> list[tuple[str, bytes]]:
    return [(n, contenu if n == nom else c) for n, c in parties]


def classeurs() -> None:
    _classeur_projets(HOSTILES / "cellule_xfd1048576.xlsx", (1048575, 16383))
    _classeur_projets(HOSTILES / "cellule_zz1048576.xlsx", (1048575, 701))
    # The same stray cell, but the sheet's declared dimension left small: the cells themselves are looked at.
    lointaine = HOSTILES / "cellule_xfd1048576_dimension_fausse.xlsx"
    _classeur_projets(lointaine, (1048575, 16383))
    feuille = next(c for n, c in _parties(lointaine) if n == "xl/worksheets/sheet1.xml")
    fausse = feuille.replace(b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1:R2"/>')
    assert fausse != feuille
    _zip(lointaine, _remplacer_partie(_parties(lointaine), "xl/worksheets/sheet1.xml", fausse))
    base = HOSTILES / "_base.xlsx"
    _classeur_projets(base, None)
    parties = _parties(base)
    feuille = next(c for n, c in parties if n == "xl/worksheets/sheet1.xml")
    # The sheet declares it spans the whole grid (its cells are two rows).
    declaree = feuille.replace(b'<dimension ref="A1:R2"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert declaree != feuille
    _zip(HOSTILES / "dimension_declaree_geante.xlsx", _remplacer_partie(parties, "xl/worksheets/sheet1.xml", declaree))
    # Zip bombs: the sheet padded with blanks between its elements (valid XML), unpacking to 300 MiB,
    # and, under the size limit, to 40 MiB at a ratio of about a thousand.
    for nom, octets in (("bombe_feuille_300_mio.xlsx", 300 * MIO), ("bombe_compression_40_mio.xlsx", 40 * MIO)):
        gonflee = feuille.replace(b"<sheetData>", b"<sheetData>" + b" " * octets)
        _zip(HOSTILES / nom, _remplacer_partie(parties, "xl/worksheets/sheet1.xml", gonflee))
    # One shared string of 300 MiB, used as a project title.
    partagees = next(c for n, c in parties if n == "xl/sharedStrings.xml")
    geante = partagees.replace(b"Ligne d'assemblage de batteries", b"A" * (300 * MIO))
    _zip(HOSTILES / "texte_partage_300_mio.xlsx", _remplacer_partie(parties, "xl/sharedStrings.xml", geante))
    # A zip that lies: its sheet says 2 KiB uncompressed but unpacks to 300 MiB.
    chemin = HOSTILES / "taille_mensongere.xlsx"
    gonflee = feuille.replace(b"<sheetData>", b"<sheetData>" + b" " * (300 * MIO))
    _zip(chemin, _remplacer_partie(parties, "xl/worksheets/sheet1.xml", gonflee))
    _mentir_sur_la_taille(chemin, "xl/worksheets/sheet1.xml", 2048)
    base.unlink()


def _mentir_sur_la_taille(chemin: Path, partie: str, taille: int) -> None:
    """Patch the uncompressed size of one part in its local header and in the central directory."""
    donnees = bytearray(chemin.read_bytes())
    nom = partie.encode()
    for signature, decalage in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        debut = 0
        while (position := donnees.find(signature, debut)) >= 0:
            longueur_nom = struct.unpack_from("<H", donnees, position + (26 if signature == b"PK\x03\x04" else 28))[0]
            entete = 30 if signature == b"PK\x03\x04" else 46
            if bytes(donnees[position + entete : position + entete + longueur_nom]) == nom:
                struct.pack_into("<I", donnees, position + decalage, taille)
            debut = position + 4
    chemin.write_bytes(bytes(donnees))


if __name__ == "__main__":
    HOSTILES.mkdir(exist_ok=True)
    fichiers_csv()
    classeurs()
    for fichier in sorted(HOSTILES.iterdir()):
        print(f"{fichier.stat().st_size:>10}  {fichier.name}")
