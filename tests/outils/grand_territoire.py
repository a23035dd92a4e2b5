"""A territory of 100 000 projects for the large-scope tests and the memory bench: CSV files "Excel français"
(`;`, decimal comma, dates dd/mm/yyyy) of one territory, its projects in every status and the payments of
half of its granted projects, imported through the real pipeline into a copy of a base."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from rebond_core.db import Base
from rebond_core.importation.pipeline import importer, sans_ramasse_miettes

CODE = "geant"
NOM = "Territoire géant"
EPCI = "246200729"  # CA du Boulonnais (Hauts-de-France): no territory of the demonstration holds it
COMMUNE = "62160"  # Boulogne-sur-Mer
# Status by the project's number modulo 20: 5 identified, 4 prioritised, 3 filed, 6 granted, 1 refused,
# 1 abandoned; the prioritised and filed ones reached their status long ago (projects to follow).
STATUTS = ["identifie"] * 5 + ["priorise"] * 4 + ["depose"] * 3 + ["accorde"] * 6 + ["refuse", "abandonne"]
DEBUT = date(2023, 1, 2)


def _jour(numero: int) -> str:
    return (DEBUT + timedelta(days=numero % 700)).strftime("%d/%m/%Y")


def fabriquer_csv(dossier: Path, projets: int = 100_000) -> list[Path]:
    """territoires.csv, projets.csv and versements.csv of the territory; their paths."""
    dossier.mkdir(parents=True, exist_ok=True)
    chemins = {nom: dossier / f"{nom}.csv" for nom in ("territoires", "projets", "versements")}
    with chemins["territoires"].open("w", encoding="utf-8", newline="") as flux:
        ecrivain = csv.writer(flux, delimiter=";")
        ecrivain.writerow(
            ["code_territoire", "nom", "releve", "region", "epci", "filieres", "statut_mission", "cout_mission_eur"]
            + ["enveloppe_aides_eur"]
        )
        ecrivain.writerow([CODE, NOM, 1, "32", EPCI, "automobile", "en_cours", "0", "50000000"])
    with (
        chemins["projets"].open("w", encoding="utf-8", newline="") as flux_projets,
        chemins["versements"].open("w", encoding="utf-8", newline="") as flux_versements,
    ):
        projets_csv = csv.writer(flux_projets, delimiter=";")
        versements_csv = csv.writer(flux_versements, delimiter=";")
        projets_csv.writerow(
            ["id_projet", "code_territoire", "intitule", "entreprise", "commune", "filiere", "origine", "statut"]
            + ["investissement_eur", "emplois_prevus", "aide_demandee_eur", "subvention_eur"]
            + ["avance_remboursable_eur", "date_decision", "date_statut"]
        )
        versements_csv.writerow(["id_versement", "id_projet", "date", "nature", "montant_eur"])
        for n in range(projets):
            statut = STATUTS[n % len(STATUTS)]
            accorde = statut == "accorde"
            decision = _jour(n) if statut in ("accorde", "refuse") else ""
            identifiant = f"G-{n:06d}"
            projets_csv.writerow(
                [identifiant, CODE, f"Projet {n}", f"Entreprise {n % 977}", COMMUNE, "automobile"]
                + ["endogene" if n % 3 else "exogene", statut, f"{100_000 + n % 5000},5", 1 + n % 7, "1200"]
                + ["1000" if accorde else "0", "200" if accorde else "0", decision, _jour(n)]
            )
            if accorde and n % 2 == 0:
                versements_csv.writerow([f"V-{n:06d}", identifiant, _jour(n + 30), "subvention", "500"])
    return list(chemins.values())


def importer_grand_territoire(chemin_base: Path, dossier: Path, projets: int = 100_000) -> None:
    """Write the CSV files in `dossier` and import them into the base `chemin_base` (one new version)."""
    fichiers = fabriquer_csv(dossier, projets)
    base = Base.ouvrir(chemin_base)
    try:
        with sans_ramasse_miettes():
            resultat = importer(base, fichiers, "grand territoire")
    finally:
        base.fermer()
    assert resultat.rapport.valide, [(p.code, p.message) for p in resultat.rapport.problemes[:5]]
