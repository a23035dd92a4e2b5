"""The one reader of the link's parameters (rebond_ui.parametres_url), without Streamlit: typed values within
their bounds whatever the text, never an exception, a French notice for each value dropped or clamped.
Expected values are written by hand; the property tests feed it arbitrary Unicode."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rebond_ui.parametres_url import LONGUEUR_AFFICHEE, Lecteur, citer, lire_entier, lire_montant, lire_nombre
from tests.outils.texte import PIEGES

# Texts that broke or fooled readers: superscript, Arabic-Indic and full-width digits (accepted by
# str.isdigit and, for some, by int), overflowing exponents, NaN and infinities, a 5 000-digit number (int()
# refuses it), control and bidirectional characters, an empty value.
textes = st.one_of(st.text(max_size=40), st.sampled_from(PIEGES))


def lecteur(**parametres: str | list[str]) -> Lecteur:
    return Lecteur({nom: [v] if isinstance(v, str) else v for nom, v in parametres.items()})


def test_nombres_lus_a_la_francaise_et_a_l_anglaise() -> None:
    assert [lire_nombre(t) for t in ("12", " 1,5 ", "1.5", "1 000", "1\u202f000,25", "-3", "+2", "2e3")] == [
        12.0,
        1.5,
        1.5,
        1000.0,
        1000.25,
        -3.0,
        2.0,
        2000.0,
    ]
    assert [t for t in PIEGES if lire_nombre(t) is not None] == ["1" * 30]  # a number: read, then clamped
    assert [lire_entier(t) for t in ("3", "03", "12,0", "2.5", "²")] == [3, 3, 12, None, None]


def test_montants() -> None:
    assert lire_montant("62 000 000") == Decimal("62000000.00")
    assert lire_montant("45,5 M€") == Decimal("45500000.00")
    assert lire_montant("1250000,5") == Decimal("1250000.50")
    assert [lire_montant(t) for t in ("-1", "1,234", "1" * 16, "9" * 30, "²", "nan")] == [None] * 6


def test_valeur_hors_limites_ramenee_avec_un_avis() -> None:
    lu = lecteur(poids_energie="150", n="5", k="1e999")
    assert lu.nombre("poids_energie", 1.0, 0.0, 100.0, "poids du critère Énergie") == 100.0
    assert lu.entier("n", 1000, 100, 10_000, "tirages") == 100
    assert lu.entier("k", 3, 1, 20, "tête") == 3  # not a finite number: the default, not a bound
    assert lu.avis == [
        "Lien : poids du critère Énergie (poids_energie) : « 150 » hors limites (de 0 à 100), ramené à 100.",
        "Lien : tirages (n) : « 5 » hors limites (de 100 à 10\u202f000), ramené à 100.",
        "Lien : tête (k) : « 1e999 » invalide, attendu un entier de 1 à 20 ; valeur par défaut utilisée (3).",
    ]


def test_choix_tolerants() -> None:
    releves = {1: "Relève 1 (01/10/2022)", 3: "Relève 3 (01/06/2023)"}
    territoires = {"douaisis": "Douaisis Agglo", "lorient": "Lorient Agglomération"}
    lu = lecteur(releve=["3", "03", "²", "R3"], territoire=["DOUAISIS", " lorient ", "Lorient agglomeration", "x"])
    assert lu.liste("releve", releves, "filtre Relève") == [3]
    assert lu.liste("territoire", territoires, "filtre Territoire") == ["douaisis", "lorient"]
    assert lu.avis == [
        "Lien : filtre Relève (releve) : « ² » inconnu, ignoré.",
        "Lien : filtre Relève (releve) : « R3 » inconnu, ignoré.",
        "Lien : filtre Territoire (territoire) : « x » inconnu, ignoré.",
    ]


def test_parametre_unique_donne_plusieurs_fois() -> None:
    lu = lecteur(nez=["1", "non"])
    assert lu.booleen("nez", True, "non évalué = 0") is False
    assert lu.avis == ["Lien : non évalué = 0 (nez) donné 2 fois, seule la dernière valeur est lue."]


def test_citation_courte_et_visible() -> None:
    assert citer("a\u202eb\x00c") == "a\ufffdb\ufffdc"
    assert citer("  a \n b  ") == "a b"
    long = citer("x" * 500)
    assert len(long) == LONGUEUR_AFFICHEE + 1 and long.endswith("…")


@settings(max_examples=300, deadline=None)
@given(texte=textes, autres=st.lists(textes, max_size=3))
@example(texte="²", autres=[])
@example(texte="9" * 5000, autres=[])
def test_jamais_d_exception_et_toujours_dans_les_bornes(texte: str, autres: list[str]) -> None:
    lu = lecteur(a=texte, b=[texte, *autres])
    choix = {"x": "Ex", 2: "Deux", "é t": "Été"}
    entier = lu.entier("a", 7, 1, 20, "a")
    nombre = lu.nombre("a", 1.0, 0.0, 100.0, "a")
    montant = lu.montant("a", "a", Decimal("1000"))
    valeurs = lu.liste("b", choix, "b")
    assert isinstance(entier, int) and 1 <= entier <= 20
    assert isinstance(nombre, float) and 0.0 <= nombre <= 100.0
    assert montant is None or Decimal(0) <= montant <= Decimal(1000)
    assert lu.choix("a", {"x": "Ex", "y": "Why"}, "x", "a") in ("x", "y")
    assert isinstance(lu.booleen("a", False, "a"), bool)
    assert set(valeurs) <= set(choix) and len(valeurs) == len(set(valeurs))
    libre = lu.texte("a", "a")
    assert libre is None or len(libre) <= 200
    # A value not taken as it is was reported: at least one notice unless every reading accepted it.
    if lire_nombre(texte) is None:
        assert any("« " in avis for avis in lu.avis)
    for avis in lu.avis:
        assert avis.startswith("Lien : ") and len(avis) < 400
