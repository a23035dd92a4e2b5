"""Reading the reports' PDF as a person or a script would: poppler's pdftotext (which turns U+202F and U+00A0
into plain spaces) for what the page says, pypdf for the exact characters in reading order."""

from __future__ import annotations

import io
import re
import subprocess

import pypdf

from rebond_core import exports


def texte(contenu: bytes) -> str:
    """The PDF's text through `pdftotext`, every run of white space (narrow no-break spaces included) as one
    space, typographic apostrophes as straight ones."""
    brut = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=contenu, capture_output=True, check=True)
    return normaliser(brut.stdout.decode("utf-8"))


def normaliser(texte_: str) -> str:
    return re.sub(r"[\s\u202f\u00a0]+", " ", texte_.replace("\u2019", "'")).strip()


def texte_exact(contenu: bytes) -> str:
    """The PDF's text through pypdf, U+202F and U+00A0 kept, one line per line of the page."""
    lecteur = pypdf.PdfReader(io.BytesIO(contenu))
    return "\n".join(page.extract_text() for page in lecteur.pages)


def porte_la_marque_demo(contenu: bytes) -> bool:
    """Whether the report says, in full, that it shows demonstration data (exports.MARQUE_DEMO)."""
    return normaliser(exports.MARQUE_DEMO) in texte(contenu)


def nombre_de_pages(contenu: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(contenu)).pages)
