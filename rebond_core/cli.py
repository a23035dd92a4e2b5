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
AIDE_POUR = "calcule ce que voit cet utilisateur (son habilitation et son périmètre)"


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
    ind.add_argument("--pour", default=None, metavar="EMAIL", help=AIDE_POUR)

    ver = commande("versions", "liste les versions")
    ver.add_argument("--json", action="store_true")

    res = commande("restaurer", "restaure une version comme nouvelle version")
    res.add_argument("numero", type=int)
    res.add_argument("--auteur", default=None)

    cla = commande("classement", "classe les sites sur une grille de critères")
    cla.add_argument("--pour", default=None, metavar="EMAIL", help=AIDE_POUR)
    cla.add_argument("--grille", default=None, help="code de la grille (par défaut : sites_de_demain)")
    cla.add_argument("--region", action="append", default=[])
    cla.add_argument("--territoire", action="append", default=[])
    cla.add_argument("--poids", action="append", default=[], metavar="CODE=W")
    cla.add_argument("--seuil", action="append", default=[], metavar="CODE=MIN")
    cla.add_argument("--non-evalue-zero", action="store_true", help="un critère non évalué compte 0")
    cla.add_argument("--json", action="store_true")

    arb = commande("arbitrage", "propose les projets en attente à financer avec le reste de l'enveloppe")
    arb.add_argument("--pour", default=None, metavar="EMAIL", help=AIDE_POUR)
    arb.add_argument("--objectif", default="emplois", help="emplois (par défaut) ou investissement")
    arb.add_argument("--budget", default=None, metavar="EUR", help="budget national (sinon le reste des 90 M€)")
    arb.add_argument("--sans-plafond-territoire", action="store_true", help="seul le budget national limite")
    arb.add_argument("--plafond-filiere", action="append", default=[], metavar="CODE=EUR")
    arb.add_argument("--region", action="append", default=[])
    arb.add_argument("--territoire", action="append", default=[])
    arb.add_argument("--filiere", action="append", default=[])
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
    rap.add_argument("--pour", default=None, metavar="EMAIL", help=AIDE_POUR)

    commande("publier", "publie l'état de la base pour les serveurs de consultation (fait après chaque import)")

    aide_hab = "gère les habilitations : qui voit quoi (voir acces.md)"
    hab = commandes.add_parser("habilitations", help=aide_hab, description=aide_hab)
    actions_hab = hab.add_subparsers(dest="habilitations", required=True)
    hab_imp = actions_hab.add_parser("importer", help="valide le fichier CSV et remplace toute la liste")
    hab_imp.add_argument("fichier", type=Path)
    hab_imp.add_argument("--json", action="store_true")
    hab_lis = actions_hab.add_parser("lister", help="liste les habilitations de la base")
    hab_lis.add_argument("--json", action="store_true")
    for sous in (hab_imp, hab_lis):  # after the action, like every command's --db
        sous.add_argument("--db", help="chemin de la base (sinon $REBOND_DB, sinon data/rebond.duckdb)")

    jou = commande("journal", "affiche le journal des accès, le plus ancien d'abord")
    jou.add_argument("--depuis", default=None, metavar="AAAA-MM-JJ", help="les entrées de ce jour et après")
    jou.add_argument("--json", action="store_true")
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
        from rebond_core.instantanes import publier

        base = creer_base(chemin, demo=not args.vide, force=args.force)
        try:
            publier(base, chemin)  # what the readers show (rebond_core/instantanes.py)
        finally:
            base.fermer()
        print(f"Base créée : {chemin}" + (" (données de démonstration)" if not args.vide else " (vide)"))
        return OK
    if args.commande == "modele":
        from rebond_core.importation.modele_classeur import ecrire_modele

        ecrire_modele(args.chemin)
        print(f"Modèle écrit : {args.chemin}")
        return OK
    if args.commande == "journal":  # a file next to the base ($REBOND_JOURNAL): the base is not opened
        return _journal(chemin, args)
    if args.commande == "habilitations":
        return _habilitations(chemin, args)
    lecture = ("indicateurs", "versions", "classement", "arbitrage", "publier")
    base = Base.ouvrir(chemin, lecture_seule=args.commande in lecture)
    try:
        if getattr(args, "pour", None):
            return _COMMANDES[args.commande](_base_pour(base, args.pour), args)
        return _COMMANDES[args.commande](base, args)
    finally:
        base.fermer()


def _base_pour(base: Base, email: str) -> Base:
    """What `email` may see (shared/spec/acces.md): refused (exit 2) for an unknown or expired user."""
    from rebond_core.acces.habilitations import trouver
    from rebond_core.acces.portee import Portee, base_pour
    from rebond_core.erreurs import HorsPerimetre

    habilitation = trouver(base, email)
    if habilitation is None or not habilitation.valide(date.today()):
        raise HorsPerimetre(f"Aucune habilitation valide pour {email} : rien n'est calculé pour cet utilisateur.")
    return base_pour(base, Portee.de(habilitation))


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
    if resultat.version is not None:  # a new version: the readers' snapshot (rebond_core/instantanes.py)
        _consigner(args, "import", _objet_import(resultat))
        from rebond_core import instantanes

        instantanes.publier(base, chemin_base(args.db))
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
        _consigner(args, "restauration", f"version {args.numero} restaurée comme version {numero}")
    return OK


def _publier(base: Base, args: argparse.Namespace) -> int:
    from rebond_core import instantanes

    instantane = instantanes.publier(base, chemin_base(args.db))
    print(f"Version {base.version_courante()} publiée pour les serveurs de consultation : {instantane}")
    return OK


def _utilisateur_cli() -> str:
    """Who acted, for the journal: the command line has no login, its Unix user stands for it."""
    try:
        return f"ligne de commande ({getpass.getuser()})"
    except (KeyError, OSError):
        return "ligne de commande (utilisateur inconnu)"


def _consigner(args: argparse.Namespace, action: str, objet: str) -> None:
    """Write the command's action to the journal of its base; the action is done either way, so a journal
    that cannot be written is a warning on standard error, not a failure of the command."""
    from rebond_core.acces import journal

    try:
        journal.consigner(_utilisateur_cli(), action, objet, dossier=journal.dossier_journal(chemin_base(args.db)))
    except RebondError as erreur:
        print(f"Attention : {erreur.message_fr}", file=sys.stderr)


def _objet_import(resultat: ResultatImport) -> str:
    fichiers = ", ".join(f"{f.nom} (SHA-256 {f.sha256[:12]})" for f in resultat.fichiers)
    return f"version {resultat.version} : {fichiers}"


def _habilitations(chemin: Path, args: argparse.Namespace) -> int:
    from rebond_core.acces import habilitations

    if args.habilitations == "lister":
        base = Base.ouvrir(chemin, lecture_seule=True)
        try:
            liste = habilitations.lister(base)
        finally:
            base.fermer()
        if args.json:
            print(json.dumps([h.en_json() for h in liste], ensure_ascii=False, indent=2))
            return OK
        if not liste:
            print("Aucune habilitation : la liste est vide (mode authentifié : personne n'a accès).")
        aujourd_hui = date.today()
        for h in liste:
            perimetre = " ; ".join(p for p in (", ".join(h.regions), ", ".join(h.territoires)) if p) or "national"
            fin = f"jusqu'au {formats.date_fr(h.expire_le)}" if h.expire_le else "sans fin"
            etat = "" if h.valide(aujourd_hui) else "  EXPIRÉE"
            print(f"{h.email}  {h.role}  {perimetre}  {fin}{etat}")
        return OK
    base = Base.ouvrir(chemin)
    try:
        resultat = habilitations.importer(base, args.fichier, _utilisateur_cli())
        rapport = resultat.rapport
        if rapport.valide:
            resume = f"Habilitations remplacées — {resultat.changements.resume() if resultat.changements else ''}."
        else:
            resume = (
                f"Fichier refusé : {rapport.nombre_erreurs} erreur(s), {len(rapport.avertissements)} "
                "avertissement(s). Les habilitations n'ont pas changé."
            )
        if args.json:
            print(json.dumps([p.en_dict() for p in rapport.problemes], ensure_ascii=False, indent=2))
            print(resume, file=sys.stderr)
        else:
            for probleme in rapport.problemes:
                print(probleme.en_ligne())
            print(resume)
        if not resultat.remplacees:
            return ERREURS_VALIDATION
        _consigner(args, "habilitations", resultat.objet_journal())
        _publier_instantane(base, chemin)
    finally:
        base.fermer()
    return OK


def _publier_instantane(base: Base, chemin: Path) -> None:
    """A snapshot for the readers (rebond_core/instantanes.py) when this code has them: they read the
    habilitations from it."""
    try:
        from rebond_core import instantanes
    except ImportError:
        return
    instantanes.publier(base, chemin)


def _journal(chemin: Path, args: argparse.Namespace) -> int:
    from rebond_core.acces import journal

    depuis = None
    if args.depuis is not None:
        try:
            depuis = date.fromisoformat(args.depuis.strip())
        except ValueError:
            raise RebondError(
                f"Date invalide pour --depuis : « {args.depuis} » (attendu AAAA-MM-JJ, par exemple 2026-11-01)."
            ) from None
    entrees = journal.lire(journal.dossier_journal(chemin), depuis)
    if args.json:
        print(json.dumps([e.en_json() for e in entrees], ensure_ascii=False, indent=2))
        return OK
    if not entrees:
        print("Journal vide" + (f" depuis le {formats.date_fr(depuis)}." if depuis else "."))
    for e in entrees:
        quand = e.date.strftime(f"{formats.FORMAT_DATE} %H:%M:%S")
        print(f"{quand}  {e.email}  {journal.ACTIONS.get(e.action, e.action)}  {e.objet}  [{e.portee}]")
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
    "publier": _publier,
}
