"""Rules of the codebase: the core never imports Streamlit; every issue code the import emits is a literal
with a French message; the template's notice describes every column of every model."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from rebond_core.acces.habilitations import MESSAGES as MESSAGES_HABILITATIONS
from rebond_core.importation.definitions import definitions
from rebond_core.importation.messages import AVERTISSEMENTS, MESSAGES
from rebond_core.importation.notice import notice_complete

CORE = Path(__file__).resolve().parent.parent / "rebond_core"


def _modules_importes(chemin: Path) -> set[str]:
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    noms: set[str] = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            noms.update(alias.name.split(".")[0] for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module.split(".")[0])
    return noms


def test_le_coeur_n_importe_pas_streamlit() -> None:
    fautifs = [p.name for p in CORE.rglob("*.py") if "streamlit" in _modules_importes(p)]
    assert fautifs == []
    code = "import sys, rebond_core.cli, rebond_core.creation; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=CORE.parent)


# The calls that emit an issue code, and where their code is: this positional argument, or the keyword `code`.
EMETTEURS = {"ajouter": 0, "_erreur": 0, "CelluleInvalide": 0, "message": 0, "PydanticCustomError": 0, "Probleme": 4}
# The only calls whose code is not a literal: (module, enclosing function, code expression). Each passes on
# a code already written as a literal at another call checked here; none makes up a new one.
RELAIS = {
    ("importation/modeles.py", "_erreur", "code"),  # PydanticCustomError(code, MESSAGES[code])
    ("importation/modeles.py", "valider", "erreur.code"),  # a CelluleInvalide turned into a pydantic error
    ("importation/modeles.py", "_filieres", "erreur.code"),  # the same, for each value of a list
    ("importation/rapport.py", "ajouter", "code"),  # Rapport.ajouter: message(code), Probleme(…, code, …)
    ("importation/validation.py", "_signaler", "detail['type']"),  # a pydantic error's type: an _erreur code
    ("acces/habilitations.py", "_valider_ligne", "detail['type']"),  # the same, for the habilitations file
}
# `ajouter` methods of other classes (not a report): (module, receiver).
AUTRES_AJOUTER = {("importation/classeur_xml.py", "etendue")}


def _appels_emetteurs(chemin: Path) -> list[tuple[str, ast.expr | None]]:
    """(enclosing function, code expression) of every emitting call of a module."""
    appels: list[tuple[str, ast.expr | None]] = []
    module = str(chemin.relative_to(CORE))

    def visiter(noeud: ast.AST, fonction: str) -> None:
        if isinstance(noeud, (ast.FunctionDef, ast.AsyncFunctionDef)):
            fonction = noeud.name
        if isinstance(noeud, ast.Call):
            appele = noeud.func
            nom = appele.attr if isinstance(appele, ast.Attribute) else getattr(appele, "id", None)
            recepteur = ast.unparse(appele.value) if isinstance(appele, ast.Attribute) else None
            if nom in EMETTEURS and not (nom == "ajouter" and (module, recepteur) in AUTRES_AJOUTER):
                nommes = {mot.arg: mot.value for mot in noeud.keywords}
                rang = EMETTEURS[nom]
                appels.append((fonction, nommes.get("code", noeud.args[rang] if len(noeud.args) > rang else None)))
        for enfant in ast.iter_child_nodes(noeud):
            visiter(enfant, fonction)

    visiter(ast.parse(chemin.read_text(encoding="utf-8")), "<module>")
    return appels


def test_chaque_code_emis_est_un_litteral_avec_un_message_francais() -> None:
    emis: set[str] = set()
    relais: set[tuple[str, str, str]] = set()
    for chemin in sorted(CORE.rglob("*.py")):
        for fonction, code in _appels_emetteurs(chemin):
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                emis.add(code.value)
            else:
                relais.add((str(chemin.relative_to(CORE)), fonction, ast.unparse(code) if code else "(absent)"))
    assert relais - RELAIS == set(), "code d'anomalie non littéral : écrivez le code tel quel à l'appel"
    assert RELAIS - relais == set(), "relais disparu : retirez-le de RELAIS"
    assert len(emis) > 30
    assert emis - set(MESSAGES) - set(MESSAGES_HABILITATIONS) == set()
    assert AVERTISSEMENTS <= set(MESSAGES)


def test_la_notice_decrit_chaque_colonne_de_chaque_modele() -> None:
    """The promise of notice.py: every column of every model, in the model's order, once, required exactly
    when the model requires it; nothing else."""
    notice = notice_complete()
    assert list(notice) == list(definitions())
    for table, definition in definitions().items():
        assert [ligne[0] for ligne in notice[table]] == definition.colonnes, table
        requises = [colonne for colonne, _, requise, _, _ in notice[table] if requise]
        assert requises == definition.colonnes_requises, table
        assert all(type_ and regle for _, type_, _, _, regle in notice[table]), table


# The whole base of the server (rebond_ui.donnees.base()) is for writes after `acces.exiger` and for finding
# a user's habilitation; every read of the pages goes through donnees.lecture() or the cached functions
# keyed on the user's scope (rebond_core/acces/portee.py is the one choke point).
BASE_COMPLETE_PERMISE = {
    "rebond_ui/donnees.py",  # defines it, and builds the scoped bases from it
    "rebond_ui/acces.py",  # the user's habilitation
    "rebond_ui/televersement.py",  # import and publish (acces.exiger("importer") first)
    "rebond_ui/restauration.py",  # restore (acces.exiger("restaurer") first)
    "rebond_ui/rapport.py",  # records a generated report (never read back to the page)
    "rebond_ui/habilitations.py",  # the admin page (acces.exiger("administrer") first)
}


def test_les_pages_lisent_par_le_point_de_passage_du_perimetre() -> None:
    racine = CORE.parent
    fautifs = []
    for chemin in [*racine.glob("pages/*.py"), *racine.glob("rebond_ui/*.py"), racine / "dashboard.py"]:
        relatif = chemin.relative_to(racine).as_posix()
        if relatif in BASE_COMPLETE_PERMISE:
            continue
        texte = chemin.read_text(encoding="utf-8")
        if "donnees.base()" in texte or "Base.ouvrir" in texte or "duckdb" in _modules_importes(chemin):
            fautifs.append(relatif)
    assert fautifs == []
