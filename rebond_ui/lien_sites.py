"""The sites page's settings in the session and in the link: read once per session from the URL (each
bad value dropped with a French notice), written back after every run, so that a comité de pilotage can
share exactly the ranking it discussed.

The URL parameter names are public (links circulate): grille, poids_<code>, seuil_<code>, nez (critère
non évalué = 0), n (tirages), x (variation des poids, %), k (tête), site. The session keys below are
this module's and the settings panel's own."""

from __future__ import annotations

import streamlit as st

from rebond_core import sites
from rebond_core.grilles import Grille, grilles
from rebond_ui.parametres_url import Lecteur, citer

GRILLE = "sites_grille"
NON_EVALUE_ZERO = "sites_non_evalue_zero"
TIRAGES = "sites_tirages"
ECART_PCT = "sites_ecart_pct"
TETE = "sites_tete"
SITE = "sites_site_explique"
SITE_DU_LIEN = "sites_site_du_lien"
LIEN_LU = "sites_lien_lu"
AVIS_LIEN = "sites_avis_lien"

TIRAGES_MIN, TIRAGES_MAX = 100, 10_000
TETE_MAX = 20
POIDS_MIN, POIDS_MAX = 0.0, 100.0
AUCUN = "aucun"
SEUILS = [AUCUN, "0", "1", "2", "3", "4", "5"]
# URL parameter, session key, default, minimum, maximum of the whole-number settings.
ENTIERS = (
    ("n", TIRAGES, sites.TIRAGES_PAR_DEFAUT, TIRAGES_MIN, TIRAGES_MAX),
    ("x", ECART_PCT, round(sites.ECART_PAR_DEFAUT * 100), 0, 100),
    ("k", TETE, sites.TOP_PAR_DEFAUT, 1, TETE_MAX),
)
LIBELLES_ENTIERS = {"n": "tirages", "x": "variation des poids en %", "k": "tête du classement"}


def parametres() -> list[str]:
    """Every public parameter name of the page's link (the criteria of every grid)."""
    criteres = [c.code for g in grilles().values() for c in g.criteres]
    return ["grille", *(f"poids_{c}" for c in criteres), *(f"seuil_{c}" for c in criteres), "nez", *"nxk", "site"]


def cle_poids(code: str) -> str:
    return f"sites_poids_{code}"


def cle_seuil(code: str) -> str:
    return f"sites_seuil_{code}"


def lire_une_fois() -> None:
    """Seed the settings from the link at the first run of the session; keep a notice per value dropped."""
    if LIEN_LU not in st.session_state:
        st.session_state[AVIS_LIEN] = _lire()
        st.session_state[LIEN_LU] = True


def avis_du_lien() -> list[str]:
    """The notices about the link's dropped values (once)."""
    return list(st.session_state.pop(AVIS_LIEN, []))


def _lire() -> list[str]:
    lecteur = Lecteur.du_lien()
    toutes = grilles()
    defaut = sites.grille(None).code
    st.session_state[GRILLE] = lecteur.choix("grille", {c: g.libelle for c, g in toutes.items()}, defaut, "grille")
    for grille in toutes.values():
        for critere in grille.criteres:
            _lire_critere(lecteur, critere.code, critere.libelle, float(critere.poids), critere.seuil)
    st.session_state[NON_EVALUE_ZERO] = lecteur.booleen("nez", False, "non évalué = 0")
    for nom, cle, defaut_, minimum, maximum in ENTIERS:
        st.session_state[cle] = lecteur.entier(nom, defaut_, minimum, maximum, LIBELLES_ENTIERS[nom])
    site = lecteur.texte("site", "site expliqué")
    if site is not None:
        st.session_state[SITE] = site
        st.session_state[SITE_DU_LIEN] = site
    return lecteur.avis


def _lire_critere(lecteur: Lecteur, code: str, libelle: str, poids: float, seuil: int | None) -> None:
    """One criterion's weight and threshold: the grid file's, unless the link gives one (clamped to the
    panel's bounds; an unreadable one dropped)."""
    st.session_state[cle_poids(code)] = lecteur.nombre(
        f"poids_{code}", poids, POIDS_MIN, POIDS_MAX, f"poids du critère {libelle}"
    )
    defaut = AUCUN if seuil is None else str(seuil)
    st.session_state[cle_seuil(code)] = lecteur.choix(
        f"seuil_{code}", {s: s for s in SEUILS}, defaut, f"seuil du critère {libelle}"
    )


def site_du_lien_absent(ids: list[str]) -> str | None:
    """The notice (plain text) for a site named by the link that is not in the ranking (said once)."""
    site = st.session_state.pop(SITE_DU_LIEN, None)
    if site is None or site in ids:
        return None
    return (
        f"Lien : site expliqué (site) : « {citer(site)} » absent du classement de ce périmètre ; premier site expliqué."
    )


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
