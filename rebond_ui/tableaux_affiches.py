"""The data grids: territories (with the drill-down), projects, a territory's EPCI and the ranking of
sites, with French column labels, numbers shown the French way, and downloads.

Tables of any size: numbers are shown the French way through a pandas Styler, which pandas and Streamlit
refuse past 262 144 cells and which costs memory per cell; so a table of more than LIGNES_PAR_PAGE rows is
shown one page at a time (`page_affichee`: sort on the whole table and page number above it, only the
page's rows styled and sent), while its downloads hold every row."""

from __future__ import annotations

import functools
import hashlib
import math
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, sites, vues_sites, vues_territoire
from rebond_core.domaine import FILIERES, ORIGINES, STATUTS_MISSION, STATUTS_PROJET, replier
from rebond_ui import composants, filtres
from rebond_ui.contexte import Contexte

ALLER_A_LA_FICHE = "aller_a_la_fiche"
COLONNES_TERRITOIRES = {
    "nom": "Territoire",
    "region_nom": "Région",
    "releve": "Relève",
    "statut_mission": "Mission",
    "projets": "Projets",
    "projets_accordes": "Accordés",
    "investissement_detecte_eur": "Investissement détecté (€)",
    "emplois_detectes": "Emplois détectés",
    "aides_engagees_eur": "Aides engagées (€)",
    "verse_eur": "Versé (€)",
    "enveloppe_aides_eur": "Enveloppe (€)",
    "taux_enveloppe": "Part engagée",
}
COLONNES_PROJETS = {
    "id_projet": "Identifiant",
    "territoire": "Territoire",
    "intitule": "Intitulé",
    "entreprise": "Entreprise",
    "commune_nom": "Commune",
    "filiere": "Filière",
    "origine": "Origine",
    "statut": "Statut",
    "investissement_eur": "Investissement (€)",
    "emplois_prevus": "Emplois prévus",
    "emplois_crees": "Emplois créés",
    "aide_demandee_eur": "Aide demandée (€)",
    "subvention_eur": "Subvention (€)",
    "avance_remboursable_eur": "Avance remboursable (€)",
    "date_decision": "Date de décision",
    "date_statut": "Date du statut",
    "verse_eur": "Versé (€)",
}


LIGNES_PAR_PAGE = 500  # a page of 500 rows: half the data sent and drawn of 1 000, the same to read (bench/README.md)
ORDRE_DU_TABLEAU = "(ordre du tableau)"


def en_francais(df: pd.DataFrame, sauf: tuple[str, ...] = (), cle: str | None = None) -> Any:
    """The table with its numbers shown the French way (1 234 567, 12,5) whatever the browser's
    language, while sorting still uses the numbers themselves (a pandas Styler). A table longer than
    LIGNES_PAR_PAGE is paged (`page_affichee`, its widgets keyed on `cle`, else on the column names): the
    Styler holds the page shown only."""
    formats_colonnes = {}
    for colonne in df.columns:
        serie = df[colonne]
        if colonne in sauf or pd.api.types.is_bool_dtype(serie) or not pd.api.types.is_numeric_dtype(serie):
            continue
        entiere = pd.api.types.is_integer_dtype(serie) or bool((serie.dropna() == serie.dropna().round()).all())
        formats_colonnes[colonne] = functools.partial(_nombre_ou_tiret, decimales=0 if entiere else 1)
    return page_affichee(df, cle).style.format(formats_colonnes)


def _cle_par_defaut(df: pd.DataFrame) -> str:
    return "tableau_" + hashlib.sha1("|".join(map(str, df.columns)).encode()).hexdigest()[:12]


def page_affichee(df: pd.DataFrame, cle: str | None = None) -> pd.DataFrame:
    """The rows of `df` to show: every row up to LIGNES_PAR_PAGE; beyond, one page of LIGNES_PAR_PAGE rows,
    chosen above the table with a sort on any column (of the whole table, done here) and a page number,
    and a caption that says which rows are shown. Widgets keyed on `cle` (default: from the columns)."""
    if len(df) <= LIGNES_PAR_PAGE:
        return df
    cle = cle or _cle_par_defaut(df)
    pages = math.ceil(len(df) / LIGNES_PAR_PAGE)
    colonnes = [ORDRE_DU_TABLEAU, *(str(c) for c in df.columns)]
    cle_tri, cle_ordre, cle_page = f"{cle}_tri", f"{cle}_decroissant", f"{cle}_page"
    if st.session_state.get(cle_tri) not in colonnes:  # a column gone (another table under this key)
        st.session_state[cle_tri] = ORDRE_DU_TABLEAU
    page = st.session_state.get(cle_page)
    if not isinstance(page, int) or not 1 <= page <= pages:  # fewer rows than before (a filter changed)
        st.session_state[cle_page] = 1 if not isinstance(page, int) else min(max(page, 1), pages)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        tri = st.selectbox("Trier le tableau par", colonnes, key=cle_tri, width=320)
        decroissant = st.toggle("Décroissant", key=cle_ordre)
        numero = int(st.number_input(f"Page (sur {pages})", 1, pages, step=1, key=cle_page, width=180))
    if tri != ORDRE_DU_TABLEAU:
        df = _trier(df, df.columns[colonnes.index(tri) - 1], decroissant)
    elif decroissant:
        df = df.iloc[::-1]
    debut = (numero - 1) * LIGNES_PAR_PAGE
    page_ = df.iloc[debut : debut + LIGNES_PAR_PAGE]
    st.caption(
        f"Lignes {formats.nombre(debut + 1)} à {formats.nombre(debut + len(page_))} sur "
        f"{formats.nombre(len(df))} : le tableau est découpé en pages de {formats.nombre(LIGNES_PAR_PAGE)} lignes "
        "(le tri ci-dessus porte sur toutes les lignes) ; les téléchargements contiennent toutes les lignes."
    )
    return page_


def _trier(df: pd.DataFrame, colonne: Any, decroissant: bool) -> pd.DataFrame:
    """The whole table sorted on one column: numbers and dates by value, text without regard to case or
    accents; missing values last."""
    serie = df[colonne]
    numerique = pd.api.types.is_numeric_dtype(serie) or pd.api.types.is_datetime64_any_dtype(serie)
    cles = None if numerique else (lambda s: s.map(lambda v: "" if formats.manquante(v) else replier(str(v))))
    return df.sort_values(colonne, ascending=not decroissant, kind="stable", na_position="last", key=cles)


def _nombre_ou_tiret(valeur: Any, decimales: int) -> str:
    return formats.VIDE if valeur is None or pd.isna(valeur) else formats.nombre(valeur, decimales)


# How a cell reads by the provenance of its value (demonstration data): hypotheses in ochre, made-up values
# in grey italics; published and imported values unmarked.
STYLE_PROVENANCE = {
    "hypothese": f"background-color: #FEECC2; color: {figures.GRIS_TEXTE}",
    "fictif": f"color: {figures.GRIS_MOYEN}; font-style: italic",
}
# Table column → value of referentiel.CHAMPS_PROVENANCE whose provenance marks it.
CELLULES_PROVENANCE = {"Relève": "releve", "Enveloppe (€)": "enveloppe_aides_eur"}


def tableau_territoires(territoires: pd.DataFrame, contexte: Contexte, provenance: pd.DataFrame) -> None:
    """Sortable table of the territories in scope; selecting a row opens its drill-down. On demonstration
    data, the relève and envelope cells are coloured by provenance and a column says which values are
    hypotheses or made up (`provenance`: referentiel.provenances)."""
    vue = territoires[list(COLONNES_TERRITOIRES)].copy()
    vue["statut_mission"] = vue["statut_mission"].map(STATUTS_MISSION)
    vue["taux_enveloppe"] = vue["taux_enveloppe"] * 100
    codes = [str(c) for c in territoires["code_territoire"]]
    incertains = _valeurs_incertaines(provenance, codes)
    marquer = contexte.etat.demo and any(incertains)
    if marquer:
        vue["provenance"] = incertains
    affichage = vue.rename(columns=COLONNES_TERRITOIRES | {"provenance": "Valeurs non publiées"})
    style = en_francais(affichage, sauf=("Part engagée",), cle="table_territoires_pages")
    affiches = [str(c) for c in territoires.loc[style.data.index, "code_territoire"]]  # the page shown
    if marquer:
        style = style.apply(lambda colonne: _styles_provenance(colonne, affiches, provenance), axis=0)
    st.dataframe(
        style,
        hide_index=True,
        width="stretch",
        selection_mode="single-row",
        key="table_territoires",
        on_select=functools.partial(_ouvrir_fiche, affiches),
        column_config={
            "Territoire": st.column_config.TextColumn("Territoire", width="medium"),
            "Région": st.column_config.TextColumn("Région", width="small"),
            "Part engagée": st.column_config.ProgressColumn(
                "Part engagée", format="%.0f %%", min_value=0, max_value=100
            ),
            "Valeurs non publiées": st.column_config.TextColumn("Valeurs non publiées", width="medium"),
        },
    )
    st.caption(
        "Sélectionnez une ligne pour ouvrir la fiche du territoire. Cliquez sur un en-tête pour trier."
        + (
            " Relève et enveloppe : sur fond ocre une hypothèse, en gris italique une valeur fictive "
            "(démonstration), sans marque une valeur publiée."
            if marquer
            else ""
        )
    )
    composants.telechargements(
        affichage.assign(**{"Part engagée": vue["taux_enveloppe"].round(1)}),
        "territoires",
        [
            f"Rebond industriel — territoires ; {filtres.description_texte(contexte.filtres, contexte.options)}",
            f"Version {contexte.version}",
        ],
        "territoires",
    )


def _valeurs_incertaines(provenance: pd.DataFrame, codes: list[str]) -> list[str]:
    """vues_territoire.valeurs_incertaines of each code, computed once per distinct provenance row: the
    territories share a few patterns, and a pandas row lookup per territory cost about 90 ms for 1 300."""
    par_code: dict[str, str] = {}
    par_motif: dict[tuple[Any, ...], str] = {}
    lignes = provenance[provenance.index.isin(codes)]
    for code, motif in zip(lignes.index, lignes.astype(object).itertuples(index=False, name=None), strict=True):
        if motif not in par_motif:
            par_motif[motif] = vues_territoire.valeurs_incertaines(provenance, code)
        par_code[str(code)] = par_motif[motif]
    return [par_code.get(code, "") for code in codes]


def _styles_provenance(colonne: pd.Series, codes: list[str], provenance: pd.DataFrame) -> list[str]:
    champ = CELLULES_PROVENANCE.get(str(colonne.name))
    if champ is None or champ not in provenance:
        return [""] * len(colonne)
    origines = provenance[champ].astype(object).to_dict()
    return [STYLE_PROVENANCE.get(str(origines.get(code)), "") for code in codes]


def _ouvrir_fiche(codes: list[str]) -> None:
    """Selection callback (runs before the rerun, when filter state may still change)."""
    lignes = st.session_state["table_territoires"].selection.rows
    if lignes:
        filtres.choisir_territoire(codes[lignes[0]])
        st.session_state[ALLER_A_LA_FICHE] = True


def aller_a_la_fiche_si_demande() -> None:
    if st.session_state.pop(ALLER_A_LA_FICHE, False):
        st.switch_page("pages/territoire.py")


def tableau_projets(projets: pd.DataFrame, contexte: Contexte, cle: str) -> None:
    vue = projets[list(COLONNES_PROJETS)].copy()
    vue["filiere"] = vue["filiere"].map(FILIERES)
    vue["statut"] = vue["statut"].map(STATUTS_PROJET)
    vue["origine"] = vue["origine"].map(ORIGINES)
    affichage = vue.rename(columns=COLONNES_PROJETS)
    st.dataframe(
        en_francais(affichage, cle=f"table_{cle}_pages"),
        hide_index=True,
        width="stretch",
        key=f"table_{cle}",
        column_config={
            "Date de décision": st.column_config.DateColumn("Date de décision", format="DD/MM/YYYY"),
            "Date du statut": st.column_config.DateColumn("Date du statut", format="DD/MM/YYYY"),
        },
    )
    composants.telechargements(
        affichage,
        "projets",
        [
            f"Rebond industriel — projets ; {filtres.description_texte(contexte.filtres, contexte.options)}",
            f"Version {contexte.version}",
        ],
        cle,
    )


COLONNES_EPCI = {
    "nom": "EPCI",
    "siren_epci": "SIREN",
    "type": "Type",
    "population_municipale": "Population",
    "nb_communes": "Communes",
}


def tableau_epci(epci: pd.DataFrame, code: str, nom: str) -> None:
    """The EPCI of a territory with their population, and its download."""
    st.dataframe(
        en_francais(epci.rename(columns=COLONNES_EPCI), cle="table_epci_pages"), hide_index=True, width="stretch"
    )
    st.caption("Population municipale (INSEE), EPCI du COG 2026.")
    composants.telechargements(epci, f"epci-{code}", [f"Rebond industriel — EPCI du territoire {nom}"], "epci")


STYLE_POSITION = {
    sites.ROBUSTE: f"background-color: {figures.FOND_ROBUSTE}; color: {figures.VERT_ROBUSTE}; font-weight: 600",
    sites.FRAGILE: f"background-color: {figures.FOND_FRAGILE}; color: {figures.ORANGE_FRAGILE}; font-weight: 600",
}
STYLE_ECARTE = f"color: {figures.GRIS_MOYEN}"


def _rang(valeur: Any) -> str:
    return formats.VIDE if pd.isna(valeur) else str(int(valeur))


def _part(valeur: Any) -> str:
    return formats.VIDE if pd.isna(valeur) else formats.pourcentage(valeur, 0)


def tableau_sites(vue: pd.DataFrame, top: int) -> None:
    """The ranking of sites (vues_sites.vue_classement): positions coloured, sites set apart in grey."""
    style = (
        page_affichee(vue, "table_sites_pages")
        .style.format(
            {
                "Score": vues_sites.score,
                "Complétude": _part,
                vues_sites.colonne_tete(top): _part,
                "Rang": _rang,
            },
            na_rep=formats.VIDE,
        )
        .map(lambda v: STYLE_POSITION.get(v, ""), subset=["Position"])
        .apply(lambda ligne: [STYLE_ECARTE if ligne["Motif d'écart"] else ""] * len(ligne), axis=1)
    )
    st.dataframe(
        style,
        hide_index=True,
        width="stretch",
        key="table_sites",
        placeholder=formats.VIDE,
        column_config={
            "Rang": st.column_config.Column("Rang", width="small"),
            "Site": st.column_config.Column("Site", width="medium"),
            "Rangs 5–95 %": st.column_config.Column(
                "Rangs 5–95 %", help="Intervalle des rangs du 5e au 95e centile des tirages."
            ),
        },
    )
