"""The sites page's settings in the session and in the link: read once per session from the URL (each
bad value dropped with a French notice), written back after every run, so that a comité de pilotage can
share exactly the ranking it discussed.

The URL parameter names are public (links circulate): grille, poids_<code>, seuil_<code>, nez (critère
non évalué = 0), n (tirages), x (variation des poids, %), k (tête), site. The session keys below are
this module's and the settings panel's own."""

from __future__ import annotations

import math

import streamlit as st

from rebond_core import formats, sites
from rebond_core.grilles import Grille, grilles

GRILLE = "sites_grille"
NON_EVALUE_ZERO = "sites_non_evalue_zero"
TIRAGES = "sites_tirages"
ECART_PCT = "sites_ecart_pct"
TETE = "sites_tete"
SITE = "sites_site_explique"
LIEN_LU = "sites_lien_lu"
AVIS_LIEN = "sites_avis_lien"

TIRAGES_MIN, TIRAGES_MAX = 100, 10_000
TETE_MAX = 20
AUCUN = "aucun"
SEUILS = [AUCUN, "0", "1", "2", "3", "4", "5"]
# URL parameter, session key, default, minimum, maximum of the whole-number settings.
ENTIERS = (
    ("n", TIRAGES, sites.TIRAGES_PAR_DEFAUT, TIRAGES_MIN, TIRAGES_MAX),
    ("x", ECART_PCT, round(sites.ECART_PAR_DEFAUT * 100), 0, 100),
    ("k", TETE, sites.TOP_PAR_DEFAUT, 1, TETE_MAX),
)


def cle_poids(code: str) -> str:
    return f"sites_poids_{code}"


def cle_seuil(code: str) -> str:
    return f"sites_seuil_{code}"


def _nombre(texte: str) -> float | None:
    try:
        valeur = float(texte.replace(",", "."))
    except ValueError:
        return None
    return valeur if math.isfinite(valeur) else None


def lire_une_fois() -> None:
    """Seed the settings from the link at the first run of the session; keep a notice per value dropped."""
    if LIEN_LU not in st.session_state:
        st.session_state[AVIS_LIEN] = _lire()
        st.session_state[LIEN_LU] = True


def avis_du_lien() -> list[str]:
    """The notices about the link's dropped values (once)."""
    return list(st.session_state.pop(AVIS_LIEN, []))


def _lire() -> list[str]:
    avis: list[str] = []
    parametres = st.query_params
    toutes = grilles()
    code = parametres.get("grille")
    if code is not None and code not in toutes:
        avis.append(f"Lien : grille « {code} » inconnue, grille par défaut utilisée.")
        code = None
    st.session_state[GRILLE] = code or sites.grille(None).code
    for grille in toutes.values():
        for critere in grille.criteres:
            avis += _lire_critere(critere.code, critere.libelle, float(critere.poids), critere.seuil)
    st.session_state[NON_EVALUE_ZERO] = parametres.get("nez") in ("1", "oui", "true")
    for nom, cle, defaut, minimum, maximum in ENTIERS:
        st.session_state[cle] = defaut
        texte = parametres.get(nom)
        if texte is None:
            continue
        if texte.isdigit() and minimum <= int(texte) <= maximum:
            st.session_state[cle] = int(texte)
        else:
            avis.append(
                f"Lien : valeur « {texte} » invalide pour « {nom} » (attendu un entier de {minimum} à "
                f"{formats.nombre(maximum)}), valeur par défaut utilisée."
            )
    if parametres.get("site"):
        st.session_state[SITE] = parametres.get("site")
    return avis


def _lire_critere(code: str, libelle: str, poids: float, seuil: int | None) -> list[str]:
    """One criterion's weight and threshold: the grid file's, unless the link gives a valid one."""
    avis = []
    st.session_state[cle_poids(code)] = poids
    st.session_state[cle_seuil(code)] = AUCUN if seuil is None else str(seuil)
    texte = st.query_params.get(f"poids_{code}")
    if texte is not None:
        valeur = _nombre(texte)
        if valeur is None or valeur < 0:
            avis.append(f"Lien : poids « {texte} » invalide pour {libelle}, poids du fichier utilisé.")
        else:
            st.session_state[cle_poids(code)] = valeur
    texte = st.query_params.get(f"seuil_{code}")
    if texte is not None:
        if texte in SEUILS:
            st.session_state[cle_seuil(code)] = texte
        else:
            avis.append(f"Lien : seuil « {texte} » invalide pour {libelle}, ignoré.")
    return avis


def ecrire(grille: Grille) -> None:
    """The settings of the session into the link (criteria of other grids removed)."""
    parametres = st.query_params
    codes = {c.code for c in grille.criteres}
    for cle in list(parametres.keys()):
        if cle.startswith(("poids_", "seuil_")) and cle.split("_", 1)[1] not in codes:
            del parametres[cle]
    parametres["grille"] = grille.code
    for critere in grille.criteres:
        parametres[f"poids_{critere.code}"] = f"{float(st.session_state[cle_poids(critere.code)]):g}"
        seuil = st.session_state[cle_seuil(critere.code)]
        if seuil != AUCUN:
            parametres[f"seuil_{critere.code}"] = str(seuil)
        elif f"seuil_{critere.code}" in parametres:
            del parametres[f"seuil_{critere.code}"]
    parametres["nez"] = "1" if st.session_state[NON_EVALUE_ZERO] else "0"
    for nom, cle, *_ in ENTIERS:
        parametres[nom] = str(st.session_state[cle])


def ecrire_site() -> None:
    """The site chosen for the explanation, into the link (after its widget is drawn)."""
    site = st.session_state.get(SITE)
    if site:
        st.query_params["site"] = site
    elif "site" in st.query_params:
        del st.query_params["site"]
