"""Construit le référentiel géographique de Rebond (régions, départements, EPCI, communes).

Source : paquet npm ``@etalab/decoupage-administratif`` version 6.0.0 (millésime 2026).
Licence des données : « INSEE COG 2026, DGCL EPCI 2026, via Etalab — Licence Ouverte ».

Usage (depuis la racine du dépôt) :

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python data/ref/construire_referentiel.py CHEMIN/package/data data/ref

Écrit, en UTF-8 avec une ligne d'en-tête et la virgule pour séparateur :
regions.csv, departements.csv, epci.csv, communes.csv. Les collectivités d'outre-mer (zone « com »)
sont exclues. communes.csv contient les communes actuelles et les arrondissements municipaux
(Paris, Lyon, Marseille), ces derniers rattachés à l'EPCI de leur commune.
Bibliothèque standard uniquement.
"""

import csv
import json
import sys
from pathlib import Path


def lire(source: Path, nom: str) -> list[dict]:
    with open(source / f"{nom}.json", encoding="utf-8") as f:
        return json.load(f)


def ecrire(chemin: Path, entetes: list[str], lignes: list[list]) -> None:
    with open(chemin, "w", encoding="utf-8", newline="") as f:
        ecrivain = csv.writer(f, lineterminator="\n")
        ecrivain.writerow(entetes)
        ecrivain.writerows(lignes)
    print(f"{chemin} : {len(lignes)} lignes")


def vide_si_none(valeur):
    return "" if valeur is None else valeur


def construire(source: Path, cible: Path) -> None:
    cible.mkdir(parents=True, exist_ok=True)

    regions = [r for r in lire(source, "regions") if r["zone"] != "com"]
    ecrire(cible / "regions.csv", ["code_region", "nom", "zone"], [[r["code"], r["nom"], r["zone"]] for r in regions])

    departements = [d for d in lire(source, "departements") if d["zone"] != "com"]
    ecrire(
        cible / "departements.csv",
        ["code_departement", "nom", "code_region", "zone"],
        [[d["code"], d["nom"], d["region"], d["zone"]] for d in departements],
    )

    epcis = lire(source, "epci")
    ecrire(
        cible / "epci.csv",
        ["siren_epci", "nom", "type", "mode_financement", "population_totale", "population_municipale", "nb_communes"],
        [
            [
                e["code"],
                e["nom"],
                e["type"],
                e["modeFinancement"],
                e["populationTotale"],
                e["populationMunicipale"],
                len(e["membres"]),
            ]
            for e in epcis
        ],
    )

    # Le champ « siren » d'une commune est son propre SIREN : l'EPCI vient des membres d'epci.json.
    epci_de_commune = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    types = {"commune-actuelle": "commune", "arrondissement-municipal": "arrondissement"}
    lignes = []
    for c in lire(source, "communes"):
        if c["type"] not in types or c["zone"] == "com":
            continue
        parent = c.get("commune", c["code"])  # un arrondissement prend l'EPCI de sa commune
        lignes.append(
            [
                c["code"],
                c["nom"],
                types[c["type"]],
                c["departement"],
                c["region"],
                epci_de_commune.get(parent, ""),
                vide_si_none(c.get("population")),
            ]
        )
    lignes.sort(key=lambda ligne: ligne[0])
    ecrire(
        cible / "communes.csv",
        ["code_insee", "nom", "type", "code_departement", "code_region", "siren_epci", "population"],
        lignes,
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    construire(Path(sys.argv[1]), Path(sys.argv[2]))
