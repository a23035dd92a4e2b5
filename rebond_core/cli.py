"""The command line for data staff automation, scripts and checks. Exit statuses follow the spec:
0 done, 1 validation errors (nothing written), 2 refused, unreadable file, unknown value or bad usage."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rebond_core import formats
from rebond_core.config import chemin_base
from rebond_core.db import Base
from rebond_core.erreurs import RebondError
from rebond_core.indicateurs import INDICATEURS, Filtres, calculer, en_json, verifier_filtres

if TYPE_CHECKING:
    from rebond_core.importation.pipeline import ResultatImport

# The import machinery (pydantic models, readers, Arrow) is imported by the commands that use it,
# so that `indicateurs` and `versions` start fast.

OK, ERREURS_VALIDATION, REFUS = 0, 1, 2


def _analyseur() -> argparse.ArgumentParser:
    racine = argparse.ArgumentParser(
        prog="python -m rebond_core", description="Rebond industriel : base et indicateurs."
    )
    commandes = racine.add_subparsers(dest="commande", required=True)

    def commande(nom: str, aide: str) -> argparse.ArgumentParser:
        sous = commandes.add_parser(nom, help=aide, description=aide)
        sous.add_argument("--db", help="chemin de la base (sinon $REBOND_DB, sinon data/rebond.duckdb)")
        return sous

    init = commande("init", "crée la base (démonstration ou vide)")
    mode = init.add_mutually_exclusive_group()
    mode.add_argument("--demo", action="store_true", help="avec les données de démonstration (par défaut)")
    mode.add_argument("--vide", action="store_true", help="vide, avec seulement le référentiel et le calendrier")
    init.add_argument("--force", action="store_true", help="remplace une base existante")

    modele = commande("modele", "écrit le classeur modèle vide")
    modele.add_argument("chemin", type=Path)

    imp = commande("importer", "valide et importe des fichiers")
    imp.add_argument("fichiers", nargs="+", type=Path)
    imp.add_argument("--simulation", action="store_true", help="valide et montre les changements sans écrire")
    imp.add_argument("--auteur", default=None)
    imp.add_argument("--json", action="store_true")

    ind = commande("indicateurs", "affiche les indicateurs")
    ind.add_argument("--region", action="append", default=[])
    ind.add_argument("--releve", action="append", default=[], type=int)
    ind.add_argument("--filiere", action="append", default=[])
    ind.add_argument("--territoire", action="append", default=[])
    ind.add_argument("--version", type=int, default=None)
    ind.add_argument(
        "--au", default=None, metavar="AAAA-MM-JJ", help="date de référence des versements et des délais (aujourd'hui)"
    )
    ind.add_argument("--json", action="store_true")

    ver = commande("versions", "liste les versions")
    ver.add_argument("--json", action="store_true")

    res = commande("restaurer", "restaure une version comme nouvelle version")
    res.add_argument("numero", type=int)
    res.add_argument("--auteur", default=None)

    cla = commande("classement", "classe les sites sur une grille de critères")
    cla.add_argument("--grille", default=None, help="code de la grille (par défaut : sites_de_demain)")
    cla.add_argument("--region", action="append", default=[])
    cla.add_argument("--territoire", action="append", default=[])
    cla.add_argument("--poids", action="append", default=[], metavar="CODE=W")
    cla.add_argument("--seuil", action="append", default=[], metavar="CODE=MIN")
    cla.add_argument("--non-evalue-zero", action="store_true", help="un critère non évalué compte 0")
    cla.add_argument("--json", action="store_true")

    arb = commande("arbitrage", "propose les projets en attente à financer avec le reste de l'enveloppe")
    arb.add_argument("--objectif", default="emplois", help="emplois (par défaut) ou investissement")
    arb.add_argument("--budget", default=None, metavar="EUR", help="budget national (sinon le reste des 90 M€)")
    arb.add_argument("--sans-plafond-territoire", action="store_true", help="seul le budget national limite")
    arb.add_argument("--plafond-filiere", action="append", default=[], metavar="CODE=EUR")
    arb.add_argument("--region", action="append", default=[])
    arb.add_argument("--territoire", action="append", default=[])
    arb.add_argument("--filiere", action="append", default=[])
    arb.add_argument("--pour", default=None, metavar="EMAIL", help="calculé comme cet utilisateur le voit")
    arb.add_argument("--limite-temps", type=float, default=30.0, metavar="S", help="secondes de calcul au plus")
    arb.add_argument("--json", action="store_true")

    rap = commande("rapport", "écrit le rapport PDF d'un territoire pour son comité de pilotage (COPIL)")
    cible = rap.add_mutually_exclusive_group(required=True)
    cible.add_argument("--territoire", action="append", default=None, help="répétable : un fichier par territoire")
    cible.add_argument("--tous", action="store_true", help="un rapport par territoire, dans le dossier -o")
    cible.add_argument("--national", action="store_true", help="la note nationale pour le cabinet")
    rap.add_argument("--depuis-version", type=int, default=None, metavar="N", help="version comparée (changements)")
    rap.add_argument("--au", default=None, metavar="AAAA-MM-JJ", help="date de référence (aujourd'hui)")
    rap.add_argument("--region", action="append", default=[], help="filtre de la note nationale")
    rap.add_argument("--releve", action="append", default=[], type=int, help="filtre de la note nationale")
    rap.add_argument("--filiere", action="append", default=[], help="filtre de la note nationale")
    rap.add_argument("-o", "--sortie", required=True, type=Path, help="fichier PDF, ou dossier pour plusieurs")
    return racine


def main(argv: list[str] | None = None) -> int:
    args = _analyseur().parse_args(argv)
    try:
        return _executer(args)
    except RebondError as erreur:
        print(erreur.message_fr, file=sys.stderr)
        return REFUS


def _executer(args: argparse.Namespace) -> int:
    chemin = chemin_base(args.db)
    if args.commande == "init":
        from rebond_core.creation import creer_base

        creer_base(chemin, demo=not args.vide, force=args.force).fermer()
        print(f"Base créée : {chemin}" + (" (données de démonstration)" if not args.vide else " (vide)"))
        return OK
    if args.commande == "modele":
        from rebond_core.importation.modele_classeur import ecrire_modele

        ecrire_modele(args.chemin)
        print(f"Modèle écrit : {args.chemin}")
        return OK
    base = Base.ouvrir(chemin, lecture_seule=args.commande in ("indicateurs", "versions", "classement", "arbitrage"))
    try:
        return _COMMANDES[args.commande](base, args)
    finally:
        base.fermer()


def _auteur(args: argparse.Namespace) -> str:
    if args.auteur:
        return str(args.auteur)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


def _importer(base: Base, args: argparse.Namespace) -> int:
    from rebond_core.importation.pipeline import importer, sans_ramasse_miettes

    with sans_ramasse_miettes():
        resultat = importer(base, list(args.fichiers), _auteur(args), simulation=args.simulation)
    if args.json:
        print(json.dumps([p.en_dict() for p in resultat.rapport.problemes], ensure_ascii=False, indent=2))
        print(_resume_import(resultat, args.simulation), file=sys.stderr)
    else:
        for probleme in resultat.rapport.problemes:
            print(probleme.en_ligne())
        if resultat.rapport.valide and args.simulation:
            print(_detail_plan(resultat))
        print(_resume_import(resultat, args.simulation))
    return OK if resultat.rapport.valide else ERREURS_VALIDATION


def _resume_import(resultat: ResultatImport, simulation: bool) -> str:
    rapport = resultat.rapport
    if not rapport.valide:
        return (
            f"Import refusé : {rapport.nombre_erreurs} erreur(s), {len(rapport.avertissements)} "
            "avertissement(s). Rien n'a été écrit."
        )
    comptes = ", ".join(
        f"{table} : {formats.nombre(c['ajoutees'])} ajoutée(s), {formats.nombre(c['modifiees'])} modifiée(s)"
        for table, c in resultat.comptes().items()
    )
    if not resultat.a_des_changements:
        return "Aucune modification : la base contient déjà ces données. Aucune version créée."
    if simulation:
        return f"Simulation : rien n'a été écrit. Changements prévus — {comptes}."
    return f"Import réussi : version {resultat.version} créée — {comptes}."


def _detail_plan(resultat: ResultatImport) -> str:
    lignes = []
    for table, plan in resultat.plan.items():
        for cle, numero in plan.ajoutees:
            lignes.append(f"  {table} ligne {numero} : ajout de {cle}")
        for modification in plan.modifiees:
            for colonne, avant, apres in modification.cellules:
                lignes.append(
                    f"  {table} ligne {modification.ligne} : {modification.cle}, {colonne} : "
                    f"{formats.valeur_lisible_cellule(avant)} → {formats.valeur_lisible_cellule(apres)}"
                )
    return "\n".join(lignes)


def _date_de_reference(texte: str | None) -> date | None:
    """The `--au` option: a date written YYYY-MM-DD, None when absent (today)."""
    if texte is None:
        return None
    try:
        return date.fromisoformat(texte.strip())
    except ValueError:
        raise RebondError(
            f"Date de référence invalide : « {texte} » (attendu AAAA-MM-JJ, par exemple 2026-11-29)."
        ) from None


def _indicateurs(base: Base, args: argparse.Namespace) -> int:
    filtres = Filtres(
        tuple(args.region),
        tuple(args.releve),
        tuple(args.filiere),
        tuple(args.territoire),
        args.version,
        _date_de_reference(args.au),
    )
    filtres = verifier_filtres(base, filtres)
    resultat = calculer(base, filtres)
    if args.json:
        print(json.dumps(en_json(resultat), ensure_ascii=False, indent=2))
        return OK
    for indicateur in INDICATEURS:
        print(f"{indicateur.libelle:<40} {indicateur.texte(resultat.valeurs[indicateur.cle])}")
    return OK


def _versions(base: Base, args: argparse.Namespace) -> int:
    from rebond_core.versions import LEGENDE_COMPTES, liste_versions, origine, texte_comptes

    versions = liste_versions(base)
    if args.json:
        print(json.dumps(versions, ensure_ascii=False, indent=2))
        return OK
    if not versions:
        print("Aucune version : rien n'a encore été importé.")
        return OK
    print(f"Lignes par table : {LEGENDE_COMPTES}")
    for v in versions:
        quand = formats.date_fr(datetime.fromisoformat(v["date"]))
        print(f"{v['numero']:>4}  {quand}  {v['auteur']}  {origine(v)}  [{texte_comptes(v['comptes'])}]")
    return OK


def _restaurer(base: Base, args: argparse.Namespace) -> int:
    from rebond_core.restauration import restaurer

    numero = restaurer(base, args.numero, _auteur(args))
    if numero is None:
        print(f"La base est déjà dans l'état de la version {args.numero} : aucune version créée.")
    else:
        print(f"Version {args.numero} restaurée : version {numero} créée.")
    return OK


def _couples(valeurs: list[str], option: str) -> dict[str, str]:
    resultat = {}
    for valeur in valeurs:
        code, egal, reglage = valeur.partition("=")
        if not egal or not code.strip() or not reglage.strip():
            raise RebondError(f"Option {option} mal formée : « {valeur} » (attendu CODE=VALEUR).")
        resultat[code.strip()] = reglage.strip()
    return resultat


def _classement(base: Base, args: argparse.Namespace) -> int:
    from rebond_core import perimetre, sites

    grille = sites.grille(args.grille)
    poids = {}
    for code, valeur in _couples(args.poids, "--poids").items():
        try:
            poids[code] = float(valeur.replace(",", "."))
        except ValueError:
            raise RebondError(f"Poids non numérique pour {code} : « {valeur} ».") from None
    seuils: dict[str, int | None] = {}
    for code, valeur in _couples(args.seuil, "--seuil").items():
        if not valeur.isdigit():
            raise RebondError(f"Seuil invalide pour {code} : « {valeur} » (attendu un entier de 0 à 5).")
        seuils[code] = int(valeur)
    reglages = sites.reglages(grille, poids, seuils, args.non_evalue_zero)
    filtres = verifier_filtres(base, Filtres(region=tuple(args.region), territoire=tuple(args.territoire)))
    tableau, _, _ = sites.tableau(perimetre.sites(base, filtres), reglages)
    if args.json:
        print(json.dumps(sites.en_json(tableau), ensure_ascii=False, indent=2))
        return OK
    for ligne in sites.en_json(tableau):
        rang = formats.VIDE if ligne["rang"] is None else str(ligne["rang"])
        score, completude = formats.nombre(ligne["score"], 1), formats.pourcentage(ligne["completude"], 0)
        print(
            f"{rang:>4}  {score:>6}  {completude:>6}  {ligne['id_site']}  {ligne['nom']}"
            + (f"  ({ligne['motif']})" if ligne["motif"] else "")
        )
    return OK


def _arbitrage(base: Base, args: argparse.Namespace) -> int:
    # The solver (numpy, highspy) is imported here only, so that the other commands start fast.
    from rebond_core import arbitrage, vues_arbitrage

    if args.pour is not None:  # the habilitations (acces.md) are not in the base yet: nobody is known
        raise RebondError(f"Utilisateur inconnu : {args.pour} (aucune habilitation n'est enregistrée dans la base).")
    reglages = arbitrage.reglages(
        objectif=args.objectif,
        budget_eur=args.budget,
        plafonds_territoire=not args.sans_plafond_territoire,
        plafonds_filiere=_couples(args.plafond_filiere, "--plafond-filiere"),
        limite_temps_s=args.limite_temps,
    )
    filtres = Filtres(region=tuple(args.region), filiere=tuple(args.filiere), territoire=tuple(args.territoire))
    resultat = arbitrage.arbitrer(base, verifier_filtres(base, filtres), reglages)
    if not (resultat.resolution.optimale and resultat.resolution.departage_prouve):  # time limit hit
        print(vues_arbitrage.statut_calcul(resultat), file=sys.stderr)
    if args.json:
        print(json.dumps(arbitrage.en_json(resultat), ensure_ascii=False, indent=2))
        return OK
    print(vues_arbitrage.texte_cli(resultat))
    return OK


def _rapport(base: Base, args: argparse.Namespace) -> int:
    # The report machinery (typst, the templates) is imported here only, so that the other commands start fast.
    from rebond_core.rapports.commande import executer

    return executer(base, args)


_COMMANDES = {
    "rapport": _rapport,
    "arbitrage": _arbitrage,
    "importer": _importer,
    "indicateurs": _indicateurs,
    "versions": _versions,
    "restaurer": _restaurer,
    "classement": _classement,
}
