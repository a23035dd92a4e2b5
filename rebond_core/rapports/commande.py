"""The `rapport` command (spec/indicateurs.md):

    rapport --territoire CODE [--depuis-version N] [--au AAAA-MM-JJ] -o FICHIER.pdf
    rapport --territoire A --territoire B … -o DOSSIER     one file per territory
    rapport --tous [--au …] -o DOSSIER                      every territory, before a committee round
    rapport --national [--region …] [--releve …] [--filiere …] [--au …] -o FICHIER.pdf

Every value is checked before anything is written (exit 2 on an unknown territory, version, filter value or
date, or a folder that cannot be written). `--pour` (a report as a given user sees it) waits for the
habilitations (acces.md): until they exist no user is known, so the option is not offered."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rebond_core import formats, rapports
from rebond_core.cli import OK, _date_de_reference
from rebond_core.db import Base
from rebond_core.erreurs import HorsPerimetre, RebondError
from rebond_core.indicateurs import Filtres, verifier_filtres
from rebond_core.rapports import historique


def _cible(sortie: Path, nom: str, dossier: bool) -> Path:
    """Where a report goes: `sortie` itself, or `nom` inside it when it is (or must be) a folder."""
    if dossier or sortie.is_dir():
        return sortie / nom
    return sortie


def _ecrire(chemin: Path, contenu: bytes) -> None:
    try:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(contenu)
    except OSError as erreur:
        raise RebondError(f"Impossible d'écrire le rapport {chemin} : {erreur.strerror or erreur}.") from erreur


def executer(base: Base, args: argparse.Namespace) -> int:
    au = _date_de_reference(args.au)
    if args.national and base.restreinte:
        raise HorsPerimetre(
            "La note nationale n'est pas faite pour un membre de COPIL (--pour) : demandez le rapport "
            "de son territoire (--territoire)."
        )
    if args.national:
        filtres = verifier_filtres(base, Filtres(tuple(args.region), tuple(args.releve), tuple(args.filiere), au=au))
        chemin = _cible(args.sortie, rapports.nom_fichier_national(au), dossier=False)
        _ecrire(chemin, rapports.note_nationale(base, filtres))
        print(f"Note nationale écrite : {chemin}")
        return OK
    if args.region or args.releve or args.filiere:
        raise RebondError(
            "Les options --region, --releve et --filiere ne valent que pour la note nationale (--national)."
        )
    version = base.version_courante()
    if args.tous:
        codes = tuple(
            c for (c,) in base.lignes("select code_territoire from territoires_a($v) order by 1", {"v": version})
        )
        if not codes:
            raise RebondError("La base ne contient aucun territoire : aucun rapport à écrire.")
    else:
        codes = tuple(dict.fromkeys(args.territoire))
    verifier_filtres(base, Filtres(territoire=codes, au=au))  # every territory known before the first file
    depuis = (
        None
        if args.depuis_version is None
        else rapports.historique_depuis(base, codes[0], version, args.depuis_version)
    )
    plusieurs = args.tous or len(codes) > 1
    if plusieurs and args.sortie.exists() and not args.sortie.is_dir():
        raise RebondError(f"{args.sortie} est un fichier : pour plusieurs rapports, -o doit nommer un dossier.")
    debut = time.perf_counter()
    for code in codes:
        comparaison = depuis if depuis is not None else historique.comparaison_par_defaut(base, code, version).version
        # Made for someone else (--pour): the report of what they see, not recorded as their committee's.
        contenu = rapports.rapport_territoire(
            base, code, au, depuis, historique.LIGNE_DE_COMMANDE, enregistrer=not base.restreinte
        )
        chemin = _cible(args.sortie, rapports.nom_fichier_territoire(code, au), plusieurs)
        _ecrire(chemin, contenu)
        print(f"Rapport écrit : {chemin} (changements depuis la version {comparaison})")
    if plusieurs:
        duree = formats.nombre(time.perf_counter() - debut, 1)
        print(f"{formats.nombre(len(codes))} rapport(s) écrit(s) en {duree} s dans {args.sortie}.", file=sys.stderr)
    return OK
