"""Sites industriels de demain: candidate sites scored on a criteria grid, ranked, with the robustness of
the ranking, the explanation of a site's score, a map and downloads (spec criteres-sites.md)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, geo, sites
from rebond_core.erreurs import RebondError
from rebond_ui import classement, composants, donnees, filtres
from rebond_ui.cadre import cadre
from rebond_ui.surete import brut

contexte = cadre()
st.title("Sites industriels de demain")
st.caption(
    f"{filtres.description(contexte.filtres, contexte.options)} — sites candidats des territoires du "
    "périmètre (les sites n'ont pas de filière : le filtre Filière retient les territoires de cette filière)."
)

choix = classement.reglages()
try:
    reglages = classement.reglages_coeur(choix)
except RebondError as erreur:
    st.error(brut(erreur.message_fr), icon=":material/block:")
    composants.pied()
    st.stop()
grille = reglages.grille
cle = donnees.cle(contexte.filtres)
resultat = classement.calculer(contexte.version, cle, choix)
tableau = resultat.tableau
if tableau.empty:
    st.info(
        "Aucun site candidat dans ce périmètre. Élargissez les filtres ou cliquez sur « Réinitialiser les filtres »."
    )
    composants.pied()
    st.stop()

noms_territoires = dict(contexte.options["territoire"])
retenus = tableau[tableau["retenu"]]
k = choix.top


def _score(valeur: object) -> str:
    return "—" if valeur is None or pd.isna(valeur) else formats.nombre(valeur, 1)


def _intervalle(ligne: pd.Series) -> str:
    if pd.isna(ligne["rang_bas"]):
        return "—"
    bas, haut = int(ligne["rang_bas"]), int(ligne["rang_haut"])
    return str(bas) if bas == haut else f"{bas} – {haut}"


# --- summary --------------------------------------------------------------------------------------
colonnes = st.columns(4)
colonnes[0].metric("Sites du périmètre", formats.nombre(len(tableau)))
colonnes[1].metric("Sites classés", formats.nombre(len(retenus)))
colonnes[2].metric(
    "Sites écartés",
    formats.nombre(len(tableau) - len(retenus)),
    help="Non évalués (aucun critère noté) ou non retenus (sous un seuil éliminatoire).",
)
colonnes[3].metric(
    "Positions robustes", formats.nombre(int((retenus["position"] == sites.ROBUSTE).sum())), help=sites.REGLE_POSITION
)
if not retenus.empty:
    tete = retenus[retenus["rang"] <= k]
    st.markdown(
        "**En tête** : "
        + " ; ".join(
            f"{int(ligne['rang'])}\\. {brut(ligne['nom'])} ({_score(ligne['score'])}, {ligne['position']})"
            for _, ligne in tete.iterrows()
        )
    )

# --- ranking table ----------------------------------------------------------------------------------
st.subheader("Classement")
vue = pd.DataFrame(
    {
        "Rang": tableau["rang"],
        "Position": tableau["position"].fillna("écarté"),
        "Site": tableau["nom"],
        "Score": tableau["score"],
        "Complétude": tableau["completude"],
        "Rangs 5–95 %": tableau.apply(_intervalle, axis=1),
        f"Dans les {k} premiers": tableau["part_top"],
        "Motif d'écart": tableau["motif"].fillna(""),
        "Territoire": tableau["code_territoire"].map(lambda c: noms_territoires.get(c, c)),
        "Commune": tableau["commune_nom"],
        "Identifiant": tableau["id_site"],
    }
)
COULEURS_POSITION = {
    sites.ROBUSTE: f"background-color: #B8FEC9; color: {figures.VERT_ROBUSTE}; font-weight: 600",
    sites.FRAGILE: f"background-color: #FFE9E6; color: {figures.ORANGE_FRAGILE}; font-weight: 600",
}
style = (
    vue.style.format(
        {
            "Score": _score,
            "Complétude": lambda v: formats.pourcentage(v, 0),
            f"Dans les {k} premiers": lambda v: "—" if pd.isna(v) else formats.pourcentage(v, 0),
            "Rang": lambda v: "—" if pd.isna(v) else str(int(v)),
        },
        na_rep="—",
    )
    .map(lambda v: COULEURS_POSITION.get(v, ""), subset=["Position"])
    .apply(lambda ligne: ["color: #929292"] * len(ligne) if ligne["Motif d'écart"] else [""] * len(ligne), axis=1)
)
st.dataframe(
    style,
    hide_index=True,
    width="stretch",
    key="table_sites",
    placeholder="—",
    column_config={
        "Rang": st.column_config.Column("Rang", width="small"),
        "Site": st.column_config.Column("Site", width="medium"),
        "Rangs 5–95 %": st.column_config.Column(
            "Rangs 5–95 %", help="Intervalle des rangs du 5e au 95e centile des tirages."
        ),
    },
)
st.caption(
    f"Score sur 100 = 100 × Σ poids × note / (5 × Σ poids), sur les critères évalués"
    f"{' (un critère non évalué compte 0)' if choix.non_evalue_zero else ''} ; complétude = part des poids "
    f"évalués. Rangs partagés en cas d'égalité (1, 2, 2, 4). Robustesse : {formats.nombre(choix.tirages)} tirages "
    f"des poids, chacun dans ± {choix.ecart_pct} % de sa valeur (graine fixe {sites.GRAINE}) ; intervalle = rangs "
    f"des 5e et 95e centiles. {sites.REGLE_POSITION}"
)
export = pd.DataFrame(
    {
        "Identifiant": tableau["id_site"],
        "Site": tableau["nom"],
        "Territoire": vue["Territoire"],
        "Commune": tableau["commune_nom"],
        "Rang": tableau["rang"],
        "Score": tableau["score"].round(2),
        "Complétude (%)": (tableau["completude"] * 100).round(1),
        "Rang 5e centile": tableau["rang_bas"],
        "Rang 95e centile": tableau["rang_haut"],
        f"Part dans les {k} premiers (%)": (tableau["part_top"] * 100).round(1),
        "Position": tableau["position"],
        "Motif d'écart": tableau["motif"],
    }
)


def _poids(valeur: float) -> str:
    texte = formats.nombre(valeur, 3)
    return texte.rstrip("0").rstrip(",") if "," in texte else texte


entete = [
    f"Rebond industriel — classement des sites — {filtres.description(contexte.filtres, contexte.options)}",
    f"Version {contexte.version} — grille : {grille.libelle} ({grille.code})",
    *[
        f"Critère {c.libelle} : poids {_poids(p)}, seuil {'aucun' if s is None else f'note ≥ {s}'}"
        for c, p, s in zip(grille.criteres, reglages.poids, reglages.seuils, strict=True)
    ],
    "Critère non évalué : compte 0" if choix.non_evalue_zero else "Critère non évalué : exclu du calcul",
    f"Robustesse : {choix.tirages} tirages, poids à ± {choix.ecart_pct} %, tête = {k} premiers, graine {sites.GRAINE}",
]
composants.telechargements(export, "classement-sites", entete, "sites")

# --- explanation of one site ------------------------------------------------------------------------
st.subheader("Explication du score d'un site")
ids = list(tableau["id_site"])
noms = dict(zip(tableau["id_site"], tableau["nom"], strict=True))
if st.session_state.get("sites_site") not in ids:
    st.session_state["sites_site"] = ids[0]
site = st.selectbox("Site", ids, format_func=lambda i: f"{noms[i]} ({i})", key="sites_site")
classement.ecrire_site()
ligne = tableau.set_index("id_site").loc[site]
etat = (
    (
        f"rang {int(ligne['rang'])}, score {_score(ligne['score'])}, complétude "
        f"{formats.pourcentage(ligne['completude'], 0)}, position {ligne['position']}"
    )
    if ligne["retenu"]
    else (
        f"écarté ({ligne['motif']}), score {_score(ligne['score'])}, complétude "
        f"{formats.pourcentage(ligne['completude'], 0)}"
    )
)
st.markdown(f"**{brut(ligne['nom'])}** — {etat}.")
notes = resultat.notes
libelles = [c.libelle for c in grille.criteres]
autres = notes.drop(index=site)
detail = pd.DataFrame(
    {
        "libelle": libelles,
        "score": notes.loc[site].to_numpy(),
        "poids": list(reglages.poids),
        "points": resultat.points.loc[site].to_numpy(),
        "moyenne_autres": autres.mean(axis=0, skipna=True).to_numpy()
        if len(autres)
        else [float("nan")] * len(libelles),
    }
)
gauche, droite = st.columns(2)
with gauche:
    st.markdown("**Contribution de chaque critère au score**")
    st.plotly_chart(figures.contributions_site(detail), config={"displayModeBar": False}, key="contributions_site")
    st.caption(
        "Points du score apportés par chaque critère (poids × note, rapportés au total) : ils s'additionnent "
        "pour donner le score."
    )
with droite:
    st.markdown("**Profil du site et moyenne des autres sites**")
    st.plotly_chart(figures.profil_site(detail, ligne["nom"]), config={"displayModeBar": False}, key="profil_site")
    st.caption(f"Moyenne des notes des {len(autres)} autre(s) site(s) du périmètre évalués sur chaque critère.")

# --- map ----------------------------------------------------------------------------------------
st.subheader("Carte des sites")
if geo.dossier_geo() is None:
    composants.carte_indisponible()
else:
    points = classement.positions(tableau, classement.centroides() or {})
    if points.empty:
        st.info("Communes des sites absentes des fonds de carte : carte indisponible pour ce périmètre.")
    else:
        points["texte"] = [
            f"<b>{p['nom']}</b><br>{p['commune_nom'] or ''}<br>"
            + (f"rang {int(p['rang'])}, score {_score(p['score'])}" if p["retenu"] else f"écarté : {p['motif']}")
            for _, p in points.iterrows()
        ]
        territoires_ = donnees.table("territoires", contexte.version, cle)
        codes_epci = tuple(sorted({s for liste in territoires_["epci"] for s in liste}))
        zoom, centre = classement.cadrage(points)
        st.plotly_chart(
            figures.carte_sites(points, classement.contours_epci(codes_epci), zoom, centre),
            config={"scrollZoom": False, "displaylogo": False},
            key="carte_sites",
        )
        composants.source(
            contexte.etat,
            "Chaque site est placé au centre de sa commune (sites d'une même commune "
            "légèrement décalés) ; en bleu pâle, les EPCI des territoires du périmètre.",
        )

composants.pied()
