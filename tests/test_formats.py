"""French formats, the one door for every number and date a person reads: expected strings written by hand
(U+202F between thousands, U+00A0 before a unit, comma for decimals, half-up rounding), and a round-trip
property with the cell parser of the import."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebond_core import formats
from rebond_core.formats import EMPLOIS, EUROS, NOMBRE, RATIO, TAUX, VIDE
from rebond_core.importation.cellules import lire_nombre
from rebond_core.importation.rapport import Rapport, a_corriger_d_abord

M = "\u202f"  # thousands
U = "\u00a0"  # before a unit


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (0, f"0{U}€"),
        (12_345, f"12{M}345{U}€"),
        (99_999.4, f"99{M}999{U}€"),
        (-12_345, f"-12{M}345{U}€"),
        # from 100 000 € on, M€: two decimals below 10 M€, one from 10 M€
        (100_000, f"0,10{U}M€"),
        (1_250_000, f"1,25{U}M€"),
        (Decimal("1125000"), f"1,13{U}M€"),  # 1,125 half up (half-even would give 1,12)
        (-250_000, f"-0,25{U}M€"),
        (10_000_000, f"10,0{U}M€"),
        (62_000_000, f"62,0{U}M€"),
        (1_234_500_000, f"1{M}234,5{U}M€"),
    ],
)
def test_indicateur_en_euros(valeur: object, attendu: str) -> None:
    assert formats.indicateur(valeur, EUROS) == attendu


@pytest.mark.parametrize(
    ("valeur", "unite", "attendu"),
    [
        (0.1234, TAUX, f"12,3{U}%"),
        (0.1225, TAUX, f"12,3{U}%"),  # 12,25 half up
        (1.5, TAUX, f"150,0{U}%"),
        (-0.015, TAUX, f"-1,5{U}%"),
        (2.25, RATIO, "2,3"),  # half up, not half even
        (5, RATIO, "5,0"),
        (1234.56, RATIO, f"1{M}234,6"),
        (2.5, NOMBRE, "3"),
        (1234, NOMBRE, f"1{M}234"),
        (1_234_567, EMPLOIS, f"1{M}234{M}567"),
        (-3, EMPLOIS, "-3"),
        (Decimal("1234567.891"), NOMBRE, f"1{M}234{M}568"),
    ],
)
def test_indicateur_par_unite(valeur: object, unite: str, attendu: str) -> None:
    assert formats.indicateur(valeur, unite) == attendu


@pytest.mark.parametrize("unite", [EUROS, NOMBRE, EMPLOIS, TAUX, RATIO])
@pytest.mark.parametrize("manquante", [None, float("nan"), Decimal("NaN")])
def test_valeur_manquante_est_un_tiret(unite: str, manquante: object) -> None:
    assert VIDE == "—"
    assert formats.indicateur(manquante, unite) == VIDE


def test_pas_de_moins_zero() -> None:
    assert formats.nombre(-0.04, 1) == "0,0"
    assert formats.nombre(-0.05, 1) == "-0,1"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (Decimal("1234.5"), f"1{M}234,50"),
        (Decimal("5000.00"), f"5{M}000"),
        (Decimal("12.3456"), "12,3456"),
        (Decimal("12.3400"), "12,34"),
        (Decimal("-0.5"), "-0,50"),
    ],
)
def test_nombre_avec_toutes_ses_decimales(valeur: Decimal, attendu: str) -> None:
    assert formats.nombre(valeur, None) == attendu


def test_euros_au_centime() -> None:
    assert formats.euros(Decimal("1234567.5"), None) == f"1{M}234{M}567,50{U}€"
    assert formats.euros(Decimal("90000000"), None) == f"90{M}000{M}000{U}€"


def test_dates() -> None:
    assert formats.date_fr(date(2022, 11, 4)) == "04/11/2022"
    assert formats.date_fr(datetime(2022, 11, 4, 9, 5)) == "04/11/2022 à 09:05"
    assert formats.date_fr(None) == VIDE


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (None, "(vide)"),
        ("  ", "(vide)"),
        ([], "(vide)"),
        (float("nan"), "(vide)"),
        (True, "oui"),
        (False, "non"),
        # numbers as read from a workbook cell: no thousands separator (a year, a code), decimal comma
        (-5000.0, "-5000"),
        (12.5, "12,5"),
        (1e-05, "0,00001"),
        (2045, "2045"),
        # a Decimal is a value as the import understood it
        (Decimal("100000"), f"100{M}000"),
        (Decimal("1234.5"), f"1{M}234,50"),
        (Decimal("12.3456"), "12,3456"),
        (date(2023, 5, 15), "15/05/2023"),
        (datetime(2023, 5, 15), "15/05/2023"),
        (datetime(2023, 5, 15, 10, 5), "15/05/2023 à 10:05"),
        (["automobile", "naval"], "automobile ; naval"),
        ("#N/A", "#N/A"),
    ],
)
def test_valeur_lisible_cellule(valeur: object, attendu: str) -> None:
    assert formats.valeur_lisible_cellule(valeur) == attendu


def test_rapport_ecrit_la_valeur_trouvee_comme_l_apercu() -> None:
    rapport = Rapport()
    rapport.ajouter("annonce-avant-limite", "releves", 2, "date_annonce", date(2023, 5, 15), annonce="x", limite="y")
    rapport.ajouter("valeur-negative", "projets", 3, "investissement_eur", -5000.0)
    rapport.ajouter("valeur-manquante", "projets", 4, "intitule", "   ")
    assert [p.valeur for p in rapport.problemes] == ["15/05/2023", "-5000", None]
    assert rapport.problemes[0].position == "feuille releves, ligne 2, colonne date_annonce"
    assert rapport.problemes[1].en_ligne() == (
        "ERREUR [valeur-negative] feuille projets, ligne 3, colonne investissement_eur, valeur « -5000 » : "
        "Valeur positive ou nulle attendue."
    )
    assert (
        rapport.problemes[2]
        .en_ligne()
        .startswith("ERREUR [valeur-manquante] feuille projets, ligne 4, colonne intitule : ")
    )
    assert a_corriger_d_abord(rapport) == (
        "Corrigez les 3 erreur(s) du rapport, en commençant par la première : "
        "« La date d'annonce (x) précède la date limite de la relève (y). » "
        "(feuille releves, ligne 2, colonne date_annonce)."
    )


@given(
    x=st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False, allow_infinity=False),
    d=st.integers(min_value=0, max_value=4),
)
def test_aller_retour_avec_le_lecteur_de_cellules(x: Decimal, d: int) -> None:
    """What formats.nombre writes, the import reads back as the value rounded half up to d decimals."""
    assert lire_nombre(formats.nombre(x, d)) == x.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)


@given(x=st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_aller_retour_exact(x: Decimal) -> None:
    """With every decimal kept, nothing is lost."""
    assert lire_nombre(formats.nombre(x, None)) == x
