"""No link, however odd, shows an exception: every parameter of every page is fed arbitrary Unicode (AppTest,
a bounded number of examples per page), and the values the pages keep are within their bounds. The
reading itself (rebond_ui.parametres_url) is tested value by value in test_parametres_url.py; here, a few
odd links are also checked by hand: what they show and what the link becomes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from rebond_core.domaine import FILIERES
from rebond_ui import filtres, lien_sites
from tests.outils.appli import lancer, sans_erreur_inattendue
from tests.outils.texte import PIEGES, lu

PAGES = (
    None,  # the overview, the entry point's default page
    "pages/territoire.py",
    "pages/a_suivre.py",
    "pages/arbitrage.py",
    "pages/sites.py",
    "pages/importer.py",
    "pages/historique.py",
)
# Every parameter a page reads from its link: the shared filters (several values each) on every page, the
# settings of the sites and arbitration pages, and names no page reads.
MULTIPLES = filtres.NOMS
UNIQUES = (
    *lien_sites.parametres(),
    "objectif",
    "budget",
    "plafonds_territoire",
    *(f"plafond_{code}" for code in FILIERES),
    "inconnu",
    "embed",
)
# Valid values mixed in, so that some examples get past the first check of a value.
VALIDES = ["32", "53", "douaisis", "lorient", "automobile", "3", "1", "0", "100", "sites_de_demain", "emplois"]
valeurs = st.one_of(st.text(max_size=24), st.sampled_from(PIEGES), st.sampled_from(VALIDES))
liens = st.fixed_dictionaries(
    {},
    optional={
        **{nom: st.lists(valeurs, min_size=1, max_size=3) for nom in MULTIPLES},
        **{nom: st.one_of(valeurs, st.lists(valeurs, min_size=1, max_size=2)) for nom in UNIQUES},
    },
)
TOUT_PIEGE = {nom: ["²", "1e999"] for nom in MULTIPLES} | {nom: "²" for nom in UNIQUES}


def _avis_du_lien(at: AppTest) -> list[str]:
    return [lu(w.value) for w in at.warning if lu(w.value).startswith("Lien : ")]


def _reglages_dans_leurs_bornes(at: AppTest) -> None:
    """What the sites page keeps is within the bounds of its panel (a widget would refuse anything else)."""
    etat = at.session_state
    for cle, minimum, maximum in (
        (lien_sites.TIRAGES, lien_sites.TIRAGES_MIN, lien_sites.TIRAGES_MAX),
        (lien_sites.ECART_PCT, 0, 100),
        (lien_sites.TETE, 1, lien_sites.TETE_MAX),
    ):
        if cle in etat:
            assert isinstance(etat[cle], int) and minimum <= etat[cle] <= maximum
    for critere in lien_sites.parametres():
        if critere.startswith("poids_") and lien_sites.cle_poids(critere[6:]) in etat:
            assert lien_sites.POIDS_MIN <= etat[lien_sites.cle_poids(critere[6:])] <= lien_sites.POIDS_MAX


@pytest.mark.parametrize("nom_page", PAGES, ids=lambda p: str(p or "vue_ensemble"))
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lien=liens)
@example(lien=TOUT_PIEGE)
@example(lien={"releve": ["²"], "n": "²", "poids_energie": "150", "budget": "9" * 30})
def test_aucun_lien_ne_fait_d_exception(
    application: Path, nom_page: str | None, lien: dict[str, str | list[str]]
) -> None:
    at = lancer(lien, nom_page)  # no exception escaped, none caught by the boundary
    _reglages_dans_leurs_bornes(at)
    # The link the page wrote back reads without a notice: the values in effect, nothing to correct.
    assert _avis_du_lien(lancer(dict(at.query_params), nom_page)) == []


def test_releve_en_exposant(application: Path) -> None:
    """`?releve=²` (a digit for str.isdigit, not for int): the filter is left empty, with a notice."""
    at = lancer({"releve": "²"})
    assert _avis_du_lien(at) == ["Lien : filtre Relève (releve) : « ² » inconnu, ignoré."]
    assert at.multiselect(key="filtre_releve").value == []
    assert "releve" not in at.query_params
    assert {m.label: m.value for m in at.metric}["Territoires lauréats"] == "13"  # the whole programme


def test_filtres_du_lien_lus_avec_tolerance(application: Path) -> None:
    """Codes in another case, labels instead of codes, repeated values: read as the codes they name; the
    link is rewritten with the codes."""
    at = lancer({"territoire": ["DOUAISIS", "douaisis"], "filiere": " Automobile ", "releve": "01"})
    assert _avis_du_lien(at) == []
    assert at.multiselect(key="filtre_territoire").value == ["douaisis"]
    assert at.multiselect(key="filtre_filiere").value == ["automobile"]
    assert at.multiselect(key="filtre_releve").value == [1]
    lien = at.query_params
    assert (lien["territoire"], lien["filiere"], lien["releve"]) == ("douaisis", "automobile", "1")


def test_tirages_en_exposant_sur_la_page_des_sites(application: Path) -> None:
    at = lancer({"n": "²", "site": "SITE-INCONNU"}, "pages/sites.py")
    avis = _avis_du_lien(at)
    attendu = "Lien : tirages (n) : « ² » invalide, attendu un entier de 100 à 10 000 ; valeur par défaut utilisée"
    assert f"{attendu} (1 000)." in avis
    assert any(a.startswith("Lien : site expliqué (site) : « SITE-INCONNU » absent du classement") for a in avis)
    assert at.number_input(key="sites_tirages").value == 1000
    assert at.query_params["n"] == "1000" and at.query_params["site"] != "SITE-INCONNU"


def test_une_seule_lecture_du_lien_par_session(application: Path) -> None:
    """The notice is said once: the next run of the same session (a click) does not repeat it."""
    at = lancer({"region": "99"})
    assert len(_avis_du_lien(at)) == 1
    at.run()
    sans_erreur_inattendue(at)
    assert _avis_du_lien(at) == []
