"""The empty template workbook: one sheet per table with its headers, and a notice sheet."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from rebond_core.importation.notice import notice_complete

TITRE_NOTICE = "notice"
INTRODUCTION = (
    "Classeur de relève « Rebond industriel » : une feuille par table. Les colonnes en bleu sont "
    "obligatoires. Une clé déjà présente dans la base met à jour la ligne : les colonnes présentes "
    "remplacent les valeurs enregistrées, les colonnes absentes les conservent. Montants en euros "
    "(1 234 567,50), dates jj/mm/aaaa, listes séparées par « ; »."
)


def ecrire_modele(chemin: Path) -> None:
    """Write the template to `chemin`."""
    notice = notice_complete()
    classeur = xlsxwriter.Workbook(str(chemin))
    requis = classeur.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#000091"})
    facultatif = classeur.add_format({"bold": True, "bg_color": "#E3E3FD"})
    for table, colonnes in notice.items():
        feuille = classeur.add_worksheet(table)
        for indice, (colonne, _type, obligatoire, _valeurs, regle) in enumerate(colonnes):
            feuille.write_string(0, indice, colonne, requis if obligatoire else facultatif)
            feuille.write_comment(0, indice, regle)
            feuille.set_column(indice, indice, max(14, len(colonne) + 2))
        feuille.freeze_panes(1, 0)
    _ecrire_notice(classeur, notice)
    classeur.close()


def _ecrire_notice(classeur: xlsxwriter.Workbook, notice: dict[str, list[tuple[str, str, bool, str, str]]]) -> None:
    feuille = classeur.add_worksheet(TITRE_NOTICE)
    gras = classeur.add_format({"bold": True, "bg_color": "#E3E3FD", "text_wrap": True, "valign": "top"})
    texte = classeur.add_format({"text_wrap": True, "valign": "top"})
    feuille.merge_range(0, 0, 0, 5, INTRODUCTION, texte)
    feuille.set_row(0, 60)
    entetes = ("feuille", "colonne", "type", "obligatoire", "valeurs acceptées", "règle")
    for indice, entete in enumerate(entetes):
        feuille.write_string(2, indice, entete, gras)
    ligne = 3
    for table, colonnes in notice.items():
        for colonne, type_, obligatoire, valeurs, regle in colonnes:
            cellules = (table, colonne, type_, "oui" if obligatoire else "non", valeurs, regle)
            for indice, valeur in enumerate(cellules):
                feuille.write_string(ligne, indice, valeur, texte)
            ligne += 1
    for indice, largeur in enumerate((12, 26, 16, 11, 60, 60)):
        feuille.set_column(indice, indice, largeur)
