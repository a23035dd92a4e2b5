"""Site scoring, ranking and robustness (spec criteres-sites.md): small grids computed by hand,
properties with hypothesis, and the `classement` command on the demonstration base."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebond_core import cli, sites
from rebond_core.db import Base
from rebond_core.erreurs import ReglageInvalide
from rebond_core.grilles import Critere, Grille
from rebond_core.importation.pipeline import importer

N = np.nan
GRILLE = Grille(
    "essai",
    "Grille d'essai",
    "",
    False,
    (
        Critere("a", "Critère A", "", Decimal(2), None),
        Critere("b", "Critère B", "", Decimal(1), None),
        Critere("c", "Critère C", "", Decimal(1), None),
    ),
)
# S1 all 5; S2 without c; S3 and S4 tie at 60; S5 assessed on nothing.
MATRICE = np.array(
    [
        [5, 5, 5],
        [4, 2, N],
        [3, 3, 3],
        [2, 4, 4],
        [N, N, N],
    ],
    dtype=float,
)


def _classer(**reglages: object) -> sites.Classement:
    return sites.classer(MATRICE, sites.reglages(GRILLE, **reglages))  # type: ignore[arg-type]


def test_score_completude_et_rangs_partages() -> None:
    c = _classer()
    # S2: (2·4 + 1·2) / (5 · (2 + 1)) = 10/15; completeness 3/4. S3: 4·3/20; S4: (4 + 4 + 4)/20.
    assert c.score[:4] == pytest.approx([100.0, 200 / 3, 60.0, 60.0])
    assert c.completude == pytest.approx([1.0, 0.75, 1.0, 1.0, 0.0])
    assert np.isnan(c.score[4])
    assert list(c.rang[:4]) == [1, 2, 3, 3]
    assert np.isnan(c.rang[4])
    assert list(c.retenu) == [True, True, True, True, False]
    assert c.motif == [None, None, None, None, "non évalué"]


def test_mode_non_evalue_zero() -> None:
    c = _classer(non_evalue_zero=True)
    # S2: 10 / (5 · 4) = 50; S5: 0 and ranked; completeness unchanged.
    assert c.score == pytest.approx([100.0, 50.0, 60.0, 60.0, 0.0])
    assert c.completude == pytest.approx([1.0, 0.75, 1.0, 1.0, 0.0])
    assert list(c.rang) == [1, 4, 2, 2, 5]
    assert all(c.retenu)


def test_seuil_eliminatoire_garde_score_et_completude() -> None:
    c = _classer(seuils={"c": 4})
    assert list(c.retenu) == [True, False, False, True, False]
    assert c.rang[0] == 1 and c.rang[3] == 2
    assert np.isnan(c.rang[1]) and np.isnan(c.rang[2])
    assert c.score[1] == pytest.approx(200 / 3) and c.completude[1] == 0.75
    assert c.motif[1] == "non retenu : Critère C non évalué (seuil 4)"
    assert c.motif[2] == "non retenu : Critère C 3 sous le seuil 4"
    assert c.motif[4] == "non évalué"  # no score at all: "non évalué" comes first


def test_seuil_en_mode_zero_ecarte_aussi_le_non_evalue() -> None:
    c = _classer(seuils={"c": 4}, non_evalue_zero=True)
    assert list(c.retenu) == [True, False, False, True, False]
    assert c.score[4] == 0.0 and c.motif[4] == "non retenu : Critère C non évalué (seuil 4)"


def test_poids_modifies_et_contributions() -> None:
    c = _classer(poids={"a": 0, "c": 3})
    # Weights (0, 1, 3). S2: (0·4 + 1·2) / (5 · 1) = 40, completeness 1/4. S4: (4 + 12)/20 = 80.
    assert c.score[:4] == pytest.approx([100.0, 40.0, 60.0, 80.0])
    assert c.completude[1] == pytest.approx(0.25)
    assert list(c.rang[:4]) == [1, 4, 3, 2]
    assert c.contributions()[3] == pytest.approx([0.0, 4.0, 12.0])
    assert c.points()[3] == pytest.approx([0.0, 20.0, 60.0])  # sums to the score


@pytest.mark.parametrize(
    "poids, message",
    [
        ({"a": -1}, "Poids invalide pour le critère Critère A"),
        ({"a": 0, "b": 0, "c": 0}, "Au moins un poids doit être strictement positif"),
        ({"a": float("nan")}, "Poids invalide"),
        ({"z": 1}, "Critère inconnu pour le poids : z"),
    ],
)
def test_poids_refuses(poids: dict[str, float], message: str) -> None:
    with pytest.raises(ReglageInvalide) as erreur:
        sites.reglages(GRILLE, poids)
    assert message in erreur.value.message_fr


def test_seuil_refuse_et_grille_inconnue() -> None:
    with pytest.raises(ReglageInvalide, match="Seuil invalide pour le critère Critère B"):
        sites.reglages(GRILLE, seuils={"b": 6})
    with pytest.raises(ReglageInvalide, match="Grille inconnue : nulle"):
        sites.grille("nulle")
    assert sites.grille(None).code == "sites_de_demain"


def test_rangs_apres_arrondi_a_six_decimales() -> None:
    assert list(sites.rangs(np.array([50.0000000001, 50.0, 40.0]))) == [1, 1, 3]
    assert list(sites.rangs(np.array([50.00001, 50.0, 40.0]))) == [1, 2, 3]
    assert list(sites.rangs(np.array([1.0, 3.0, 3.0, 2.0, 3.0]))) == [5, 1, 1, 4, 1]
    assert sites.rangs(np.array([[1.0, 2.0], [2.0, 1.0]])).tolist() == [[2, 1], [1, 2]]


def test_matrice_scores_depuis_le_json() -> None:
    m = sites.matrice_scores(['{"b": 3, "autre": 1}', "{}", {"a": 0}], ["a", "b"])
    assert m[0, 1] == 3 and np.isnan(m[0, 0]) and np.isnan(m[1]).all() and m[2, 0] == 0


def test_robustesse_part_du_top_calculee_a_la_main() -> None:
    grille = Grille(
        "deux", "Deux", "", False, (Critere("x", "X", "", Decimal(1), None), Critere("y", "Y", "", Decimal(1), None))
    )
    c = sites.classer(np.array([[5.0, 0.0], [0.0, 4.0]]), sites.reglages(grille))
    assert list(c.rang) == [1, 2]  # 50 against 40
    # ±10 %: w_x / w_y ≥ 0.9 / 1.1 > 0.8, so A (5·w_x > 4·w_y) always stays first.
    r = sites.robustesse(c, tirages=2000, ecart=0.10, top=1)
    assert list(r.part_top) == [1.0, 0.0] and r.position == ["robuste", "robuste"]
    # ±50 %: B first when w_x < 0.8·w_y with w uniform on [0.5, 1.5]²:
    # area = ∫_{0.625}^{1.5} (0.8·w − 0.5) dw = 0.4·(2.25 − 0.390625) − 0.5·0.875 = 0.30625.
    r = sites.robustesse(c, tirages=20_000, ecart=0.50, top=1)
    assert r.part_top[1] == pytest.approx(0.30625, abs=0.02)
    assert r.part_top[0] + r.part_top[1] == pytest.approx(1.0)
    assert (r.rang_bas.tolist(), r.rang_haut.tolist()) == ([1, 1], [2, 2])


def test_robustesse_reproductible_et_ecartes_sans_intervalle() -> None:
    c = _classer(seuils={"c": 4})
    r1, r2 = sites.robustesse(c, tirages=300, ecart=0.3), sites.robustesse(c, tirages=300, ecart=0.3)
    assert np.array_equal(r1.part_top, r2.part_top, equal_nan=True)
    assert np.isnan(r1.rang_bas[[1, 2, 4]]).all() and r1.position[1] is None


def test_ordre_de_sortie_et_json() -> None:
    import pandas as pd

    df = pd.DataFrame(
        {
            "id_site": ["S-e", "S-d", "S-c", "S-b", "S-a"],
            "nom": list("EDCBA"),
            "code_territoire": ["t"] * 5,
            "scores": [
                json.dumps({k: v for k, v in zip("abc", ligne, strict=True) if v == v}) for ligne in MATRICE.tolist()
            ],
        }
    )
    tableau, _, _ = sites.tableau(df, sites.reglages(GRILLE, seuils={"c": 4}))
    # Ranked: S-e (1), S-b (2); then set apart by id_site: S-a, S-c, S-d.
    assert list(tableau["id_site"]) == ["S-e", "S-b", "S-a", "S-c", "S-d"]
    objets = sites.en_json(tableau)
    assert list(objets[0]) == ["id_site", "nom", "code_territoire", "score", "completude", "rang", "retenu", "motif"]
    assert objets[0] == {
        "id_site": "S-e",
        "nom": "E",
        "code_territoire": "t",
        "score": 100.0,
        "completude": 1.0,
        "rang": 1,
        "retenu": True,
        "motif": None,
    }
    assert objets[2] == {
        "id_site": "S-a",
        "nom": "A",
        "code_territoire": "t",
        "score": None,
        "completude": 0.0,
        "rang": None,
        "retenu": False,
        "motif": "non évalué",
    }
    assert objets[4]["score"] == pytest.approx(66.666667) and objets[4]["rang"] is None
    json.dumps(objets)  # plain Python values only


# --- properties -------------------------------------------------------------------------------

_score = st.one_of(st.none(), st.integers(0, 5))
_matrices = st.integers(1, 4).flatmap(
    lambda m: st.tuples(
        st.lists(st.lists(_score, min_size=m, max_size=m), min_size=1, max_size=8),
        st.lists(st.one_of(st.just(0.0), st.floats(0.01, 10)), min_size=m, max_size=m).filter(lambda p: any(p)),
    )
)


def _grille(m: int) -> Grille:
    return Grille("h", "H", "", False, tuple(Critere(f"k{j}", f"K{j}", "", Decimal(1), None) for j in range(m)))


def _regl(poids: list[float], zero: bool) -> sites.Reglages:
    grille = _grille(len(poids))
    return sites.reglages(grille, {f"k{j}": p for j, p in enumerate(poids)}, non_evalue_zero=zero)


def _tableau(lignes: list[list[int | None]]) -> np.ndarray:
    return np.array([[N if v is None else v for v in ligne] for ligne in lignes], dtype=float)


@settings(max_examples=150, deadline=None)
@given(_matrices, st.booleans())
def test_score_entre_0_et_100(donnees: tuple, zero: bool) -> None:
    lignes, poids = donnees
    c = sites.classer(_tableau(lignes), _regl(poids, zero))
    valeurs = c.score[~np.isnan(c.score)]
    assert ((valeurs >= 0) & (valeurs <= 100 + 1e-9)).all()
    assert ((c.completude >= 0) & (c.completude <= 1 + 1e-12)).all()


@settings(max_examples=150, deadline=None)
@given(_matrices, st.booleans(), st.data())
def test_monter_un_critere_ne_baisse_jamais_le_score(donnees: tuple, zero: bool, tirage: st.DataObject) -> None:
    lignes, poids = donnees
    matrice = _tableau(lignes)
    i = tirage.draw(st.integers(0, len(matrice) - 1))
    j = tirage.draw(st.integers(0, matrice.shape[1] - 1))
    avant = matrice[i, j]
    if np.isnan(avant) and not zero:
        avant = tirage.draw(st.integers(0, 5))  # in the default mode, raise an assessed score
        matrice[i, j] = avant
    depart = 0 if np.isnan(avant) else int(avant)
    plus = matrice.copy()
    plus[i, j] = tirage.draw(st.integers(depart, 5))
    regl = _regl(poids, zero)
    s0, s1 = sites.classer(matrice, regl).score[i], sites.classer(plus, regl).score[i]
    if np.isnan(s0):  # only when every assessed criterion has weight 0
        assert np.isnan(s1) or s1 >= 0
    else:
        assert s1 >= s0 - 1e-9


@settings(max_examples=150, deadline=None)
@given(_matrices, st.booleans(), st.floats(0.01, 100))
def test_multiplier_tous_les_poids_ne_change_aucun_rang(donnees: tuple, zero: bool, facteur: float) -> None:
    lignes, poids = donnees
    matrice = _tableau(lignes)
    r0 = sites.classer(matrice, _regl(poids, zero)).rang
    r1 = sites.classer(matrice, _regl([p * facteur for p in poids], zero)).rang
    assert np.array_equal(r0, r1, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(_matrices, st.booleans(), st.integers(1, 4))
def test_sans_perturbation_l_intervalle_est_le_rang(donnees: tuple, zero: bool, top: int) -> None:
    lignes, poids = donnees
    c = sites.classer(_tableau(lignes), _regl(poids, zero))
    r = sites.robustesse(c, tirages=50, ecart=0.0, top=top)
    assert np.array_equal(r.rang_bas, c.rang, equal_nan=True)
    assert np.array_equal(r.rang_haut, c.rang, equal_nan=True)
    retenus = c.retenu
    assert np.array_equal(r.part_top[retenus], (c.rang[retenus] <= top).astype(float))
    assert all(p == "robuste" for p, ok in zip(r.position, retenus, strict=True) if ok)


# --- the command, on three territories' sites frozen from the demonstration data ---------------------

SITES_FIGES = Path(__file__).parent / "data" / "sites" / "sites_lorient_morlaix_blois.xlsx"


@pytest.fixture
def chemin_base_sites(chemin_base_vide: Path) -> Path:
    """An empty base plus Lorient, Morlaix and Blois-Romorantin with the 22 sites the demonstration data
    held on 29/11/2026 (tests/data/sites): the hand computations below read their scores, which a
    regeneration of the demonstration data must not move."""
    base = Base.ouvrir(chemin_base_vide)
    try:
        assert importer(base, [SITES_FIGES], "tests").rapport.valide
    finally:
        base.fermer()
    return chemin_base_vide


def _commande(capsys: pytest.CaptureFixture[str], chemin: Path, *options: str) -> tuple[int, list, str]:
    statut = cli.main(["classement", "--db", str(chemin), *options])
    sortie = capsys.readouterr()
    return statut, (json.loads(sortie.out) if statut == 0 and "--json" in options else []), sortie.err


def test_commande_classement_json_sur_lorient(chemin_base_sites: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statut, objets, _ = _commande(capsys, chemin_base_sites, "--territoire", "lorient", "--json")
    assert statut == 0 and len(objets) == 8
    premier = objets[0]
    # SIT-lorient-01 on sites_de_demain: 4+5+5+5+3+4+3+3+4 = 36 over 9 assessed criteria (energie missing).
    assert premier == {
        "id_site": "SIT-lorient-01",
        "nom": premier["nom"],
        "code_territoire": "lorient",
        "score": 80.0,
        "completude": 0.9,
        "rang": 1,
        "retenu": True,
        "motif": None,
    }
    rangs_ = [o["rang"] for o in objets]
    assert rangs_ == sorted(rangs_) and all(o["retenu"] for o in objets)


def test_commande_classement_poids_et_seuil(chemin_base_sites: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statut, objets, _ = _commande(
        capsys, chemin_base_sites, "--territoire", "lorient", "--poids", "energie=3", "--seuil", "mobilite=3", "--json"
    )
    assert statut == 0
    par_id = {o["id_site"]: o for o in objets}
    # SIT-lorient-06: 5+2+3·4+5+4+4+3+3 = 38 over weights 10 assessed of 12 → 76, completeness 10/12.
    assert par_id["SIT-lorient-06"]["score"] == pytest.approx(76.0)
    assert par_id["SIT-lorient-06"]["completude"] == pytest.approx(10 / 12, abs=1e-6)
    assert par_id["SIT-lorient-06"]["rang"] == 2
    # SIT-lorient-05 has no mobilite score: set apart, it keeps its score and completeness
    # (5+3+3·4+3+2+4+3+2 = 34 over weights 10 assessed of 12 → 68, 10/12; economie_circulaire missing too).
    assert par_id["SIT-lorient-05"]["retenu"] is False and par_id["SIT-lorient-05"]["rang"] is None
    assert par_id["SIT-lorient-05"]["score"] == pytest.approx(68.0)
    assert par_id["SIT-lorient-05"]["completude"] == pytest.approx(10 / 12, abs=1e-6)
    assert par_id["SIT-lorient-05"]["motif"] == "non retenu : Mobilités et accessibilité non évalué (seuil 3)"
    ecartes = [o["id_site"] for o in objets if not o["retenu"]]
    assert ecartes == sorted(ecartes) and objets[-len(ecartes) :] == [par_id[i] for i in ecartes]
    assert ecartes == ["SIT-lorient-03", "SIT-lorient-05", "SIT-lorient-07", "SIT-lorient-08"]


def test_commande_classement_non_evalue(chemin_base_sites: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statut, objets, _ = _commande(capsys, chemin_base_sites, "--territoire", "blois-romorantin", "--json")
    assert statut == 0
    assert objets[-1] == {
        "id_site": "SIT-blois-romorantin-05",
        "nom": objets[-1]["nom"],
        "code_territoire": "blois-romorantin",
        "score": None,
        "completude": 0.0,
        "rang": None,
        "retenu": False,
        "motif": "non évalué",
    }
    statut, objets, _ = _commande(
        capsys, chemin_base_sites, "--territoire", "blois-romorantin", "--non-evalue-zero", "--json"
    )
    assert objets[-1]["id_site"] == "SIT-blois-romorantin-05" and objets[-1]["score"] == 0.0
    assert objets[-1]["rang"] == 7 and objets[-1]["retenu"] is True


@pytest.mark.parametrize(
    "options, message",
    [
        (["--grille", "inconnue"], "Grille inconnue : inconnue"),
        (["--poids", "inconnu=2"], "Critère inconnu pour le poids : inconnu"),
        (["--seuil", "inconnu=2"], "Critère inconnu pour le seuil : inconnu"),
        (["--grille", "cles_en_main", "--poids", "energie=2"], "Critère inconnu pour le poids : energie"),
        (["--region", "99"], "Région inconnue du référentiel : 99"),
        (["--territoire", "atlantide"], "Territoire absent de la base : atlantide"),
        (["--poids", "energie=-1"], "Poids invalide pour le critère Énergie"),
        (["--poids", "energie"], "Option --poids mal formée"),
        (["--seuil", "energie=six"], "Seuil invalide pour energie"),
        (["--poids", "energie=lourd"], "Poids non numérique pour energie : « lourd »"),
    ],
)
def test_commande_classement_refus(
    chemin_base_sites: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    statut, _, erreur = _commande(capsys, chemin_base_sites, *options, "--json")
    assert statut == 2
    assert message in erreur


def test_commande_classement_grille_cles_en_main_et_region(
    chemin_base_sites: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statut, objets, _ = _commande(capsys, chemin_base_sites, "--grille", "cles_en_main", "--region", "53", "--json")
    assert statut == 0
    assert {o["code_territoire"] for o in objets} == {"lorient", "morlaix"} and len(objets) == 15
    par_id = {o["id_site"]: o for o in objets}
    # Clés en main, attractivite_economique not assessed for either:
    # SIT-lorient-06: 4 + 5 + 4 + 5 = 18 → 100·18/20 = 90; SIT-lorient-01: 4 + 5 + 3 + 5 = 17 → 85.
    assert par_id["SIT-lorient-06"]["score"] == pytest.approx(90.0) and par_id["SIT-lorient-06"]["rang"] == 1
    assert par_id["SIT-lorient-01"]["score"] == pytest.approx(85.0) and par_id["SIT-lorient-01"]["rang"] == 2
    assert par_id["SIT-lorient-01"]["completude"] == pytest.approx(0.8)
