"""The COPIL report and the national note (rebond_core.rapports): read back from the PDF with pdftotext (and
pypdf for the exact French spaces), their figures are those of the core, worked out by hand on the small base;
the "what changed" part lists exactly the projects and payments changed between two imported versions, from
the version of the territory's previous report by default; reports made at the same time each hold only
their own territory; nothing is fetched from the network; the pages' buttons give the pages' figures."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit

from rebond_core import exports, rapports
from rebond_core.comparaison import statuts_changes
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import PAR_CLE, Filtres, calculer
from rebond_core.rapports import contenu, historique
from tests.outils.appli import lancer
from tests.outils.classeurs import ecrire_classeur
from tests.outils.contrat import commande
from tests.outils.navigateur import MARQUES, attendre
from tests.outils.navigateur import tuiles as tuiles_affichees
from tests.outils.pdf import nombre_de_pages, normaliser, porte_la_marque_demo, texte, texte_exact
from tests.outils.petite_base import PROJETS, TERRITOIRES

RACINE = Path(__file__).resolve().parent.parent
GEO_PARTAGE = RACINE.parent / "shared" / "geo"
AU = date(2026, 11, 29)
E, U = "\u202f", "\u00a0"  # the thousands and unit spaces of French numbers


@pytest.fixture(autouse=True)
def sans_fonds_de_carte(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)


@pytest.fixture
def petite(chemin_base_vide: Path, tmp_path: Path) -> Iterator[tuple[Path, Base]]:
    """The small hand-built base (tests/outils/petite_base.py) imported as version 1."""
    base = Base.ouvrir(chemin_base_vide)
    classeur = ecrire_classeur(tmp_path / "v1.xlsx", {"territoires": TERRITOIRES, "projets": PROJETS})
    assert importer(base, [classeur], "alice").version == 1
    yield chemin_base_vide, base
    base.fermer()


def _version_2(base: Base, dossier: Path) -> None:
    """P2 (ta) granted, P4 (tb) refused, P8 added to tc; a grant paid to P1 (ta) and one to P5 (tb)."""
    projets = [
        {**_projet("P2"), "statut": "accorde", "subvention_eur": 60000, "date_decision": date(2024, 3, 1)},
        {**_projet("P4"), "statut": "refuse", "date_decision": date(2024, 2, 1)},
        {
            "id_projet": "P8",
            "code_territoire": "tc",
            "intitule": "Projet P8",
            "entreprise": "Entreprise P8",
            "filiere": "naval",
            "origine": "exogene",
            "statut": "identifie",
            "investissement_eur": 10000,
            "emplois_prevus": 1,
        },
    ]
    versements = [
        {
            "id_versement": "V1",
            "id_projet": "P1",
            "date": date(2024, 6, 1),
            "nature": "subvention",
            "montant_eur": 50000,
        },
        {
            "id_versement": "V2",
            "id_projet": "P5",
            "date": date(2024, 6, 2),
            "nature": "subvention",
            "montant_eur": 100000,
        },
    ]
    classeur = ecrire_classeur(dossier / "v2.xlsx", {"projets": projets, "versements": versements})
    resultat = importer(base, [classeur], "bob")
    assert resultat.rapport.valide, [p.en_ligne() for p in resultat.rapport.problemes]
    assert resultat.version == 2


def _projet(id_projet: str) -> dict[str, object]:
    return dict(next(p for p in PROJETS if p["id_projet"] == id_projet))


def _rapport(capsys: pytest.CaptureFixture[str], chemin: Path, sortie: Path, *options: str) -> tuple[bytes, str]:
    code, out, err = commande(capsys, "rapport", *options, "--au", AU.isoformat(), "-o", sortie, "--db", chemin)
    assert code == 0, err
    return sortie.read_bytes(), out


def _partie(texte_: str, debut: str, fin: str) -> str:
    """The text between two headings of the report."""
    return texte_.split(debut, 1)[1].split(fin, 1)[0]


# --- figures --------------------------------------------------------------------------------------------------


def test_chiffres_du_territoire_calcules_a_la_main(
    petite: tuple[Path, Base], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Territory A: P1 granted (1 000 000 € invested, 10 jobs, 4 created, 200 000 € grant + 50 000 € advance),
    P2 prioritised (500 000 €, 5 jobs, 100 000 € requested, no status date), P3 refused (2 000 000 €, 20 jobs)."""
    chemin, _ = petite
    pdf, sortie = _rapport(capsys, chemin, tmp_path / "ta.pdf", "--territoire", "ta")
    assert "changements depuis la version 1" in sortie
    t = texte(pdf)
    exact = texte_exact(pdf)
    attendus = {
        "Projets détectés": "3",
        "Investissement détecté": "3,50 M€",  # 1 000 000 + 500 000 + 2 000 000
        "Emplois détectés": "35",
        "Aides engagées": "0,25 M€",  # 200 000 + 50 000
        "Investissement soutenu": "1,00 M€",
        "Emplois soutenus": "10",
        "Effet de levier": "4,0 €/€",  # 1 000 000 / 250 000
        "Aide par emploi soutenu": f"25{E}000{U}€",  # 250 000 / 10
        "Demandes en cours": "0,10 M€",  # P2's request
        "En attente > 12 mois": "0",  # P2 has no status date: not counted
        "Accordés sans versement": "1",  # P1, decided 01/05/2023, nothing paid
        "Aides versées": f"0{U}€",
        "Réalisation des emplois": "40,0 %",  # 4 created / 10 planned
    }
    for libelle, valeur in attendus.items():
        assert f"{libelle}\n{valeur.replace(' ', U)}" in exact, libelle
    assert "0,25 M€ engagés sur une enveloppe de 2,00 M€ (dont cofinancement local 0,00 M€)" in t
    assert "Territoire A" in t and "Hauts-de-France" in t  # region 32
    assert set(re.findall(r"\bP\d+\b", _partie(t, "Liste des projets", "Sources et modes de calcul"))) == {
        "P1",
        "P2",
        "P3",
    }
    assert not re.search(r"\bP[4-8]\b", t), "aucun projet d'un autre territoire"
    assert "DONNÉES DE DÉMONSTRATION" not in t and not porte_la_marque_demo(pdf)


def test_chiffres_egaux_a_ceux_du_coeur_sur_la_demonstration(
    chemin_base_demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Every tile of the report reads as the core computes it (calculer, then the registry's French text),
    the published-vs-detected table as vues_suivi gives it, and every project of the territory is listed."""
    pdf, _ = _rapport(capsys, chemin_base_demo, tmp_path / "r.pdf", "--territoire", "ardennes")
    base = Base.ouvrir(chemin_base_demo)
    try:
        resultat = calculer(base, Filtres(territoire=("ardennes",), au=AU))
        projets = {p for (p,) in base.lignes("select id_projet from projets_a(1) where code_territoire = 'ardennes'")}
    finally:
        base.fermer()
    exact = texte_exact(pdf)
    cles = (*contenu.TUILES_TERRITOIRE, *contenu.TUILES_ALERTES, *contenu.TUILES_VERSEMENTS)
    for cle in cles:
        indicateur = PAR_CLE[cle]
        assert f"{indicateur.libelle}\n{indicateur.texte(resultat.valeurs[cle])}" in exact, cle
    t = texte(pdf)
    assert (
        set(re.findall(r"PRJ-ardennes-\d+", _partie(t, "Liste des projets", "Sources et modes de calcul"))) == projets
    )
    assert len(projets) == 189 and nombre_de_pages(pdf) > 5
    for indicateur in (PAR_CLE[c] for c in cles):  # each figure shown has its "mode de calcul"
        assert f"{indicateur.libelle} : {indicateur.mode_de_calcul}".replace("'", "'") in t.replace("’", "'")
    assert porte_la_marque_demo(pdf) and "DONNÉES DE DÉMONSTRATION — ne pas diffuser" in t


# --- what changed since the previous COPIL --------------------------------------------------------------------


def test_ce_qui_a_change_liste_exactement_les_projets_du_territoire(
    petite: tuple[Path, Base], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chemin, base = petite
    _version_2(base, tmp_path)
    pdf, _ = _rapport(capsys, chemin, tmp_path / "ta.pdf", "--territoire", "ta", "--depuis-version", "1")
    t = texte(pdf)
    depuis = _partie(t, "Ce qui a changé depuis le précédent COPIL", "Projets qui attendent")
    statuts = _partie(depuis, "Projets dont le statut a changé", "Versements ajoutés")
    versements = depuis.split("Versements ajoutés, modifiés ou retirés", 1)[1]
    assert set(re.findall(r"\bP\d+\b", statuts)) == {"P2"}  # not P4 (tb), not P8 (tc)
    assert set(re.findall(r"\bV\d+\b", versements)) == {"V1"}  # not V2, paid to P5 of tb
    lignes = normaliser(texte_exact(pdf))  # table rows in reading order
    assert "P2 Projet P2 Entreprise P2 Priorisé Accordé 01/03/2024 60 000 €" in lignes
    assert "01/06/2024 P1 V1 Ajouté Versement de subvention — 50 000 €" in lignes
    assert (
        "1 projet(s) ont changé de statut, dont 1 décision(s) (1 accordé(s), 0 refusé(s)) ; 1 versement(s) ajouté(s) "
        "pour 50 000 €, 0 modifié(s), 0 retiré(s)."
    ) in depuis
    assert "Aides engagées 0,25 M€ 0,31 M€ +60 000 €" in lignes  # P2's 60 000 € grant
    assert "Aides versées 0 € 50 000 € +50 000 €" in lignes
    # The same projects as the version comparison of the history page, restricted to the territory.
    tous = statuts_changes(base, 1, 2)
    assert set(tous["id_projet"]) == {"P2", "P4", "P8"}
    assert set(tous[tous["code_territoire"] == "ta"]["id_projet"]) == {"P2"}


def test_par_defaut_depuis_le_rapport_precedent_sinon_la_premiere_version(
    petite: tuple[Path, Base], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chemin, base = petite
    pdf, sortie = _rapport(capsys, chemin, tmp_path / "1.pdf", "--territoire", "ta")
    assert "changements depuis la version 1" in sortie
    assert "première version des données, aucun rapport précédent" in texte(pdf)
    assert "rien à comparer" in texte(pdf)
    _version_2(base, tmp_path)
    for nom in ("2a.pdf", "2b.pdf"):  # the same report twice: both compare with the COPIL before
        pdf, sortie = _rapport(capsys, chemin, tmp_path / nom, "--territoire", "ta")
        assert "changements depuis la version 1" in sortie
        assert f"version du rapport précédent, établi le {date.today().strftime('%d/%m/%Y')}" in texte(pdf)
        assert "Priorisé Accordé" in texte(pdf)
    projet = {**_projet("P7"), "statut": "priorise", "date_statut": date(2024, 9, 1)}
    assert importer(base, [ecrire_classeur(tmp_path / "v3.xlsx", {"projets": [projet]})], "carole").version == 3
    _, sortie = _rapport(capsys, chemin, tmp_path / "3.pdf", "--territoire", "ta")
    assert "changements depuis la version 2" in sortie
    _, sortie = _rapport(capsys, chemin, tmp_path / "tc.pdf", "--territoire", "tc")
    assert "changements depuis la version 1" in sortie  # tc never had a report
    pdf, sortie = _rapport(capsys, chemin, tmp_path / "choisi.pdf", "--territoire", "tc", "--depuis-version", "2")
    assert "changements depuis la version 2" in sortie and "version choisie" in texte(pdf)
    depuis = _partie(texte(pdf), "Ce qui a changé depuis le précédent COPIL", "Projets qui attendent")
    assert set(re.findall(r"\bP\d+\b", depuis)) == {"P7"}
    assert [(v, d) for v, d, *_ in historique.rapports(base, "ta")] == [(1, 1), (2, 1), (2, 1), (3, 2)]


def test_base_en_lecture_seule_rapport_sans_enregistrement(petite: tuple[Path, Base], tmp_path: Path) -> None:
    chemin, base = petite
    base.fermer()
    lecture = Base.ouvrir(chemin, lecture_seule=True)
    try:
        pdf = rapports.rapport_territoire(lecture, "ta", AU)
        assert "Territoire A" in texte(pdf)
        assert historique.rapports(lecture, "ta") == []
    finally:
        lecture.fermer()


# --- isolation, network, command line -------------------------------------------------------------------------


def test_rapports_simultanes_chacun_son_territoire(chemin_base_demo: Path) -> None:
    """Several reports made at once on one shared base (as by several sessions of one server): each holds its
    own territory's projects and payments, all of them, and nobody else's."""
    codes = ("lorient", "morlaix", "douaisis", "sillon-mosellan", "ales", "blois-romorantin")
    base = Base.ouvrir(chemin_base_demo)
    try:
        attendus = {
            code: {
                p for (p,) in base.lignes("select id_projet from projets_a(1) where code_territoire = $c", {"c": code})
            }
            for code in codes
        }
        with ThreadPoolExecutor(max_workers=4) as travailleurs:
            resultats = list(travailleurs.map(lambda c: (c, rapports.rapport_territoire(base, c, AU)), codes * 2))
    finally:
        base.fermer()
    for code, pdf in resultats:
        t = texte(pdf)
        assert set(re.findall(r"PRJ-[a-z-]+-\d{3}", t)) == attendus[code], code
        assert set(re.findall(r"VER-([a-z-]+)-\d{3}", t)) <= {code}, code


def test_rendu_sans_aucun_acces_reseau(chemin_base_demo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In this process every socket refuses to connect; in a new network namespace (no interface but a down
    loopback), the command writes the same report."""
    if GEO_PARTAGE.is_dir():
        monkeypatch.setenv("REBOND_GEO_DIR", str(GEO_PARTAGE))
    tentatives: list[Any] = []

    def refuser(*args: Any, **kwargs: Any) -> Any:
        tentatives.append(args)
        raise OSError("réseau interdit pendant le test")

    monkeypatch.setattr(socket.socket, "connect", refuser)
    monkeypatch.setattr(socket, "create_connection", refuser)
    monkeypatch.setattr(socket, "getaddrinfo", refuser)
    base = Base.ouvrir(chemin_base_demo)
    try:
        pdf = rapports.rapport_territoire(base, "lorient", AU)
        note = rapports.note_nationale(base, Filtres(au=AU))
    finally:
        base.fermer()
    assert tentatives == []
    assert "Lorient Agglomération" in texte(pdf) and "Note au cabinet" in texte(note)
    if GEO_PARTAGE.is_dir():
        assert "En bleu, les EPCI du territoire" in texte(pdf)
    if shutil.which("unshare") is None:
        pytest.skip("unshare absent : pas d'espace de noms réseau")
    sortie = tmp_path / "isole.pdf"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    processus = subprocess.run(
        ["unshare", "--net", sys.executable, "-m", "rebond_core", "rapport", "--territoire", "lorient"]
        + ["--au", AU.isoformat(), "-o", str(sortie), "--db", str(chemin_base_demo)],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if processus.returncode != 0 and "unshare" in processus.stderr and not sortie.exists():
        pytest.skip(f"espace de noms réseau refusé ici : {processus.stderr.strip()}")
    assert processus.returncode == 0, processus.stderr
    assert "Lorient Agglomération" in texte(sortie.read_bytes())


def test_carte_absente_sans_fonds(petite: tuple[Path, Base]) -> None:
    _, base = petite
    t = texte(rapports.rapport_territoire(base, "ta", AU, enregistrer=False))
    assert "Carte indisponible : les fonds de carte ne sont pas configurés (REBOND_GEO_DIR)." in t


def test_commande_refus_et_lot(chemin_base_demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sortie = tmp_path / "x.pdf"
    assert commande(capsys, "rapport", "--territoire", "inconnu", "-o", sortie, "--db", chemin_base_demo)[0] == 2
    code, _, err = commande(
        capsys, "rapport", "--territoire", "lorient", "--depuis-version", "7", "-o", sortie, "--db", chemin_base_demo
    )
    assert code == 2 and "Version 7 inconnue" in err
    code, _, err = commande(
        capsys, "rapport", "--territoire", "lorient", "--au", "29/11", "-o", sortie, "--db", chemin_base_demo
    )
    assert code == 2 and "Date de référence invalide" in err
    code, _, err = commande(
        capsys, "rapport", "--territoire", "lorient", "--region", "53", "-o", sortie, "--db", chemin_base_demo
    )
    assert code == 2 and "--national" in err
    code, _, err = commande(  # nobody of that name is habilitated
        capsys, "rapport", "--territoire", "lorient", "--pour", "a@b.fr", "-o", sortie, "--db", chemin_base_demo
    )
    assert code == 2 and "Aucune habilitation valide pour a@b.fr" in err
    assert not sortie.exists()
    dossier = tmp_path / "copil"
    code, out, err = commande(
        capsys, "rapport", "--tous", "--au", AU.isoformat(), "-o", dossier, "--db", chemin_base_demo
    )
    assert code == 0, err
    fichiers = sorted(p.name for p in dossier.iterdir())
    base = Base.ouvrir(chemin_base_demo)
    try:
        codes = [c for (c,) in base.lignes("select code_territoire from territoires_a(1) order by 1")]
    finally:
        base.fermer()
    assert fichiers == sorted(rapports.nom_fichier_territoire(c, AU) for c in codes)
    assert len(codes) == 13 and out.count("Rapport écrit") == 13
    assert "Douaisis Agglo" in texte((dossier / rapports.nom_fichier_territoire("douaisis", AU)).read_bytes())


def test_note_nationale_porte_ses_filtres(
    chemin_base_demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf, _ = _rapport(capsys, chemin_base_demo, tmp_path / "n.pdf", "--national", "--region", "53")
    t = texte(pdf)
    assert "Filtres Région : Bretagne" in normaliser(texte_exact(pdf))
    territoires = _partie(t, "Territoires Territoire Région", "Sources et modes de calcul")
    assert "Lorient Agglomération" in territoires and "Morlaix Communauté" in territoires
    assert "Douaisis" not in territoires
    base = Base.ouvrir(chemin_base_demo)
    try:
        resultat = calculer(base, Filtres(region=("53",), au=AU))
    finally:
        base.fermer()
    exact = texte_exact(pdf)
    for cle in contenu.TUILES_NATIONALES:
        indicateur = PAR_CLE[cle]
        assert f"{indicateur.libelle}\n{indicateur.texte(resultat.valeurs[cle])}" in exact, cle
    assert porte_la_marque_demo(pdf)


def test_pdf_accessible_titre_et_langue(petite: tuple[Path, Base]) -> None:
    _, base = petite
    pdf = rapports.rapport_territoire(base, "ta", AU, enregistrer=False)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Title:           Rapport au comité de pilotage — Territoire A" in info
    assert b"/Lang" in pdf or b"fr" in pdf


def test_marque_de_demonstration_dans_les_rapports(chemin_base_demo: Path) -> None:
    base = Base.ouvrir(chemin_base_demo)
    try:
        pdf = rapports.rapport_territoire(base, "morlaix", AU, enregistrer=False)
    finally:
        base.fermer()
    t = texte(pdf)
    assert porte_la_marque_demo(pdf)
    assert (
        t.count("DONNÉES DE DÉMONSTRATION — ne pas diffuser") == nombre_de_pages(pdf) - 1
    )  # every page after the cover
    assert exports.MARQUE_DEMO.split(".")[0] in t


# --- the pages' buttons ---------------------------------------------------------------------------------------


@pytest.fixture
def boutons_pdf(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """The "Rapport PDF" buttons a run draws: file name → what a click gives."""
    trouves: dict[str, Callable[[], bytes]] = {}
    original = streamlit.download_button

    def bouton(libelle: str, data: Any, file_name: str | None = None, **autres: Any) -> Any:
        if libelle == "Rapport PDF":
            trouves[str(file_name)] = data
        return original(libelle, data=data, file_name=file_name, **autres)

    monkeypatch.setattr(streamlit, "download_button", bouton)
    return trouves


@pytest.mark.pages
def test_boutons_des_pages_donnent_les_chiffres_des_pages(
    application: Path, boutons_pdf: dict[str, Callable[[], bytes]]
) -> None:
    at = lancer({"territoire": "douaisis"}, page="pages/territoire.py")
    tuiles = {m.label: m.value for m in at.metric}
    assert len(tuiles) == 8
    nom = rapports.nom_fichier_territoire("douaisis", date.today())
    pdf = boutons_pdf[nom]()
    exact = texte_exact(pdf)
    for libelle, valeur in tuiles.items():
        assert f"{libelle}\n{valeur}" in exact, libelle
    assert "Douaisis Agglo" in texte(pdf) and porte_la_marque_demo(pdf)
    at = lancer({"region": "32"})
    note = boutons_pdf[rapports.nom_fichier_national(date.today())]()
    assert "Note au cabinet" in texte(note) and porte_la_marque_demo(note)
    assert "Filtres Région : Hauts-de-France" in normaliser(texte_exact(note))
    exact = texte_exact(note)
    for m in at.metric:
        if m.label in {PAR_CLE[c].libelle for c in contenu.TUILES_NATIONALES}:
            assert f"{m.label}\n{m.value}" in exact, m.label


@MARQUES[0]
@MARQUES[1]
def test_un_clic_sur_la_page_territoire_donne_le_rapport(serveur: str, page: Any) -> None:
    """In Chromium against a running server: the button's PDF, made on the click by the server, holds the
    territory and the very tiles the page shows."""
    page.goto(serveur + "/territoire?territoire=douaisis")
    attendre(page)
    affichees = tuiles_affichees(page)
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Rapport PDF").click()
    assert telechargement.value.suggested_filename == rapports.nom_fichier_territoire("douaisis", date.today())
    pdf = Path(telechargement.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and "Douaisis Agglo" in texte(pdf)
    exact = normaliser(texte_exact(pdf).replace("\n", " | "))
    assert len(affichees) == 8
    for libelle, valeur in affichees.items():
        assert normaliser(f"{libelle} | {valeur}") in exact, libelle
