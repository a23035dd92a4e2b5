"""Hostile and odd files (tests/data/hostiles, made by tests/data/outils/fabriquer_hostiles.py): none may
make the import hold the machine, crash at the write, store what the pages cannot show, or create a second
row for a key a person reads as the same. Expected reports written by hand from the contract."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebond_core import formats, perimetre, projection
from rebond_core.db import Base
from rebond_core.erreurs import FichierIllisible
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import Filtres, calculer
from tests.outils.bases import vidage

HOSTILES = Path(__file__).parent / "data" / "hostiles"
RACINE = Path(__file__).parent.parent
MEMOIRE_MAX_KIO = 400 * 1024  # "a few hundred MB" for the whole command, Python and its libraries included

# File → what the refusal must say (FichierIllisible, exit status 2).
CAS_REFUS = {
    "cellule_xfd1048576.xlsx": "la feuille « projets » déclare s'étendre jusqu'à la cellule XFD1048576, soit "
    "17\u202f179\u202f869\u202f184 cellules (4\u202f000\u202f000 au plus)",
    "cellule_xfd1048576_dimension_fausse.xlsx": "la feuille « projets » s'étend jusqu'à la cellule XFD1048576",
    "cellule_zz1048576.xlsx": "jusqu'à la cellule ZZ1048576, soit 736\u202f100\u202f352 cellules",
    "dimension_declaree_geante.xlsx": "déclare s'étendre jusqu'à la cellule XFD1048576",
    "bombe_feuille_300_mio.xlsx": "sa partie « xl/worksheets/sheet1.xml » occupe 300 Mo une fois décompressée "
    "(256 Mo au plus par partie)",
    "bombe_compression_40_mio.xlsx": "sa partie « xl/worksheets/sheet1.xml » est comprimée",
    "texte_partage_300_mio.xlsx": "sa partie « xl/sharedStrings.xml » occupe 300 Mo une fois décompressée",
    "taille_mensongere.xlsx": "classeur Excel illisible ou endommagé",
}

E, A = "erreur", "avertissement"
# File → its whole report: (sheet, row, column, code, level).
CAS_RAPPORT: dict[str, list[tuple[str | None, int | None, str | None, str, str]]] = {
    "projets_montant_mille_milliards.csv": [("projets", 2, "investissement_eur", "montant-trop-grand", E)],
    "projets_montant_dix_puissance_16.csv": [("projets", 2, "investissement_eur", "montant-trop-grand", E)],
    "projets_montant_27_chiffres.csv": [("projets", 2, "investissement_eur", "montant-trop-grand", E)],
    "projets_entier_2_puissance_31.csv": [("projets", 2, "emplois_prevus", "valeur-trop-grande", E)],
    "projets_entier_5000_chiffres.csv": [("projets", 2, "emplois_prevus", "valeur-trop-grande", E)],
    "sites_surface_un_milliard_ha.csv": [("sites", 2, "surface_ha", "surface-hors-bornes", E)],
    "sites_surface_cinq_decimales.csv": [("sites", 2, "surface_ha", "valeur-arrondie", A)],
    "projets_date_an_9999.csv": [("projets", 2, "date_decision", "date-hors-bornes", E)],
    "projets_date_an_2300.csv": [("projets", 2, "date_decision", "date-hors-bornes", E)],
    "projets_date_an_1899.csv": [("projets", 2, "date_decision", "date-hors-bornes", E)],
    "projets_texte_caractere_c1.csv": [("projets", 2, "entreprise", "caractere-controle", E)],
    "projets_texte_echappement.csv": [("projets", 2, "intitule", "caractere-controle", E)],
    "projets_octet_nul_apres_64_kio.csv": [("projets", 652, "intitule", "caractere-controle", E)],
    "projets_cle_espace_sans_chasse.csv": [("projets", 2, "id_projet", "cle-caractere-invisible", E)],
    "projets_cle_marque_ordre_octets.csv": [("projets", 2, "id_projet", "cle-caractere-invisible", E)],
    "projets_cle_marque_droite_a_gauche.csv": [("projets", 2, "id_projet", "cle-caractere-invisible", E)],
    "projets_cles_nfc_nfd.csv": [("projets", 3, "id_projet", "cle-dupliquee", E)],
    "projets_cles_casse_doublon.csv": [("projets", 3, "id_projet", "cle-dupliquee", E)],
    "projets_cle_casse_differente.csv": [],
}


def test_corpus_hostile_complet() -> None:
    """Every file of the folder has its expected outcome, and every case its file."""
    assert sorted(p.name for p in HOSTILES.iterdir()) == sorted([*CAS_REFUS, *CAS_RAPPORT])


# The command run in a child that reports its own peak memory. Its VmHWM belongs to the process image after
# exec; the rusage ru_maxrss would also count the memory of the forked copy of this test process.
_MESURER = """
import sys
from rebond_core.cli import main
try:
    statut = main(sys.argv[1:])
finally:
    pic = next(ligne for ligne in open("/proc/self/status") if ligne.startswith("VmHWM:"))
    sys.stderr.write("\\nVmHWM " + pic.split()[1] + "\\n")
sys.exit(statut)
"""


def _commande_mesuree(*arguments: str) -> tuple[int, str, int]:
    """Run the command line in a child process: exit status, stderr, and its peak memory (KiB)."""
    sortie = subprocess.run(
        [sys.executable, "-c", _MESURER, *arguments], cwd=RACINE, capture_output=True, text=True, timeout=300
    )
    erreurs, _, pic = sortie.stderr.rpartition("\nVmHWM ")
    return sortie.returncode, erreurs, int(pic)


@pytest.mark.parametrize("nom", list(CAS_REFUS))
def test_classeur_hostile_refuse_sans_tenir_la_machine(nom: str, chemin_base_minimale: Path) -> None:
    avant = vidage(chemin_base_minimale)
    statut, erreurs, memoire_kio = _commande_mesuree(
        "importer", str(HOSTILES / nom), "--auteur", "hostile", "--db", str(chemin_base_minimale)
    )
    assert statut == 2, erreurs
    assert CAS_REFUS[nom] in erreurs
    assert "Traceback" not in erreurs
    assert memoire_kio < MEMOIRE_MAX_KIO, f"{memoire_kio // 1024} Mio"
    assert vidage(chemin_base_minimale) == avant


@pytest.mark.parametrize("nom", list(CAS_REFUS))
def test_classeur_hostile_refuse_par_la_page(nom: str, base_vide: Base) -> None:
    """The upload path (bytes in memory) refuses the same way, with the same message."""
    with pytest.raises(FichierIllisible) as refus:
        importer(base_vide, [(nom, (HOSTILES / nom).read_bytes())], "page", simulation=True)
    assert CAS_REFUS[nom] in refus.value.message_fr


@pytest.mark.parametrize("nom", list(CAS_RAPPORT))
def test_rapport_exact_et_rien_d_ecrit_sur_erreur(nom: str, chemin_base_minimale: Path) -> None:
    avant = vidage(chemin_base_minimale)
    base = Base.ouvrir(chemin_base_minimale)
    try:
        resultat = importer(base, [HOSTILES / nom], "hostile")
    finally:
        base.fermer()
    obtenu = [(p.feuille, p.ligne, p.colonne, p.code, p.niveau) for p in resultat.rapport.problemes]
    assert obtenu == CAS_RAPPORT[nom]
    if not resultat.rapport.valide:
        assert vidage(chemin_base_minimale) == avant


def test_message_d_un_caractere_invisible_le_nomme(base_vide: Base) -> None:
    resultat = importer(base_vide, [HOSTILES / "projets_cle_espace_sans_chasse.csv"], "t", simulation=True)
    probleme = next(p for p in resultat.rapport.problemes if p.code == "cle-caractere-invisible")
    assert "U+200B (ZERO WIDTH SPACE)" in probleme.message


def test_cle_de_casse_differente_met_a_jour_la_ligne_stockee(chemin_base_minimale: Path) -> None:
    """`p-001` is the stored `P-001`: updated, not added, and its stored spelling kept."""
    base = Base.ouvrir(chemin_base_minimale)
    try:
        resultat = importer(base, [HOSTILES / "projets_cle_casse_differente.csv"], "t")
        assert resultat.comptes() == {"projets": {"ajoutees": 0, "modifiees": 1}}
        assert base.lignes("select id_projet, intitule from projets_a($v) order by 1", {"v": resultat.version}) == [
            ("P-001", "Titre corrigé"),
            ("P-002", "Atelier de maintenance ferroviaire"),
        ]
    finally:
        base.fermer()


def test_surface_arrondie_est_stockee_arrondie(chemin_base_minimale: Path) -> None:
    base = Base.ouvrir(chemin_base_minimale)
    try:
        resultat = importer(base, [HOSTILES / "sites_surface_cinq_decimales.csv"], "t")
        assert resultat.rapport.valide
        stockee = base.scalaire("select surface_ha from sites_a($v) where id_site = 'S-100'", {"v": resultat.version})
        assert stockee == Decimal("12.3457")
    finally:
        base.fermer()


# ---------------------------------------------------------------------------------------------------
# Storable means valid: whatever the validation accepts, the write stores and the pages show.

_ENTETE = (
    "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;"
    "emplois_prevus;emplois_crees;subvention_eur;date_decision"
)
# Each cell is most often a value near the contract's bounds (valid or just outside), sometimes anything.
_chiffres = st.text(alphabet="0123456789", min_size=1, max_size=40)
_montant = st.one_of(
    st.integers(min_value=0, max_value=10**12 + 10).map(lambda n: f"{n:,}".replace(",", " ")),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False).map(lambda d: str(d).replace(".", ",")),
    st.integers(min_value=0, max_value=10**12 - 1).map(str),
    _chiffres,
)
_entier = st.one_of(
    st.integers(min_value=0, max_value=2**31 + 10).map(str),
    st.integers(min_value=0, max_value=100_000).map(lambda n: f"{n:,}".replace(",", "\u00a0")),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
_date = st.one_of(
    st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.integers(min_value=0, max_value=3_000_000).map(str),
)
_sans_separateur = st.characters(blacklist_categories=("Cs",), blacklist_characters=';"\r\n')
_texte = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf"), blacklist_characters=';"'), min_size=1),
    st.text(alphabet=_sans_separateur, max_size=60),
)


@pytest.mark.lent  # about 60 real imports: in `make test`, not in the edit loop
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    id_projet=_texte,
    intitule=_texte,
    investissement=_montant,
    emplois=_entier,
    emplois_crees=_entier,
    subvention=_montant,
    date_decision=_date,
)
def test_ce_que_la_validation_accepte_s_ecrit_et_s_affiche(
    modele_base_minimale: Path,
    tmp_path_factory: pytest.TempPathFactory,
    id_projet: str,
    intitule: str,
    investissement: str,
    emplois: str,
    emplois_crees: str,
    subvention: str,
    date_decision: str,
) -> None:
    from tests.outils.bases import copie_de

    chemin = copie_de(modele_base_minimale, tmp_path_factory.mktemp("propriete"))
    ligne = ";".join(
        [id_projet, "douaisis", intitule, "Forges", "automobile", "endogene", "accorde", investissement, emplois]
        + [emplois_crees, subvention, date_decision]
    )
    fichier = chemin.parent / "projets.csv"
    fichier.write_text(f"{_ENTETE}\n{ligne}\n", encoding="utf-8")
    base = Base.ouvrir(chemin)
    try:
        try:
            resultat = importer(base, [fichier], "propriété")  # never a crash: a report, or a French refusal
        except FichierIllisible as refus:
            assert "Traceback" not in refus.message_fr
            return
        if not resultat.rapport.valide:
            return
        # The pages' core calls on the new state, and every value formatted as a person reads it.
        valeurs = calculer(base, Filtres())
        for indicateur, valeur in valeurs.valeurs.items():
            assert formats.indicateur(valeur, "€" if indicateur.endswith("_eur") else "nombre")
        projets = perimetre.projets(base, Filtres())
        for colonne in projets.columns:
            for valeur in projets[colonne]:
                assert isinstance(formats.valeur_lisible_cellule(valeur), str)
        tous = perimetre.aides_par_date(base, Filtres())
        projection.projection_epuisement(tous, valeurs.valeurs["enveloppe_aides.demandes_en_cours_eur"], date.today())
    finally:
        base.fermer()


@pytest.mark.lent
def test_csv_de_millions_de_cellules_refuse_sans_tenir_la_machine(chemin_base_minimale: Path, tmp_path: Path) -> None:
    """49 Mo of '1;1;1…' (under the size limit) would be 25 million cells: refused at 4 million, while reading."""
    chemin = tmp_path / "projets_millions_de_cellules.csv"
    with chemin.open("w", encoding="utf-8") as fichier:
        fichier.write("id_projet;intitule\n")
        ligne = ";".join(["1"] * 1000) + "\n"
        while fichier.tell() < 49_000_000:
            fichier.write(ligne)
    statut, erreurs, memoire_kio = _commande_mesuree(
        "importer", str(chemin), "--simulation", "--db", str(chemin_base_minimale)
    )
    assert statut == 2, erreurs
    assert "plus de 4\u202f000\u202f000 cellules (atteint à la ligne 4\u202f001)" in erreurs
    assert memoire_kio < MEMOIRE_MAX_KIO, f"{memoire_kio // 1024} Mio"


@given(st.text(alphabet=st.sampled_from('ab;"\r\n é'), max_size=40))
def test_lignes_du_csv_comme_le_lecteur_standard(texte: str) -> None:
    """The line splitter that spares the whole-text copy gives the csv reader exactly what StringIO gives it."""
    import csv
    import io

    from rebond_core.importation.lecture import _lignes_du_texte

    attendu = list(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))
    assert list(csv.reader(_lignes_du_texte(texte), delimiter=";")) == attendu
