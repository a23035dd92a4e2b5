"""Habilitations (shared/spec/acces.md): rights per role, expiry, the CSV file (encodings, delimiters, lists,
headers), every error of the contract at its row and column in French, replacement of the whole list, all
or nothing, restore leaving the list alone, and the command line (exit statuses 0/1/2, JSON shapes).

Files are real: tests/data/habilitations/*.csv on copies of the demonstration base (territories douaisis,
ardennes, lorient, morlaix, dreux, cambrai… ; regions of the referential) or of the minimal base."""

from __future__ import annotations

import ast
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from rebond_core.acces import habilitations, journal
from rebond_core.acces.habilitations import HABILITATION_LOCALE, Habilitation, lister, trouver
from rebond_core.db import Base
from rebond_core.erreurs import ErreurStockage, FichierIllisible
from rebond_core.importation.pipeline import importer as importer_classeur
from rebond_core.restauration import restaurer
from tests.outils.contrat import VALIDES, commande

DONNEES = Path(__file__).resolve().parent / "data" / "habilitations"
WINDOWS_1252 = DONNEES / "valide_windows1252_point_virgule.csv"
UTF8_BOM = DONNEES / "valide_utf8_bom_virgule.csv"
ERREURS = DONNEES / "erreurs.csv"

# What valide_windows1252_point_virgule.csv holds, read by hand: e-mails in lower case, roles and territory
# codes as the base writes them, the blank row skipped.
LISTE_WINDOWS_1252 = [
    Habilitation("admin.rebond@exemple.gouv.fr", "admin"),
    Habilitation("anne.leroy@exemple.gouv.fr", "donnees", expire_le=date(2027, 6, 30)),
    Habilitation("camille.martin@exemple.gouv.fr", "copil", ("32", "44"), ("douaisis", "ardennes"), date(2026, 12, 31)),
    Habilitation("jean.dupont@exemple.gouv.fr", "cabinet"),
    Habilitation("lucie.bernard@exemple.gouv.fr", "copil", (), ("lorient",)),
]
LISTE_UTF8 = [
    Habilitation("admin.rebond@exemple.gouv.fr", "admin"),
    Habilitation("camille.martin@exemple.gouv.fr", "copil", ("53", "24")),
    Habilitation("paul.durand@exemple.gouv.fr", "copil", (), ("morlaix", "dreux", "cambrai"), date(2027, 1, 15)),
]


def _ecrire(dossier: Path, texte: str, nom: str = "habilitations.csv", encodage: str = "utf-8") -> Path:
    chemin = dossier / nom
    chemin.write_bytes(texte.encode(encodage))
    return chemin


def _positions(resultat: habilitations.ResultatHabilitations) -> list[tuple[object, ...]]:
    return [(p.ligne, p.colonne, p.code, p.niveau) for p in resultat.rapport.problemes]


# --- rights and expiry -----------------------------------------------------------------------------


def test_droits_par_role() -> None:
    attendus = {  # spec/acces.md, roles table
        "cabinet": {"lire"},
        "copil": {"lire"},
        "donnees": {"lire", "importer", "restaurer"},
        "admin": {"lire", "importer", "restaurer", "administrer"},
    }
    for role, droits in attendus.items():
        h = Habilitation("x@exemple.fr", role, ("32",) if role == "copil" else ())
        assert {a for a in ("lire", "importer", "restaurer", "administrer") if h.peut(a)} == droits, role
        assert h.nationale == (role != "copil")
    with pytest.raises(ValueError):
        Habilitation("x@exemple.fr", "admin").peut("supprimer")  # a typo never grants nor silently refuses
    assert HABILITATION_LOCALE.email == "operateur.local" and HABILITATION_LOCALE.peut("administrer")
    assert HABILITATION_LOCALE.nationale


def test_expire_le_est_le_dernier_jour_de_validite() -> None:
    """Decided: valid through its expiry day, void from the next day."""
    aujourd_hui = date(2026, 11, 29)
    h = Habilitation("x@exemple.fr", "cabinet", expire_le=aujourd_hui)
    assert h.valide(aujourd_hui - timedelta(days=30))
    assert h.valide(aujourd_hui)
    assert not h.valide(aujourd_hui + timedelta(days=1))
    assert Habilitation("x@exemple.fr", "cabinet").valide(date(2100, 1, 1))


# --- reading and validating the file ---------------------------------------------------------------


def test_fichier_windows_1252_point_virgule_listes_a_virgules(base_demo: Base) -> None:
    resultat = habilitations.importer(base_demo, WINDOWS_1252, "essai")
    assert resultat.rapport.problemes == []
    assert resultat.remplacees
    assert lister(base_demo) == LISTE_WINDOWS_1252
    ligne = base_demo.lignes("select importe_par, importe_le from habilitations limit 1")[0]
    assert ligne[0] == "essai" and abs(datetime.now() - ligne[1]) < timedelta(minutes=1)


def test_fichier_utf8_bom_virgule_listes_a_points_virgules(base_demo: Base) -> None:
    resultat = habilitations.importer(base_demo, UTF8_BOM, "essai")
    assert resultat.rapport.problemes == []
    assert lister(base_demo) == LISTE_UTF8


def test_chaque_erreur_du_contrat_a_sa_ligne_et_sa_colonne(base_demo: Base) -> None:
    habilitations.importer(base_demo, UTF8_BOM, "essai")
    resultat = habilitations.importer(base_demo, ERREURS, "essai")
    E = "erreur"
    assert _positions(resultat) == [
        (2, "role", "role-inconnu", E),
        (3, "territoires", "perimetre-manquant", E),
        (4, "regions", "perimetre-interdit", E),
        (5, "territoires", "perimetre-interdit", E),
        (6, "regions", "perimetre-interdit", E),
        (7, "regions", "region-inconnue", E),
        (8, "territoires", "territoire-inconnu", E),
        (9, "email", "email-duplique", E),
        (10, "email", "email-invalide", E),
        (11, "expire_le", "date-invalide", E),
        (12, "email", "valeur-manquante", E),
        (13, "email", "email-invalide", E),
    ]
    par_ligne = {p.ligne: p for p in resultat.rapport.problemes}
    assert par_ligne[7].valeur == "99" and "99" in par_ligne[7].message  # the unknown code, not the list
    assert par_ligne[8].valeur == "atlantide" and "atlantide" in par_ligne[8].message
    assert "ligne 2" in par_ligne[9].message  # where the same person already is
    assert par_ligne[2].message == "Rôle inconnu : attendu cabinet, copil, donnees ou admin."
    assert "au moins une région" in par_ligne[3].message
    assert "Le rôle cabinet est national" in par_ligne[4].message
    assert "jj/mm/aaaa" in par_ligne[11].message
    assert all(p.message.strip() and p.feuille == "habilitations" for p in resultat.rapport.problemes)
    assert not resultat.remplacees and resultat.habilitations == []
    assert lister(base_demo) == LISTE_UTF8  # nothing changed


def test_colonnes_manquante_inconnue_et_en_double(base_demo: Base, tmp_path: Path) -> None:
    fichier = _ecrire(tmp_path, "Email;courriel;E-MAIL;EMAIL;perimetre\nA@exemple.fr;x;y;a@exemple.fr;32\n")
    resultat = habilitations.importer(base_demo, fichier, "essai")
    assert _positions(resultat) == [
        (1, "email", "colonne-dupliquee", "erreur"),
        (1, "role", "colonne-manquante", "erreur"),  # reported once, at the header, not at every row
        (1, "courriel", "colonne-inconnue", "avertissement"),
        (1, "E-MAIL", "colonne-inconnue", "avertissement"),  # e_mail is not email: no alias
        (1, "perimetre", "colonne-inconnue", "avertissement"),
    ]
    assert lister(base_demo) == []


def test_un_fichier_sans_ligne_ne_vide_pas_la_liste(base_demo: Base, tmp_path: Path) -> None:
    habilitations.importer(base_demo, UTF8_BOM, "essai")
    resultat = habilitations.importer(base_demo, _ecrire(tmp_path, "email;role\n\n"), "essai")
    assert _positions(resultat) == [(None, None, "aucune-ligne", "erreur")]
    assert lister(base_demo) == LISTE_UTF8


def test_un_avertissement_seul_n_empeche_pas_le_remplacement(base_demo: Base, tmp_path: Path) -> None:
    fichier = _ecrire(tmp_path, "email;role;commentaire\nZoe.Roux@Exemple.gouv.fr;cabinet;à revoir\n")
    resultat = habilitations.importer(base_demo, fichier, "essai")
    assert _positions(resultat) == [(1, "commentaire", "colonne-inconnue", "avertissement")]
    assert lister(base_demo) == [Habilitation("zoe.roux@exemple.gouv.fr", "cabinet")]


def test_territoire_de_la_base_et_region_du_referentiel(base_vide: Base, tmp_path: Path) -> None:
    """An empty base has the referential but no territory: a region is accepted, a territory is not."""
    fichier = _ecrire(
        tmp_path, "email;role;regions;territoires\na@exemple.fr;copil;84;\nb@exemple.fr;copil;;douaisis\n"
    )
    resultat = habilitations.importer(base_vide, fichier, "essai")
    assert _positions(resultat) == [(3, "territoires", "territoire-inconnu", "erreur")]
    assert "version 0" in resultat.rapport.problemes[0].message


def test_fichiers_illisibles(base_demo: Base, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FichierIllisible, match="fichier .csv"):
        habilitations.importer(base_demo, _ecrire(tmp_path, "email;role\n", "liste.xlsx"), "essai")
    with pytest.raises(FichierIllisible, match="vide"):
        habilitations.importer(base_demo, _ecrire(tmp_path, ""), "essai")
    with pytest.raises(FichierIllisible, match="introuvable"):
        habilitations.importer(base_demo, tmp_path / "absent.csv", "essai")
    with pytest.raises(FichierIllisible, match="UTF-16"):
        habilitations.importer(base_demo, _ecrire(tmp_path, "email;role\n", encodage="utf-16"), "essai")
    import rebond_core.importation.lecture as lecture

    monkeypatch.setattr(lecture, "TAILLE_MAX_FICHIER_OCTETS", 20)
    with pytest.raises(FichierIllisible, match="trop volumineux"):
        habilitations.importer(base_demo, ("liste.csv", b"email;role\na@exemple.fr;admin\n"), "essai")
    assert lister(base_demo) == []


# --- replacing the list ------------------------------------------------------------------------------


def test_le_fichier_remplace_toute_la_liste(base_demo: Base) -> None:
    habilitations.importer(base_demo, WINDOWS_1252, "essai")
    resultat = habilitations.importer(base_demo, UTF8_BOM, "essai")
    assert lister(base_demo) == LISTE_UTF8  # jean.dupont, anne.leroy, lucie.bernard are gone
    # By hand: paul.durand added; anne, jean, lucie removed; camille's scope changed; admin unchanged.
    assert resultat.changements == habilitations.Changements(
        ajoutees=("paul.durand@exemple.gouv.fr",),
        retirees=("anne.leroy@exemple.gouv.fr", "jean.dupont@exemple.gouv.fr", "lucie.bernard@exemple.gouv.fr"),
        modifiees=("camille.martin@exemple.gouv.fr",),
        inchangees=1,
    )
    assert resultat.changements.resume() == (
        "3 habilitation(s) : 1 ajoutée(s), 3 retirée(s), 1 modifiée(s), 1 inchangée(s)"
    )


def test_simulation_n_ecrit_rien(base_demo: Base) -> None:
    resultat = habilitations.importer(base_demo, UTF8_BOM, "essai", simulation=True)
    assert resultat.rapport.valide and not resultat.remplacees
    assert sorted(resultat.habilitations, key=lambda h: h.email) == LISTE_UTF8  # in the order of the file
    assert lister(base_demo) == []


def test_tout_ou_rien_quand_l_ecriture_echoue(base_demo: Base) -> None:
    """A write that fails half-way (here a second row with the same key, which validation would have
    refused) leaves the previous list exactly as it was."""
    habilitations.importer(base_demo, UTF8_BOM, "essai")
    double = [Habilitation("x@exemple.fr", "cabinet"), Habilitation("x@exemple.fr", "admin")]
    with pytest.raises(ErreurStockage):
        habilitations.remplacer(base_demo, double, "essai")
    assert lister(base_demo) == LISTE_UTF8


def test_remplacement_refuse_si_la_liste_a_change(base_demo: Base) -> None:
    vue = habilitations.empreinte(lister(base_demo))  # the empty list, as shown
    habilitations.importer(base_demo, UTF8_BOM, "autre administrateur")
    with pytest.raises(habilitations.ListeModifiee):
        habilitations.importer(base_demo, WINDOWS_1252, "essai", empreinte_attendue=vue)
    assert lister(base_demo) == LISTE_UTF8
    vue = habilitations.empreinte(lister(base_demo))
    assert habilitations.importer(base_demo, WINDOWS_1252, "essai", empreinte_attendue=vue).remplacees


def test_trouver_sans_tenir_compte_de_la_casse(base_demo: Base) -> None:
    habilitations.importer(base_demo, WINDOWS_1252, "essai")
    assert trouver(base_demo, "  CAMILLE.Martin@exemple.gouv.fr ") == LISTE_WINDOWS_1252[2]
    assert trouver(base_demo, "inconnu@exemple.gouv.fr") is None


def test_une_restauration_ne_touche_pas_les_habilitations(chemin_base_minimale: Path, tmp_path: Path) -> None:
    base = Base.ouvrir(chemin_base_minimale)
    try:
        fichier = _ecrire(tmp_path, "email;role;territoires\nc@exemple.fr;copil;douaisis\nd@exemple.fr;admin;\n")
        assert habilitations.importer(base, fichier, "avant").remplacees
        assert importer_classeur(base, [VALIDES / "contrat2_versements.xlsx"], "t").version == 2
        autre = _ecrire(tmp_path, "email;role\ne@exemple.fr;cabinet\nd@exemple.fr;admin\n", "autre.csv")
        assert habilitations.importer(base, autre, "apres").remplacees
        avant = base.lignes("select * from habilitations order by email")
        assert restaurer(base, 1, "t") == 3
        assert base.lignes("select * from habilitations order by email") == avant  # not the list of version 1
        assert [h.email for h in lister(base)] == ["d@exemple.fr", "e@exemple.fr"]
    finally:
        base.fermer()


def test_chaque_code_emis_a_son_message_francais() -> None:
    """Every literal code this module reports has its French message in habilitations.MESSAGES."""
    arbre = ast.parse(Path(habilitations.__file__).read_text(encoding="utf-8"))
    codes = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Call) and noeud.args and isinstance(noeud.args[0], ast.Constant):
            nom = getattr(noeud.func, "attr", getattr(noeud.func, "id", None))
            if nom in ("ajouter", "PydanticCustomError"):
                codes.add(noeud.args[0].value)
    assert len(codes) >= 14
    assert codes <= set(habilitations.MESSAGES)


# --- command line ------------------------------------------------------------------------------------


def test_commande_importer_codes_de_sortie_et_json(
    chemin_base_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REBOND_JOURNAL", raising=False)
    code, sortie, _ = commande(capsys, "habilitations", "importer", UTF8_BOM, "--db", chemin_base_demo)
    assert code == 0 and "Habilitations remplacées" in sortie
    code, sortie, erreur = commande(capsys, "habilitations", "importer", ERREURS, "--json", "--db", chemin_base_demo)
    assert code == 1
    problemes = json.loads(sortie)
    assert len(problemes) == 12
    assert set(problemes[0]) == {"feuille", "ligne", "colonne", "valeur", "code", "message", "niveau"}
    assert problemes[0] == {
        "feuille": "habilitations",
        "ligne": 2,
        "colonne": "role",
        "valeur": "chef",
        "code": "role-inconnu",
        "message": "Rôle inconnu : attendu cabinet, copil, donnees ou admin.",
        "niveau": "erreur",
    }
    assert "n'ont pas changé" in erreur
    code, sortie, _ = commande(capsys, "habilitations", "importer", ERREURS, "--db", chemin_base_demo)
    assert code == 1 and "ERREUR [role-inconnu] feuille habilitations, ligne 2, colonne role" in sortie
    for illisible in (tmp_path / "absent.csv", _ecrire(tmp_path, "", "vide.csv"), _ecrire(tmp_path, "a", "l.txt")):
        code, _, erreur = commande(capsys, "habilitations", "importer", illisible, "--db", chemin_base_demo)
        assert code == 2 and erreur.strip()
    code, sortie, _ = commande(capsys, "habilitations", "lister", "--json", "--db", chemin_base_demo)
    assert code == 0
    assert json.loads(sortie) == [
        {"email": "admin.rebond@exemple.gouv.fr", "role": "admin", "regions": [], "territoires": [], "expire_le": None},
        {
            "email": "camille.martin@exemple.gouv.fr",
            "role": "copil",
            "regions": ["53", "24"],
            "territoires": [],
            "expire_le": None,
        },
        {
            "email": "paul.durand@exemple.gouv.fr",
            "role": "copil",
            "regions": [],
            "territoires": ["morlaix", "dreux", "cambrai"],
            "expire_le": "2027-01-15",
        },
    ]
    # Only the successful import is in the journal of the base, with the command line's user.
    entrees = journal.lire(journal.dossier_journal(chemin_base_demo))
    assert [(e.action, e.email.startswith("ligne de commande (")) for e in entrees] == [("habilitations", True)]
    assert "valide_utf8_bom_virgule.csv" in entrees[0].objet and "3 habilitation(s)" in entrees[0].objet


def test_commande_lister_texte_marque_les_expirees(
    chemin_base_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hier = (date.today() - timedelta(days=1)).isoformat()
    aujourd_hui = date.today().isoformat()
    fichier = _ecrire(
        tmp_path, f"email;role;expire_le\na@exemple.fr;cabinet;{hier}\nb@exemple.fr;admin;{aujourd_hui}\n"
    )
    assert commande(capsys, "habilitations", "importer", fichier, "--db", chemin_base_demo)[0] == 0
    code, sortie, _ = commande(capsys, "habilitations", "lister", "--db", chemin_base_demo)
    lignes = sortie.splitlines()
    assert code == 0 and lignes[0].startswith("a@exemple.fr") and lignes[0].endswith("EXPIRÉE")
    assert lignes[1].startswith("b@exemple.fr") and "EXPIRÉE" not in lignes[1]  # expires today: still valid
