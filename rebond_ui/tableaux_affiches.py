"""The data grids: territories (with the drill-down), projects, a territory's EPCI and the ranking of
sites, with French column labels, numbers shown the French way, and downloads."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, sites, vues_sites, vues_territoire
from rebond_core.domaine import FILIERES, ORIGINES, STATUTS_MISSION, STATUTS_PROJET
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


def en_francais(df: pd.DataFrame, sauf: tuple[str, ...] = ()) -> Any:
    """The table with its numbers shown the French way (1 234 567, 12,5) whatever the browser's
    language, while sorting still uses the numbers themselves (a pandas Styler)."""
    formats_colonnes = {}
    for colonne in df.columns:
        serie = df[colonne]
        if colonne in sauf or pd.api.types.is_bool_dtype(serie) or not pd.api.types.is_numeric_dtype(serie):
            continue
        entiere = pd.api.types.is_integer_dtype(serie) or bool((serie.dropna() == serie.dropna().round()).all())
        formats_colonnes[colonne] = functools.partial(_nombre_ou_tiret, decimales=0 if entiere else 1)
    return df.style.format(formats_colonnes)


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
    incertains = [vues_territoire.valeurs_incertaines(provenance, code) for code in codes]
    marquer = contexte.etat.demo and any(incertains)
    if marquer:
        vue["provenance"] = incertains
    affichage = vue.rename(columns=COLONNES_TERRITOIRES | {"provenance": "Valeurs non publiées"})
    style = en_francais(affichage, sauf=("Part engagée",))
    if marquer:
        style = style.apply(lambda colonne: _styles_provenance(colonne, codes, provenance), axis=0)
    st.dataframe(
        style,
        hide_index=True,
        width="stretch",
        selection_mode="single-row",
        key="table_territoires",
        on_select=functools.partial(_ouvrir_fiche, codes),
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
            f"Rebond industriel — territoires ; {filtres.description(contexte.filtres, contexte.options)}",
            f"Version {contexte.version}",
        ],
        "territoires",
    )


def _styles_provenance(colonne: pd.Series, codes: list[str], provenance: pd.DataFrame) -> list[str]:
    champ = CELLULES_PROVENANCE.get(str(colonne.name))
    if champ is None or champ not in provenance:
        return [""] * len(colonne)
    return [STYLE_PROVENANCE.get(str(provenance[champ].get(code)), "") for code in codes]


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
        en_francais(affichage),
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
            f"Rebond industriel — projets ; {filtres.description(contexte.filtres, contexte.options)}",
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
    st.dataframe(en_francais(epci.rename(columns=COLONNES_EPCI)), hide_index=True, width="stretch")
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
        vue.style.format(
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
