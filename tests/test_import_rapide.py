"""The fast import path gives exactly what the slow one gives (issue 13).

Two shortcuts make a large import fast: CSV files that Python's csv module would read plainly are read
by Arrow's CSV reader straight into columns (`lecture.LECTURE_ARROW`), and each column's distinct cells
are validated in bulk, pydantic only reading the doubtful ones (`validation.LECTURE_EN_BLOC`, see
en_bloc.py). Their invariant: accept nothing the slow path refuses, and read every value as it does.
Both switched off, the import is the one the contract tests were written against.

Checked here: the whole contract corpus imported both ways gives the same report (every field of every
problem) and the same validated rows (values compared by type and repr, so `12.50` and `12.5` differ);
tricky cells read by each field both ways; CSV texts read by both readers.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from rebond_core.config import CLASSEUR_DEMO, RACINE
from rebond_core.db import Base
from rebond_core.erreurs import FichierIllisible
from rebond_core.importation import cellules, en_bloc, lecture, pipeline, validation
from rebond_core.importation.cellules import FORMULE_SANS_VALEUR, CelluleInvalide
from rebond_core.importation.definitions import definitions
from rebond_core.importation.validation import _adaptateur
from rebond_core.referentiel import Referentiel
from tests.data.outils.exporter_csv_excel_fr import exporter
from tests.outils.bases import copie_de, vidage
from tests.outils.contrat import DONNEES

AUJOURD_HUI = date(2026, 6, 1)


# ---------------------------------------------------------------------------------------------------
# The whole corpus, imported both ways


def _cas_du_corpus() -> list[tuple[str, list[Path]]]:
    """Every file of tests/data/{defauts,valides,reels,hostiles} alone, and each folder of files as one
    import (a key repeated across two files, payments after a first import…)."""
    cas = []
    for dossier in ("defauts", "valides", "reels", "hostiles"):
        for chemin in sorted((DONNEES / dossier).iterdir()):
            if chemin.is_dir():
                fichiers = sorted(chemin.iterdir())
                cas.append((f"{dossier}/{chemin.name}", fichiers))
                cas += [(f"{dossier}/{chemin.name}/{f.name}", [f]) for f in fichiers]
            else:
                cas.append((f"{dossier}/{chemin.name}", [chemin]))
    return cas


CORPUS = _cas_du_corpus()


def _lignes(lignes: list[validation.LigneImportee]) -> list[tuple[Any, ...]]:
    return [
        (ligne.table, ligne.ligne, ligne.source, [(c, type(v).__name__, repr(v)) for c, v in ligne.valeurs.items()])
        for ligne in lignes
    ]


def importer_par(chemin_base: Path, fichiers: list[Path], rapide: bool, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A simulated import by the fast path (`rapide`) or the slow one: its whole report, its plan, and
    the rows validation kept (valid ones, valid cells of invalid ones, keys of invalid ones)."""
    monkeypatch.setattr(lecture, "LECTURE_ARROW", rapide)
    monkeypatch.setattr(validation, "LECTURE_EN_BLOC", rapide)
    monkeypatch.setattr(validation, "LIGNES_EN_BLOC", rapide)
    valides: list[validation.Import] = []
    valider = validation.valider_fichiers

    def espion(*args: Any) -> validation.Import:
        valides.append(valider(*args))
        return valides[-1]

    monkeypatch.setattr(pipeline, "valider_fichiers", espion)
    base = Base.ouvrir(chemin_base)
    try:
        resultat = pipeline.importer(base, fichiers, "tests", simulation=True, aujourd_hui=AUJOURD_HUI)
    except FichierIllisible as erreur:
        return {"illisible": str(erreur)}
    finally:
        base.fermer()
    (importe,) = valides
    return {
        "problemes": [p.en_dict() for p in resultat.rapport.problemes],
        "tronque": resultat.rapport.tronque,
        "plan": {t: (p.ajoutees, [repr(m) for m in p.modifiees], p.inchangees) for t, p in resultat.plan.items()},
        "lignes": {t: _lignes(importe.lignes(t)) for t in definitions()},
        "partielles": {t: _lignes(lignes) for t, lignes in importe.partielles.items()},
        "cles_invalides": {t: sorted(map(repr, cles)) for t, cles in importe.cles_invalides.items()},
    }


def assert_memes_imports(chemin_base: Path, fichiers: list[Path], monkeypatch: pytest.MonkeyPatch) -> dict:
    rapide = importer_par(chemin_base, fichiers, True, monkeypatch)
    lent = importer_par(chemin_base, fichiers, False, monkeypatch)
    assert rapide == lent
    return rapide


@pytest.mark.parametrize("fichiers", [f for _, f in CORPUS], ids=[nom for nom, _ in CORPUS])
def test_corpus_memes_rapports_et_lignes(chemin_base_minimale, monkeypatch, fichiers):
    assert_memes_imports(chemin_base_minimale, fichiers, monkeypatch)


VALIDES = [(nom, fichiers) for nom, fichiers in CORPUS if nom.startswith("valides/")]


@pytest.mark.parametrize("fichiers", [f for _, f in VALIDES], ids=[nom for nom, _ in VALIDES])
def test_fichiers_valides_dans_une_base_vide(chemin_base_vide, monkeypatch, fichiers):
    assert_memes_imports(chemin_base_vide, fichiers, monkeypatch)


def test_demonstration_xlsx_et_csv_excel_francais(chemin_base_vide, monkeypatch, tmp_path):
    """The demonstration workbook, and its export as French Excel CSV files (Windows-1252, `;`, decimal
    comma, quoted lists): same rows both ways, and the plain CSV files do go through Arrow's reader."""
    assert assert_memes_imports(chemin_base_vide, [CLASSEUR_DEMO], monkeypatch)["lignes"]["projets"]
    fichiers = exporter(CLASSEUR_DEMO, tmp_path / "csv")
    lus = assert_memes_imports(chemin_base_vide, fichiers, monkeypatch)
    assert not [p for p in lus["problemes"] if p["niveau"] == "erreur"]
    monkeypatch.setattr(lecture, "LECTURE_ARROW", True)
    projets = tmp_path / "csv" / "projets.csv"
    contenu = projets.read_bytes()
    utf8 = lecture._en_utf8(contenu, lecture.decoder_texte(contenu, projets.name))
    assert lecture._table_arrow(utf8, ";", projets.name, "projets") is not None


def test_grande_base_du_banc(modele_base_vide, monkeypatch, tmp_path):
    """The bench's files at factor 3 (French Excel CSV, 3 × the demonstration's projects): same rows both
    ways, none refused."""
    import sys

    sys.path.insert(0, str(RACINE / "bench"))
    import bench  # noqa: PLC0415 — bench/bench.py

    fichiers = bench.fabriquer_csv(tmp_path / "csv", 3)
    lus = assert_memes_imports(copie_de(modele_base_vide, tmp_path), fichiers, monkeypatch)
    assert len(lus["lignes"]["projets"]) == 3 * len(bench.lire_demo()["projets"][1])
    assert not [p for p in lus["problemes"] if p["niveau"] == "erreur"]


# ---------------------------------------------------------------------------------------------------
# Tricky cells, field by field: the bulk reading either leaves a cell to pydantic or reads it as pydantic


CELLULES_DIFFICILES: list[Any] = [
    # Blanks
    None,
    "",
    " ",
    "\t",
    "\u00a0",
    "  x  ",
    # Decimal commas, thousands separators (space, U+00A0, U+202F, U+2007), euros, units
    "12,5",
    "12.5",
    "12,50",
    "12,500",
    "12,567",
    "0,1",
    ",5",
    "5,",
    "1 250",
    "1\u00a0250",
    "1\u202f250",
    "1\u2007250",
    "1 250,75",
    "1\u202f234\u202f567,50 €",
    "1234567.5",
    "12 EUR",
    "12 euros",
    "12 k€",
    "1,5 M€",
    "1.250",
    "1,250",
    "1.250,50",
    # Large, negative, signs, exponents, NaN
    "999999999999",
    "999999999999,99",
    "1000000000000",
    "0000000000000012",
    "9" * 30,
    "1e3",
    "1E3",
    "inf",
    "nan",
    "NaN",
    "-1",
    "-0",
    "-0,00",
    "+1",
    "- 5",
    "2147483647",
    "2147483648",
    "999999999",
    "1000000000",
    "٣",
    "１２",
    # Leading zeros of codes (SIREN, commune, region)
    "0",
    "00",
    "0012",
    "08105",
    "8105",
    "2A004",
    "2a004",
    "59178",
    "591780",
    "012345674",
    "732829320",
    "732 829 320",
    "732829321",
    "32",
    "2",
    "44",
    "99",
    # Excel dates as serials and as text, impossible and out-of-range dates
    "01/02/2023",
    "1/2/2023",
    "31/02/2023",
    "29/02/2024",
    "29/02/2023",
    "2023-02-01",
    "2023-2-1",
    "2023-02-01 00:00",
    "2023-02-01T00:00:00",
    "01/02/2023 00:00:00",
    "01/02/2023 12:00",
    "02/01/23",
    "45000",
    "45000.0",
    "45000,0",
    "45000.5",
    "19999",
    "80001",
    "01/01/1900",
    "31/12/1899",
    "31/12/2100",
    "01/01/2101",
    "0001-01-01",
    "9999-12-31",
    # Booleans
    "oui",
    "non",
    "OUI",
    "Non",
    "vrai",
    "FAUX",
    "x",
    "X",
    "o",
    "n",
    "yes",
    "true",
    "1",
    "peut-être",
    # Enumerations, by code and by label
    "automobile",
    "Automobile",
    "AÉRONAUTIQUE",
    "aeronautique",
    "Véhicules industriels et bus",
    "hors_transport",
    "Hors transport",
    "accorde",
    "Accordé",
    "accordé ",
    "endogene",
    "friche",
    "publique",
    "À sécuriser",
    "a_securiser",
    "en_cours",
    "subvention",
    "Remboursement d'avance",
    # Keys and texts: case, invisible characters, NFC/NFD, length, Excel errors, control characters
    "PRJ-001",
    "prj-001",
    "PRJ\u200b001",
    "PRJ\u200e001",
    "\ufeffPRJ-001",
    "PRJ-001\u00ad",
    "Pe\u0301rigord",
    "P\u00e9rigord",
    "a" * 40,
    "a" * 41,
    "a" * 2000,
    "a" * 2001,
    "douaisis",
    "Douaisis",
    "d",
    "douaisis-2",
    "#N/A",
    "#DIV/0!",
    "#VALEUR!",
    "#hashtag",
    "=SUM(A1)",
    "texte\x01",
    "texte\x85",
    "ligne\nsuite",
    "x\ty",
    "\x7f",
    # Lists (EPCI, filières)
    "200000172",
    "200000172;200000438",
    "200000172, 200000438",
    "200000172;;",
    "200000172;200000172",
    "12;ab",
    "automobile;ferroviaire",
    "automobile, naval",
    "automobile;hors_transport",
    ";",
    # Bounds of integers
    "2025",
    "2019",
    "2041",
    "3",
    "6",
    "5.0",
    "1001",
    # Cells typed by a workbook
    12,
    12.0,
    12.5,
    -3,
    -0.0,
    0.1 + 0.2,
    1e20,
    float("nan"),
    float("inf"),
    True,
    False,
    0,
    1,
    2,
    2**31,
    45000,
    45000.0,
    8105,
    8105.0,
    32,
    732829320,
    date(2023, 2, 1),
    datetime(2023, 2, 1),
    datetime(2023, 2, 1, 12, 30),
    date(1850, 1, 1),
    FORMULE_SANS_VALEUR,
]


def _referentiel() -> Referentiel:
    def codes(fichier: str, colonne: str) -> frozenset[str]:
        with (RACINE / "data" / "ref" / fichier).open(encoding="utf-8") as flux:
            return frozenset(ligne[colonne] for ligne in csv.DictReader(flux))

    return Referentiel(
        codes("regions.csv", "code_region"), codes("epci.csv", "siren_epci"), codes("communes.csv", "code_insee")
    )


REFERENTIEL = _referentiel()
CHAMPS = [(table, colonne) for table, d in definitions().items() for colonne in d.colonnes]


def _forme(valeur: Any) -> Any:
    """A value with its type, all the way into lists (True and 1, 12.5 and 12.50 differ)."""
    if isinstance(valeur, list):
        return ["list", [_forme(v) for v in valeur]]
    return (type(valeur).__name__, repr(valeur))


def _distinctes(cellules: list[Any]) -> list[Any]:
    """The cells as validation gives them: one per distinct cell (told apart by type)."""
    vues: dict[Any, Any] = {}
    for cellule in cellules:
        vues.setdefault(cellule if type(cellule) is str else (type(cellule), repr(cellule)), cellule)
    return list(vues.values())


def assert_comme_pydantic(table: str, colonne: str, cellules: list[Any], virgule_admise: bool = False) -> list[Any]:
    """Read the cells in bulk; every value read (not DOUTEUX) is pydantic's, with its type. Returns the
    bulk reading."""
    modele = definitions()[table].modele
    contexte = {"referentiel": REFERENTIEL, "virgule_admise": virgule_admise}
    cellules = _distinctes(cellules)
    lues = en_bloc.lire_en_bloc(modele, colonne, list(cellules), contexte)
    assert len(lues) == len(cellules)
    for cellule, lue in zip(cellules, lues, strict=True):
        if lue is en_bloc.DOUTEUX:
            continue
        try:
            attendue = _adaptateur(modele, colonne).validate_python(cellule, context=contexte)
        except ValidationError as erreur:
            pytest.fail(f"{table}.{colonne} : {cellule!r} lu {lue!r} en bloc, refusé par pydantic : {erreur}")
        assert _forme(lue) == _forme(attendue), f"{table}.{colonne} : {cellule!r}"
    return lues


@pytest.mark.parametrize(("table", "colonne"), CHAMPS, ids=[f"{t}.{c}" for t, c in CHAMPS])
def test_cellules_difficiles_champ_par_champ(table, colonne):
    """Every tricky cell, in one column (the whole-column checks then see refused values among good ones)
    and each alone (they then see only it)."""
    for virgule in (False, True):
        ensemble = assert_comme_pydantic(table, colonne, CELLULES_DIFFICILES, virgule)
        seules = [assert_comme_pydantic(table, colonne, [c], virgule)[0] for c in _distinctes(CELLULES_DIFFICILES)]
        assert [_forme(v) for v in ensemble] == [_forme(v) for v in seules]


def test_les_cellules_simples_ne_passent_pas_par_pydantic():
    """The point of the bulk reading: the cells of a clean file are all read without pydantic."""
    simples = {
        ("projets", "id_projet"): ["PRJ-001", "PRJ-douaisis-002-x003"],
        ("projets", "intitule"): ["Ligne de peinture", "Atelier n° 2 — extension"],
        ("projets", "siren"): ["732829320", "012345674"],
        ("projets", "commune"): ["59178", "2A004", "08105"],
        ("projets", "statut"): ["accorde", "Accordé"],
        ("projets", "investissement_eur"): ["1504000", "8,2", "12.50", "0"],
        ("projets", "emplois_prevus"): ["0", "12", "0012"],
        ("projets", "date_decision"): ["01/02/2023", "2023-02-01", "", None],
        ("projets", "innovant"): ["oui", "non", "1", "0", ""],
        ("projets", "subvention_eur"): ["", "15000"],
        ("territoires", "region"): ["32", "44"],
        ("territoires", "epci"): ["200000172;200000438"],
        ("territoires", "filieres"): ["automobile;ferroviaire"],
        ("sites", "surface_ha"): ["12,5", "3"],
        ("sites", "score_energie"): ["0", "5", ""],
        ("sites", "disponibilite"): ["2026", ""],
        ("versements", "montant_eur"): ["1500,50"],
        ("versements", "date"): ["15/01/2025"],
    }
    for champ, lot in simples.items():
        lues = assert_comme_pydantic(*champ, lot)
        assert en_bloc.DOUTEUX not in lues, champ


def test_chaque_champ_est_lu_en_bloc():
    """Every field's validators are ones the bulk reading knows how to run: no column of the contract is
    left to pydantic as a whole (a new kind of constraint would make it so, silently slower)."""
    for table, colonne in CHAMPS:
        assert en_bloc._chaine(definitions()[table].modele, colonne) is not None, f"{table}.{colonne}"


# Cells made of the characters numbers, dates and codes are written with.
CELLULES_NUMERIQUES = st.text(alphabet="0123456789 ,.-+/€\u00a0\u202f\u2007eEx#é", max_size=16)
CELLULES_TYPEES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 1, 1)),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    champ=st.sampled_from(CHAMPS),
    cellules=st.lists(st.one_of(CELLULES_NUMERIQUES, CELLULES_TYPEES, st.text(max_size=12)), max_size=12),
)
def test_cellules_au_hasard(champ, cellules):
    assert_comme_pydantic(*champ, cellules)


@settings(max_examples=500, deadline=None)
@given(
    cellule=st.one_of(CELLULES_NUMERIQUES, CELLULES_TYPEES, st.text(max_size=12), st.sampled_from(CELLULES_DIFFICILES))
)
def test_lecteurs_simples_comme_les_parseurs(cellule):
    """Each simple reader reads a cell as its parser does, or leaves it to the parser."""
    for parseur, simple in en_bloc._LECTEURS_SIMPLES.items():
        (lue,) = simple([cellule])
        if lue is en_bloc._AUTRE:
            continue
        try:
            attendue = parseur(cellule)
        except CelluleInvalide as erreur:
            pytest.fail(f"{parseur.__name__}({cellule!r}) refuse ({erreur.code}), lu {lue!r} par le lecteur simple")
        assert _forme(lue) == _forme(attendue), f"{parseur.__name__}({cellule!r})"


def test_textes_tels_quels_caractere_par_caractere():
    """A text read as itself by the simple reader (alone or in a whole column) is what lire_texte returns,
    whichever character it holds, at its start, inside or at its end (every character of the BMP)."""
    for point in range(0x10000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        caractere = chr(point)
        for texte in (f"{caractere}x", f"x{caractere}x", f"x{caractere}"):
            if en_bloc.textes_tels_quels([texte]) or en_bloc._tel_quel(texte):
                assert not _leve(texte) and cellules.lire_texte(texte) == texte, repr(texte)
    assert en_bloc.textes_tels_quels(["Cœur de Flandre", "Île-de-France", "Zone n° 2 — est"])


def _leve(texte: str) -> bool:
    try:
        cellules.lire_texte(texte)
    except CelluleInvalide:
        return True
    return False


# ---------------------------------------------------------------------------------------------------
# CSV texts: Arrow's reader gives what the csv module gives (or leaves the file to it)


def _lire_par(contenu: bytes, nom: str, arrow: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(lecture, "LECTURE_ARROW", arrow)
    try:
        table = lecture.lire_csv(contenu, nom)
    except FichierIllisible as erreur:
        return str(erreur)
    lignes = [[colonne.cellule(rang) for colonne in table.colonnes] for rang in range(len(table.numeros))]
    return (table.table, table.ligne_entete, table.entetes, table.numeros, lignes, table.textes)


def assert_memes_tables(contenu: bytes, monkeypatch: pytest.MonkeyPatch, nom: str = "projets.csv") -> None:
    assert _lire_par(contenu, nom, True, monkeypatch) == _lire_par(contenu, nom, False, monkeypatch)


CELLULE_CSV = st.sampled_from(
    ["", " ", "a", "é", "x y", "\u00a0", "\t", "1", "12,5", '"', '"a;b"', "id_projet", "intitule", "statut", "\x00"]
)
FIN_DE_LIGNE = st.sampled_from(["\n", "\r\n", "\r", ""])


@st.composite
def textes_csv(draw: st.DrawFn) -> str:
    separateur = draw(st.sampled_from([";", ",", "\t"]))
    largeur = draw(st.integers(min_value=1, max_value=4))
    lignes = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        nombre = largeur if draw(st.booleans()) else draw(st.integers(min_value=0, max_value=5))
        lignes.append(separateur.join(draw(st.lists(CELLULE_CSV, min_size=nombre, max_size=nombre))))
    fins = [draw(FIN_DE_LIGNE) for _ in lignes]
    return "".join(ligne + fin for ligne, fin in zip(lignes, fins, strict=True))


@settings(max_examples=400, deadline=None)
@given(texte=textes_csv(), encodage=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_lecteur_arrow_comme_le_module_csv(texte, encodage):
    try:
        contenu = texte.encode(encodage)
    except UnicodeEncodeError:
        contenu = texte.encode("utf-8")
    if contenu:
        with pytest.MonkeyPatch.context() as monkeypatch:
            assert_memes_tables(contenu, monkeypatch)


@settings(max_examples=300, deadline=None)
@given(texte=st.text(alphabet=st.sampled_from('ab;,"\r\n é\t\u00a0\u2028\x0b\x1c'), max_size=60))
def test_lecteur_arrow_sur_du_texte_quelconque(texte):
    if texte.encode():
        with pytest.MonkeyPatch.context() as monkeypatch:
            assert_memes_tables(texte.encode(), monkeypatch)


def test_entete_loin_apres_des_lignes_vides(monkeypatch):
    """A header below more blank or title rows than Arrow's reader looks through: the csv module reads it."""
    for avant in (lecture.ENREGISTREMENTS_ENTETE - 2, lecture.ENREGISTREMENTS_ENTETE + 5):
        for vide in ("", ";", " ; "):
            texte = f"{vide}\n" * avant + "id_projet;intitule\nP-1;Atelier\n;\nP-2;Four\n"
            assert_memes_tables(texte.encode(), monkeypatch)


def test_champ_plus_long_que_la_limite_du_module_csv(monkeypatch):
    """A cell beyond csv.field_size_limit(): the csv module refuses the file, and so it stays."""
    texte = "id_projet;intitule\nP-1;" + "a" * (csv.field_size_limit() + 1) + "\n"
    refus = _lire_par(texte.encode(), "projets.csv", True, monkeypatch)
    assert isinstance(refus, str) and "CSV illisible" in refus
    assert_memes_tables(texte.encode(), monkeypatch)


def test_fichiers_csv_du_corpus(monkeypatch):
    """Every CSV file of the corpus, by both readers; most of them are plain enough for Arrow's."""
    par_arrow = 0
    for chemin in sorted(DONNEES.rglob("*.csv")):
        contenu = chemin.read_bytes()
        assert_memes_tables(contenu, monkeypatch, chemin.name)
        try:
            texte = lecture.decoder_texte(contenu, chemin.name)
        except FichierIllisible:
            continue
        utf8 = lecture._en_utf8(contenu, texte)
        par_arrow += lecture._table_arrow(utf8, lecture.detecter_separateur(texte), chemin.name, None) is not None
    assert par_arrow > len(list(DONNEES.rglob("*.csv"))) / 2


def test_copie_du_corpus_avec_fins_de_ligne_mac(monkeypatch, tmp_path):
    """The corpus CSV files with old Mac line ends (\\r alone)."""
    for chemin in sorted((DONNEES / "valides").glob("*.csv")):
        copie = tmp_path / chemin.name
        shutil.copy(chemin, copie)
        contenu = copie.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r")
        assert_memes_tables(contenu, monkeypatch, chemin.name)


def test_decimal_reste_exact():
    """An amount read in bulk is the Decimal lire_montant writes, to the cent, exponent included."""
    (lue,) = en_bloc.lire_cellules(cellules.lire_montant, ["8,2"])
    assert repr(lue) == repr(cellules.lire_montant("8,2")) == repr(Decimal("8.20"))


@settings(max_examples=300, deadline=None)
@given(texte=st.text(max_size=30), encodage=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_texte_en_utf8_sans_le_recoder(texte, encodage):
    """What Arrow's reader is given is the text decoder_texte read, in UTF-8, whatever the encoding."""
    try:
        contenu = texte.encode(encodage)
    except UnicodeEncodeError:
        return
    if not contenu or b"\x00" in contenu or contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    lu = lecture.decoder_texte(contenu, "f.csv")
    assert lecture._en_utf8(contenu, lu).decode("utf-8") == lu


# ---------------------------------------------------------------------------------------------------
# The writer: the validated columns (pipeline.ECRITURE_EN_COLONNES) or one dict per row, the same base


def _importer_dans(modele: Path, dossier: Path, fichiers: list[Path], en_colonnes: bool) -> Any:
    dossier.mkdir()
    chemin = copie_de(modele, dossier)
    ancien = pipeline.ECRITURE_EN_COLONNES
    pipeline.ECRITURE_EN_COLONNES = en_colonnes
    base = Base.ouvrir(chemin)
    try:
        pipeline.importer(base, fichiers, "test")
    finally:
        base.fermer()
        pipeline.ECRITURE_EN_COLONNES = ancien
    return vidage(chemin)


@pytest.mark.parametrize(
    ("modele", "fichiers"),
    [
        ("modele_base_vide", [CLASSEUR_DEMO]),
        ("modele_base_vide", sorted((DONNEES / "valides").glob("*.csv"))),
        ("modele_base_minimale", [DONNEES / "valides" / "projets_mise_a_jour.csv"]),
        ("modele_base_demo", [DONNEES / "valides" / "versements_releve_2025.csv"]),
    ],
)
def test_both_writers_give_the_same_base(
    modele: str, fichiers: list[Path], request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    source = request.getfixturevalue(modele)
    en_colonnes = _importer_dans(source, tmp_path / "colonnes", fichiers, True)
    par_ligne = _importer_dans(source, tmp_path / "lignes", fichiers, False)
    for vidage_ in (en_colonnes, par_ligne):  # the date of the version is the only thing that may differ
        vidage_["versions"] = [ligne[:1] + ligne[2:] for ligne in vidage_["versions"]]
    assert en_colonnes == par_ligne
    assert sum(len(lignes) for lignes in en_colonnes.values()) > 0


@pytest.mark.parametrize(("cellule", "code"), [("#N/A", "erreur-excel"), ("3\u00012", "caractere-controle")])
def test_a_region_cell_with_an_excel_error_or_a_control_character_is_reported_in_french(
    cellule: str, code: str, chemin_base_vide: Path
) -> None:
    entete = "code_territoire;nom;releve;region;epci;filieres;statut_mission;cout_mission_eur;enveloppe_aides_eur\r\n"
    ligne = f"t1;Territoire;1;{cellule};200000000;automobile;en_cours;1;1\r\n"
    base = Base.ouvrir(chemin_base_vide)
    try:
        resultat = pipeline.importer(base, [("territoires.csv", (entete + ligne).encode())], "test", simulation=True)
    finally:
        base.fermer()
    problemes = [p for p in resultat.rapport.erreurs if p.colonne == "region"]
    assert [p.code for p in problemes] == [code]
    assert "Value error" not in problemes[0].message
