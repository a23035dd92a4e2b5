"""Génère le classeur de démonstration de Rebond (data/demo/releve-demo.xlsx).

Le classeur suit exactement le contrat d'import (/work/shared/spec/classeur-releve.md) : feuilles
`releves`, `territoires`, `projets`, `sites`, plus une feuille `lisez-moi`.

- Territoires, relèves, régions et EPCI sont réels (data/laureats-publics.csv, data/releves.csv,
  data/ref/communes.csv) ; ce qui n'est pas publié (dates, coûts, enveloppes) est complété de façon
  plausible.
- Projets et sites sont fictifs, tirés avec une graine fixe (2030) et calibrés pour que les totaux de
  chaque territoire égalent ses chiffres publiés quand ils existent.

Usage, depuis la racine du dépôt :

    python data/demo/generer_demo.py [SORTIE.xlsx]

Le résultat est déterministe : deux exécutions donnent le même fichier.
"""

import csv
import math
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

GRAINE = 2030
FIN_DECISIONS = date(2026, 11, 15)  # dernière date de décision possible
MISSION_EN_COURS_APRES = date(2026, 11, 1)
RACINE = Path(__file__).resolve().parents[2]
SORTIE_PAR_DEFAUT = RACINE / "data/demo/releve-demo.xlsx"

COLONNES = {
    "releves": ["numero", "date_limite", "date_annonce"],
    "territoires": [
        "code_territoire",
        "nom",
        "releve",
        "region",
        "epci",
        "filieres",
        "statut_mission",
        "date_debut_mission",
        "date_fin_mission",
        "cabinet",
        "cout_mission_eur",
        "enveloppe_aides_eur",
        "cofinancement_local_eur",
        "industriels_rencontres",
    ],
    "projets": [
        "id_projet",
        "code_territoire",
        "intitule",
        "entreprise",
        "siren",
        "commune",
        "filiere",
        "origine",
        "statut",
        "investissement_eur",
        "emplois_prevus",
        "emplois_crees",
        "aide_demandee_eur",
        "subvention_eur",
        "avance_remboursable_eur",
        "date_decision",
        "innovant",
        "transition_ecologique",
    ],
    "sites": [
        "id_site",
        "code_territoire",
        "nom",
        "commune",
        "surface_ha",
        "type_foncier",
        "maitrise_fonciere",
        "disponibilite",
    ],  # + score_<critère>, ajoutés au chargement
}

INTITULES = [
    "Extension du bâtiment de production",
    "Nouvelle ligne d'usinage",
    "Robotisation de l'assemblage",
    "Atelier de traitement de surface",
    "Four électrique basse consommation",
    "Recyclage des chutes métalliques",
    "Ligne de pièces composites",
    "Centre d'essais et de métrologie",
    "Modernisation de la presse à injecter",
    "Unité de découpe laser",
    "Entrepôt logistique automatisé",
    "Cabine de peinture à faibles émissions",
    "Ligne de fabrication de batteries",
    "Reconversion d'un atelier de fonderie",
    "Centrale photovoltaïque en autoconsommation",
]
MOTS = [
    "Alcyon",
    "Bérylle",
    "Castor",
    "Dauphin",
    "Écume",
    "Fougère",
    "Givre",
    "Héron",
    "Iris",
    "Lynx",
    "Mistral",
    "Nacre",
    "Onyx",
    "Pivoine",
    "Quartz",
    "Roseau",
    "Saule",
    "Tilleul",
    "Verveine",
    "Zéphyr",
]
ENTREPRISES = [
    "Forges {de_commune}",
    "Mécanique {de_commune}",
    "Plasturgie {de_commune}",
    "Atelier {mot}",
    "Usinage {mot}",
    "{mot} Composites",
    "Établissements {mot} et Fils",
]
SITES = {
    "friche": "Friche de l'ancienne usine {mot}",
    "densification": "Parc d'activités {mot}",
    "extension": "Extension de la zone {mot}",
}
STATUTS_NON_ACCORDES = {"identifie": 30, "priorise": 20, "depose": 15, "refuse": 10, "abandonne": 15}


# --- Lecture des données sources ---------------------------------------------------------------


def lire_csv(chemin: Path) -> list[dict]:
    with open(chemin, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def en_date(texte: str) -> date | None:
    return date.fromisoformat(texte) if texte else None


def en_entier(texte: str) -> int | None:
    return int(texte) if texte else None


def charger(racine: Path) -> dict:
    communes_par_epci: dict[str, list[dict]] = {}
    for commune in lire_csv(racine / "data/ref/communes.csv"):
        communes_par_epci.setdefault(commune["siren_epci"], []).append(commune)
    criteres = [
        ligne["code"]
        for nom in ("sites_de_demain", "cles_en_main")
        for ligne in lire_csv(racine / f"data/grilles/{nom}.csv")
    ]
    return {
        "laureats": lire_csv(racine / "data/laureats-publics.csv"),
        "releves": {int(r["numero"]): r for r in lire_csv(racine / "data/releves.csv")},
        "communes_par_epci": communes_par_epci,
        "criteres": criteres,
    }


# --- Petits outils de tirage -------------------------------------------------------------------


def repartir(total: int, poids: list[float], pas: int = 1) -> list[int]:
    """Répartit `total` au prorata des poids, en multiples de `pas`, avec une somme exacte."""
    unites = total // pas
    parts = [unites * p / sum(poids) for p in poids]
    entiers = [math.floor(x) for x in parts]
    ordre = sorted(range(len(parts)), key=lambda i: entiers[i] - parts[i])
    for i in ordre[: unites - sum(entiers)]:
        entiers[i] += 1
    resultat = [e * pas for e in entiers]
    resultat[poids.index(max(poids))] += total % pas
    return resultat


def siren_fictif(rng: random.Random) -> str:
    """Neuf chiffres tirés au hasard, le dernier étant la clé de Luhn."""
    debut = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
    somme = 0
    for i, chiffre in enumerate(reversed(debut)):  # la clé sera en position 0 : on double 1, 3…
        double = chiffre * 2 if i % 2 == 0 else chiffre
        somme += double - 9 if double > 9 else double
    return "".join(map(str, debut)) + str((10 - somme % 10) % 10)


def date_entre(rng: random.Random, debut: date, fin: date) -> date:
    """Un jour ouvré entre `debut` et `fin` (décalé au lundi suivant s'il tombe un week-end)."""
    jour = debut + timedelta(days=rng.randint(0, max(0, (fin - debut).days)))
    return jour + timedelta(days=max(0, 7 - jour.weekday())) if jour.weekday() >= 5 else jour


def de(nom: str) -> str:
    """« de Douai », « d'Alès », « du Cateau-Cambrésis », « des Andelys »."""
    for article, contraction in (("Le ", "du "), ("Les ", "des ")):
        if nom.startswith(article):
            return contraction + nom[len(article) :]
    return ("d'" if nom[0] in "AEIOUYÉÈÊÎÔHaeiouyéh" else "de ") + nom


def commune_au_hasard(rng: random.Random, communes: list[dict]) -> dict:
    poids = [math.sqrt(int(c["population"] or 100)) for c in communes]
    return rng.choices(communes, weights=poids)[0]


# --- Territoires -------------------------------------------------------------------------------


def completer_territoire(rng: random.Random, laureat: dict, releve: dict) -> dict:
    """Reprend les valeurs publiées et complète les manques de façon plausible."""
    debut = en_date(laureat["date_debut_mission"])
    if debut is None:  # après l'annonce (ou la date limite) de la relève
        reference = en_date(releve["date_annonce"]) or en_date(releve["date_limite"]) + timedelta(days=75)
        debut = date_entre(rng, reference + timedelta(days=20), reference + timedelta(days=90))
    fin = en_date(laureat["date_fin_mission"]) or debut + timedelta(days=rng.randint(90, 120))
    return {
        "code_territoire": laureat["code_territoire"],
        "nom": laureat["nom"],
        "releve": int(laureat["releve"]),
        "region": laureat["region"],
        "epci": laureat["epci"],
        "filieres": laureat["filieres"],
        "statut_mission": "terminee" if fin < MISSION_EN_COURS_APRES else "en_cours",
        "date_debut_mission": debut,
        "date_fin_mission": fin,
        "cabinet": laureat["cabinet"] or None,  # non publié : laissé vide plutôt qu'inventé
        "cout_mission_eur": en_entier(laureat["cout_mission_eur"]) or rng.randint(30, 45) * 5_000,
        "enveloppe_aides_eur": (en_entier(laureat["enveloppe_aides_eur"]) or rng.randint(3, 11) * 500_000),
        "cofinancement_local_eur": en_entier(laureat["cofinancement_local_eur"]),
        "industriels_rencontres": (en_entier(laureat["industriels_rencontres"]) or rng.randint(35, 70)),
    }


# --- Projets -----------------------------------------------------------------------------------


def montants_investissement(rng: random.Random, n: int, publie: int | None) -> list[int]:
    bruts = [min(15e6, max(0.2e6, rng.lognormvariate(math.log(1.5e6), 1.0))) for _ in range(n)]
    if publie is not None:
        return repartir(publie, bruts, 1_000)
    return [int(round(x, -3)) for x in bruts]


def emplois(rng: random.Random, investissements: list[int], publie: int | None) -> list[int]:
    bruts = [min(80.0, max(2.0, x / 1e6 * 3 * rng.lognormvariate(0, 0.5))) for x in investissements]
    if publie is not None:
        return repartir(publie, bruts)
    return [round(x) for x in bruts]


def statuts(rng: random.Random, investissements: list[int], nb_accordes: int) -> list[str]:
    """Les projets accordés sont tirés de préférence parmi les plus gros."""
    restants = list(range(len(investissements)))
    accordes = set()
    for _ in range(nb_accordes):
        i = rng.choices(restants, weights=[math.sqrt(investissements[j]) for j in restants])[0]
        restants.remove(i)
        accordes.add(i)
    codes, poids = list(STATUTS_NON_ACCORDES), list(STATUTS_NON_ACCORDES.values())
    return ["accorde" if i in accordes else rng.choices(codes, weights=poids)[0] for i in range(len(investissements))]


def generer_projets(rng: random.Random, territoire: dict, laureat: dict, communes: list[dict]) -> list[dict]:
    n = en_entier(laureat["projets_identifies"]) or rng.randint(40, 120)
    nb_accordes = en_entier(laureat["projets_retenus"]) or max(1, round(n * rng.uniform(0.10, 0.20)))
    investissements = montants_investissement(rng, n, en_entier(laureat["investissement_identifie_eur"]))
    prevus = emplois(rng, investissements, en_entier(laureat["emplois_potentiels"]))
    liste_statuts = statuts(rng, investissements, nb_accordes)

    plafond = territoire["enveloppe_aides_eur"] + (territoire["cofinancement_local_eur"] or 0)
    aides_publiees = en_entier(laureat["aides_accordees_eur"])
    total_aides = aides_publiees or int(round(territoire["enveloppe_aides_eur"] * rng.uniform(0.6, 0.95), -3))
    assert total_aides <= plafond, territoire["code_territoire"]
    accordes = [i for i, s in enumerate(liste_statuts) if s == "accorde"]
    aides = dict(zip(accordes, repartir(total_aides, [investissements[i] for i in accordes], 1_000), strict=True))

    filieres = territoire["filieres"].split(";")
    projets = []
    for i in range(n):
        commune = commune_au_hasard(rng, communes)
        statut, investissement = liste_statuts[i], investissements[i]
        projet = {
            "id_projet": f"PRJ-{territoire['code_territoire']}-{i + 1:03d}",
            "code_territoire": territoire["code_territoire"],
            "intitule": rng.choice(INTITULES),
            "entreprise": rng.choice(ENTREPRISES).format(de_commune=de(commune["nom"]), mot=rng.choice(MOTS)),
            "siren": siren_fictif(rng),
            "commune": commune["code_insee"],
            "filiere": rng.choice(filieres) if rng.random() < 0.8 else "hors_transport",
            "origine": "endogene" if rng.random() < 0.75 else "exogene",
            "statut": statut,
            "investissement_eur": investissement,
            "emplois_prevus": prevus[i],
            "innovant": "oui" if rng.random() < 0.35 else "non",
            "transition_ecologique": "oui" if rng.random() < 0.4 else "non",
        }
        if statut == "accorde":
            aide = aides[i]
            projet["subvention_eur"] = int(round(aide * rng.choice([1, 1, 0.7, 0.5]), -3))
            projet["avance_remboursable_eur"] = aide - projet["subvention_eur"]
            projet["aide_demandee_eur"] = math.ceil(aide * rng.uniform(1.0, 1.5) / 1_000) * 1_000
            if rng.random() < 0.5:
                projet["emplois_crees"] = rng.randint(0, prevus[i])
        elif statut in ("depose", "refuse", "abandonne"):
            projet["aide_demandee_eur"] = int(round(investissement * rng.uniform(0.1, 0.3), -3))
        if statut in ("accorde", "refuse"):
            projet["date_decision"] = date_entre(
                rng,
                territoire["date_fin_mission"] + timedelta(days=30),
                min(FIN_DECISIONS, territoire["date_fin_mission"] + timedelta(days=540)),
            )
        projets.append(projet)
    return projets


# --- Sites -------------------------------------------------------------------------------------


def generer_sites(rng: random.Random, territoire: dict, communes: list[dict], criteres: list[str]) -> list[dict]:
    sites = []
    for i in range(rng.randint(3, 8)):
        commune = commune_au_hasard(rng, communes)
        type_foncier = rng.choice(list(SITES))
        maitrise = rng.choice(["publique", "publique", "privee", "a_securiser"])
        site = {
            "id_site": f"SIT-{territoire['code_territoire']}-{i + 1:02d}",
            "code_territoire": territoire["code_territoire"],
            "nom": SITES[type_foncier].format(mot=rng.choice(MOTS)) + f" ({commune['nom']})",
            "commune": commune["code_insee"],
            "surface_ha": round(min(60.0, max(1.5, rng.lognormvariate(math.log(8), 0.9))), 1),
            "type_foncier": type_foncier,
            "maitrise_fonciere": maitrise,
            "disponibilite": rng.randint(2025, 2032),
        }
        qualite = rng.uniform(1.5, 4)  # niveau général du site
        for critere in criteres:
            if rng.random() < 0.1:
                continue  # critère non évalué
            note = qualite + rng.gauss(0, 1)
            if critere in ("sobriete_fonciere", "impact_environnemental"):
                note += {"friche": 1.5, "densification": 0.5, "extension": -1.5}[type_foncier]
            if critere == "maitrise_fonciere":
                note += {"publique": 1.5, "privee": 0, "a_securiser": -2}[maitrise]
            site[f"score_{critere}"] = min(5, max(0, round(note)))
        sites.append(site)
    return sites


# --- Écriture du classeur ----------------------------------------------------------------------

LISEZ_MOI = [
    "Données de démonstration — Rebond industriel",
    "",
    "Ce classeur est un jeu de démonstration au format du classeur de relève (feuilles releves, "
    "territoires, projets, sites).",
    "Réels : les territoires lauréats, les relèves, les régions et les EPCI (sources publiques, "
    "référentiel INSEE COG 2026, DGCL EPCI 2026, via Etalab — Licence Ouverte).",
    "Fictifs : les projets, les entreprises, les SIREN, les sites et leurs notes, ainsi que les dates, "
    "coûts de mission, enveloppes et nombres d'industriels rencontrés non publiés.",
    "Calibrage : pour chaque territoire, le nombre de projets, l'investissement, les emplois potentiels, "
    "le nombre de projets retenus et les aides accordées égalent les chiffres publiés quand ils existent.",
    "Les relèves marquées comme incertaines dans les sources sont des hypothèses : {incertains}.",
    "Généré par data/demo/generer_demo.py (graine {graine}).",
]


def ecrire_feuille(classeur, nom: str, colonnes: list[str], lignes: list[dict], formats: dict) -> None:
    feuille = classeur.add_worksheet(nom)
    for j, colonne in enumerate(colonnes):
        feuille.write_string(0, j, colonne, formats["entete"])
        feuille.set_column(j, j, max(12, len(colonne) + 2))
    for i, ligne in enumerate(lignes, start=1):
        for j, colonne in enumerate(colonnes):
            valeur = ligne.get(colonne)
            if valeur is None:
                continue
            if isinstance(valeur, date):
                feuille.write_datetime(i, j, datetime(valeur.year, valeur.month, valeur.day), formats["date"])
            elif isinstance(valeur, (int, float)):
                format_ = formats["montant"] if colonne.endswith("_eur") else None
                feuille.write_number(i, j, valeur, format_)
            else:
                feuille.write_string(i, j, valeur)  # codes INSEE et SIREN restent du texte
    feuille.freeze_panes(1, 0)


def ecrire_classeur(chemin: Path, feuilles: dict[str, tuple[list[str], list[dict]]], lisez_moi: list[str]) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    classeur = xlsxwriter.Workbook(str(chemin), {"constant_memory": False})
    classeur.set_properties(
        {"title": "Rebond industriel — données de démonstration", "author": "Rebond", "created": datetime(2026, 1, 1)}
    )
    formats = {
        "entete": classeur.add_format({"bold": True}),
        "date": classeur.add_format({"num_format": "dd/mm/yyyy"}),
        "montant": classeur.add_format({"num_format": "#,##0"}),
    }
    for nom, (colonnes, lignes) in feuilles.items():
        ecrire_feuille(classeur, nom, colonnes, lignes, formats)
    feuille = classeur.add_worksheet("lisez-moi")
    feuille.set_column(0, 0, 120)
    for i, texte in enumerate(lisez_moi):
        feuille.write_string(i, 0, texte, formats["entete"] if i == 0 else None)
    classeur.close()


def generer(chemin_sortie: Path, racine: Path) -> None:
    """Écrit le classeur de démonstration à partir des fichiers de `racine`/data."""
    donnees = charger(racine)
    rng = random.Random(GRAINE)
    releves = [
        {"numero": numero, "date_limite": en_date(r["date_limite"]), "date_annonce": en_date(r["date_annonce"])}
        for numero, r in donnees["releves"].items()
    ]
    territoires, projets, sites = [], [], []
    for laureat in donnees["laureats"]:
        territoire = completer_territoire(rng, laureat, donnees["releves"][int(laureat["releve"])])
        communes = [c for siren in laureat["epci"].split(";") for c in donnees["communes_par_epci"][siren]]
        territoires.append(territoire)
        projets += generer_projets(rng, territoire, laureat, communes)
        sites += generer_sites(rng, territoire, communes, donnees["criteres"])

    non_evalue = rng.choice(sites)  # au moins un site sans aucune note
    for critere in donnees["criteres"]:
        non_evalue.pop(f"score_{critere}", None)

    incertains = [
        f"{ligne['code_territoire']} (relève {ligne['releve']})"
        for ligne in donnees["laureats"]
        if ligne["releve_certain"] != "oui"
    ]
    lisez_moi = [ligne.format(incertains=", ".join(incertains), graine=GRAINE) for ligne in LISEZ_MOI]
    colonnes_sites = COLONNES["sites"] + [f"score_{c}" for c in donnees["criteres"]]
    ecrire_classeur(
        chemin_sortie,
        {
            "releves": (COLONNES["releves"], releves),
            "territoires": (COLONNES["territoires"], territoires),
            "projets": (COLONNES["projets"], projets),
            "sites": (colonnes_sites, sites),
        },
        lisez_moi,
    )
    afficher_totaux(territoires, projets)


def afficher_totaux(territoires: list[dict], projets: list[dict]) -> None:
    print(
        f"{'territoire':<22}{'projets':>8}{'invest. M€':>12}{'emplois':>9}{'accordés':>9}"
        f"{'aides €':>12}{'plafond €':>12}"
    )
    for t in territoires:
        siens = [p for p in projets if p["code_territoire"] == t["code_territoire"]]
        accordes = [p for p in siens if p["statut"] == "accorde"]
        aides = sum(p["subvention_eur"] + p["avance_remboursable_eur"] for p in accordes)
        plafond = t["enveloppe_aides_eur"] + (t["cofinancement_local_eur"] or 0)
        print(
            f"{t['code_territoire']:<22}{len(siens):>8}"
            f"{sum(p['investissement_eur'] for p in siens) / 1e6:>12.3f}"
            f"{sum(p['emplois_prevus'] for p in siens):>9}{len(accordes):>9}{aides:>12}{plafond:>12}"
        )


def main() -> None:
    sortie = Path(sys.argv[1]) if len(sys.argv) > 1 else SORTIE_PAR_DEFAUT
    generer(sortie, RACINE)
    print(f"Classeur écrit : {sortie}")


if __name__ == "__main__":
    main()
