"""Génère le classeur de démonstration de Rebond (data/demo/releve-demo.xlsx).

Le classeur suit exactement le contrat d'import 2 (/work/shared/spec/classeur-releve.md) : feuilles
`releves`, `territoires`, `projets` (avec `date_statut`), `sites`, `versements`, plus une feuille `lisez-moi`.

- Réels : territoires, relèves, régions et EPCI (data/laureats-publics.csv, data/releves.csv, data/ref/) et les
  chiffres publiés des missions.
- Hypothèses : ce que laureats-publics.csv marque comme tel (relève incertaine, filière, répartition de
  l'enveloppe de Cambrai, enveloppe de Grand Châtellerault déduite des aides publiées).
- Fictifs : projets, entreprises, SIREN, sites, dates de statut, versements et remboursements, et ce que les
  sources ne publient pas (dates de mission, coûts, enveloppes, industriels rencontrés), tirés avec une graine
  fixe. Les totaux de chaque territoire, tous statuts confondus (ce que la mission a détecté), égalent ses
  chiffres publiés ; là où un seul des deux chiffres investissement / emplois est publié, l'autre en est déduit
  avec un investissement par emploi pris dans la fourchette des territoires qui publient les deux.

Chaque territoire tire ses valeurs dans ses propres flux aléatoires (graine, code, usage) : changer un
territoire, ou la façon de tirer les projets, ne déplace ni les autres territoires ni les sites (seuls les SIREN,
tirés sur tout le classeur pour rester distincts, changent avec le nombre de projets).

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

RACINE = Path(__file__).resolve().parents[2]
if str(RACINE) not in sys.path:  # lancé comme script depuis la racine : rebond_core n'est pas installé
    sys.path.insert(0, str(RACINE))

from rebond_core.domaine import PREFIXE_SIREN_DEMO, est_siren_demo  # noqa: E402
from rebond_core.referentiel import LIBELLES_CHAMPS, hypotheses_des_notes  # noqa: E402

GRAINE = 2030
# Les données fictives sont « arrêtées » à cette date : aucune décision, aucun statut, aucun versement après.
DATE_DES_DONNEES = date(2026, 11, 13)
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
        "date_statut",
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
    "versements": ["id_versement", "id_projet", "date", "nature", "montant_eur"],
}

# Ce que veut dire « projets retenus » dans data/laureats-publics.csv : choisis par le COPIL (priorisés),
# pas accordés. Cambrai : 17 projets « orientés vers » l'enveloppe ; Dreux : « liste finale de 14 validée en
# février 2024 » ; Chaumont – Grand Langres : « 7 projets industriels soutenus », annoncés à la fin de la
# mission sans montant d'aide (lus comme la liste retenue, non comme des aides accordées). Aucun autre projet de
# ces territoires n'a été envoyé vers l'enveloppe : les autres restent identifiés ou abandonnés, aucun n'est
# déposé, accordé ou refusé.
STATUT_DES_RETENUS = "priorise"
STATUTS_HORS_LISTE_RETENUE = {"identifie": 75, "abandonne": 25}
# Emplois minimaux des projets retenus, quand la source le dit (Cambrai : « plus de 300 emplois » dans les 17).
EMPLOIS_RETENUS_AU_MOINS = {"cambrai": 300}
# Ailleurs, les statuts sont tirés avec ces poids, et 10 à 20 % des projets sont accordés.
STATUTS_NON_ACCORDES = {"identifie": 30, "priorise": 20, "depose": 15, "refuse": 10, "abandonne": 15}
# Un projet priorisé ou déposé hors liste retenue l'est depuis 20 mois au plus (environ 40 % depuis plus d'un an).
ATTENTE_LA_PLUS_LONGUE = DATE_DES_DONNEES - timedelta(days=600)
# Quand un projet a atteint son statut (date_statut), selon les dates de la mission (début, fin) ; un projet
# accordé ou refusé l'a atteint le jour de la décision, une liste retenue le jour de son COPIL.
PERIODE_DU_STATUT = {
    "identifie": lambda debut, fin: (debut, fin),
    "priorise": lambda debut, fin: (max(fin, ATTENTE_LA_PLUS_LONGUE), DATE_DES_DONNEES - timedelta(days=20)),
    "depose": lambda debut, fin: (
        max(fin + timedelta(days=60), ATTENTE_LA_PLUS_LONGUE),
        DATE_DES_DONNEES - timedelta(days=10),
    ),
    "abandonne": lambda debut, fin: (fin, DATE_DES_DONNEES),
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


def fourchette_investissement_par_emploi(laureats: list[dict]) -> tuple[float, float]:
    """Investissement par emploi (€) le plus bas et le plus haut des territoires qui publient les deux chiffres.

    Avec les sources actuelles : Lorient 224 M€ / 739 = 303 112 € et Cambrai 286 M€ / 645 = 443 411 € (Douaisis
    186 M€ / 556 = 334 532 €, Morlaix 110 M€ / 300 = 366 667 € entre les deux)."""
    ratios = [
        int(ligne["investissement_identifie_eur"]) / int(ligne["emplois_potentiels"])
        for ligne in laureats
        if ligne["investissement_identifie_eur"] and ligne["emplois_potentiels"]
    ]
    return min(ratios), max(ratios)


# --- Petits outils de tirage -------------------------------------------------------------------


def flux(*etiquettes: object) -> random.Random:
    """Un flux aléatoire propre à un usage (graine fixe + étiquettes) : stable quoi que tirent les autres."""
    return random.Random(":".join(str(e) for e in (GRAINE, *etiquettes)))


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


def cle_de_luhn(debut: str) -> str:
    """Le chiffre qui, ajouté à `debut`, donne un numéro valide pour la formule de Luhn (clé des SIREN)."""
    somme = 0
    for i, chiffre in enumerate(reversed(debut)):  # la clé sera en position 0 : on double les positions 1, 3…
        double = int(chiffre) * 2 if i % 2 == 0 else int(chiffre)
        somme += double - 9 if double > 9 else double
    return str((10 - somme % 10) % 10)


def sirens_demo(nombre: int) -> list[str]:
    """`nombre` SIREN distincts de la plage de démonstration (domaine.est_siren_demo), clé de Luhn comprise."""
    places = 10 ** (8 - len(PREFIXE_SIREN_DEMO))
    assert nombre < places, "plage de SIREN de démonstration trop petite"
    numeros = flux("siren").sample(range(1, places), nombre)  # 0 exclu : 000000000 sert de « SIREN inconnu »
    sirens = [f"{PREFIXE_SIREN_DEMO}{n:0{8 - len(PREFIXE_SIREN_DEMO)}d}" for n in numeros]
    sirens = [s + cle_de_luhn(s) for s in sirens]
    assert all(est_siren_demo(s) for s in sirens)
    return sirens


def jour_ouvre(jour: date) -> date:
    """Le jour lui-même, ou le lundi suivant s'il tombe un week-end."""
    return jour + timedelta(days=7 - jour.weekday()) if jour.weekday() >= 5 else jour


def date_entre(rng: random.Random, debut: date, fin: date) -> date:
    """Un jour ouvré entre `debut` et `fin` (le lundi suivant un week-end, ou le vendredi précédent si ce lundi
    dépasse `fin`)."""
    jour = debut + timedelta(days=rng.randint(0, max(0, (fin - debut).days)))
    if jour.weekday() >= 5:
        lundi = jour_ouvre(jour)
        jour = lundi if lundi <= fin else jour - timedelta(days=jour.weekday() - 4)
    return max(debut, jour)


def de(nom: str) -> str:
    """« de Douai », « d'Alès », « du Cateau-Cambrésis », « des Andelys »."""
    for article, contraction in (("Le ", "du "), ("Les ", "des ")):
        if nom.startswith(article):
            return contraction + nom[len(article) :]
    return ("d'" if nom[0] in "AEIOUYÉÈÊÎÔHaeiouyéh" else "de ") + nom


def commune_au_hasard(rng: random.Random, communes: list[dict]) -> dict:
    poids = [math.sqrt(int(c["population"] or 100)) for c in communes]
    return rng.choices(communes, weights=poids)[0]


def centaines(montant: float) -> int:
    """Un montant arrondi à la centaine d'euros."""
    return int(round(montant, -2))


# --- Territoires -------------------------------------------------------------------------------


def completer_territoire(laureat: dict, releve: dict) -> tuple[dict, list[str]]:
    """Reprend les valeurs publiées et complète les manques de façon plausible ; rend aussi la liste des
    colonnes complétées (fictives)."""
    rng = flux(laureat["code_territoire"], "territoire")
    completees = []
    debut = en_date(laureat["date_debut_mission"])
    if debut is None:  # après l'annonce (ou la date limite) de la relève
        reference = en_date(releve["date_annonce"]) or en_date(releve["date_limite"]) + timedelta(days=75)
        debut = date_entre(rng, reference + timedelta(days=20), reference + timedelta(days=90))
        completees.append("date_debut_mission")
    fin = en_date(laureat["date_fin_mission"])
    if fin is None:
        fin = debut + timedelta(days=rng.randint(90, 120))
        completees.append("date_fin_mission")
    valeurs = {}
    for colonne, tirage in (
        ("cout_mission_eur", lambda: rng.randint(30, 45) * 5_000),
        ("enveloppe_aides_eur", lambda: rng.randint(3, 11) * 500_000),
        ("industriels_rencontres", lambda: rng.randint(35, 70)),
    ):
        valeurs[colonne] = en_entier(laureat[colonne])
        if valeurs[colonne] is None:
            valeurs[colonne] = tirage()
            completees.append(colonne)
    territoire = {
        "code_territoire": laureat["code_territoire"],
        "nom": laureat["nom"],
        "releve": int(laureat["releve"]),
        "region": laureat["region"],
        "epci": laureat["epci"],
        "filieres": laureat["filieres"],
        "statut_mission": "terminee" if fin < DATE_DES_DONNEES else "en_cours",
        "date_debut_mission": debut,
        "date_fin_mission": fin,
        "cabinet": laureat["cabinet"] or None,  # non publié : laissé vide plutôt qu'inventé
        **valeurs,
        "cofinancement_local_eur": en_entier(laureat["cofinancement_local_eur"]),
    }
    return territoire, completees


# --- Projets : montants et emplois -------------------------------------------------------------


def montants(
    rng: random.Random, laureat: dict, n: int, fourchette: tuple[float, float]
) -> tuple[list[int], int, list[str]]:
    """Les investissements des `n` projets (multiples de 1 000 €) et le total de leurs emplois prévus, tous
    statuts confondus : les chiffres publiés quand ils existent ; sinon l'un est déduit de l'autre (ou de
    tirages) avec un investissement par emploi pris dans la fourchette publiée, loin de ses bords. Rend aussi
    les chiffres ainsi déduits (fictifs)."""
    bas, haut = fourchette
    par_emploi = rng.uniform(bas + (haut - bas) / 10, haut - (haut - bas) / 10)
    bruts = [min(15e6, max(0.2e6, rng.lognormvariate(math.log(1.5e6), 1.0))) for _ in range(n)]
    investissement = en_entier(laureat["investissement_identifie_eur"])
    emplois = en_entier(laureat["emplois_potentiels"])
    deduits = []
    if investissement is None:
        if emplois is not None:
            investissement = int(round(emplois * par_emploi, -3))
        else:
            investissement = sum(int(round(x, -3)) for x in bruts)
        deduits.append("investissement")
    if emplois is None:
        emplois = round(investissement / par_emploi)
        deduits.append("emplois")
    return repartir(investissement, bruts, 1_000), emplois, deduits


def repartir_emplois(
    rng: random.Random, investissements: list[int], total: int, retenus: set[int], au_moins_retenus: int | None
) -> list[int]:
    """Les emplois prévus de chaque projet, à peu près au prorata de l'investissement, total exact ; quand la
    source donne un minimum pour les projets retenus, ceux-ci en reçoivent un peu plus."""
    poids = [x * rng.lognormvariate(0, 0.5) for x in investissements]
    if au_moins_retenus is None:
        return repartir(total, poids)
    dans = sorted(retenus)
    hors = [i for i in range(len(investissements)) if i not in retenus]
    part_retenus = rng.randint(au_moins_retenus + 10, au_moins_retenus + 45)
    emplois = [0] * len(investissements)
    for groupe, total_groupe in ((dans, part_retenus), (hors, total - part_retenus)):
        for i, valeur in zip(groupe, repartir(total_groupe, [poids[i] for i in groupe]), strict=True):
            emplois[i] = valeur
    return emplois


def choisir(rng: random.Random, investissements: list[int], nombre: int) -> set[int]:
    """`nombre` projets tirés sans remise, de préférence parmi les plus gros."""
    restants = list(range(len(investissements)))
    choisis = set()
    for _ in range(nombre):
        i = rng.choices(restants, weights=[math.sqrt(investissements[j]) for j in restants])[0]
        restants.remove(i)
        choisis.add(i)
    return choisis


# --- Projets -----------------------------------------------------------------------------------


def generer_projets(
    territoire: dict, laureat: dict, communes: list[dict], fourchette: tuple[float, float]
) -> tuple[list[dict], list[str]]:
    """Les projets fictifs d'un territoire (sans SIREN : ils sont attribués à la fin, sur tout le classeur) et
    la liste des chiffres de totaux déduits plutôt que publiés."""
    code = territoire["code_territoire"]
    rng = flux(code, "projets")
    n = en_entier(laureat["projets_identifies"]) or rng.randint(40, 120)
    investissements, total_emplois, deduits = montants(rng, laureat, n, fourchette)
    nb_retenus = en_entier(laureat["projets_retenus"])
    if nb_retenus is not None:  # liste retenue publiée : ces projets sont priorisés, aucun autre n'est parti
        choisis = choisir(rng, investissements, nb_retenus)
        autres = STATUTS_HORS_LISTE_RETENUE
        statut_choisis = STATUT_DES_RETENUS
    else:
        choisis = choisir(rng, investissements, max(1, round(n * rng.uniform(0.10, 0.20))))
        autres = STATUTS_NON_ACCORDES
        statut_choisis = "accorde"
    statuts = [
        statut_choisis if i in choisis else rng.choices(list(autres), list(autres.values()))[0] for i in range(n)
    ]
    prevus = repartir_emplois(rng, investissements, total_emplois, choisis, EMPLOIS_RETENUS_AU_MOINS.get(code))

    plafond = territoire["enveloppe_aides_eur"] + (territoire["cofinancement_local_eur"] or 0)
    accordes = [i for i, s in enumerate(statuts) if s == "accorde"]
    aides_publiees = en_entier(laureat["aides_accordees_eur"])
    aides: dict[int, int] = {}
    if accordes:  # l'aide publiée, sinon 55 à 95 % de l'enveloppe, au prorata de l'investissement
        total_aides = aides_publiees or int(round(territoire["enveloppe_aides_eur"] * rng.uniform(0.55, 0.95), -3))
        assert total_aides <= plafond, code
        aides = dict(zip(accordes, repartir(total_aides, [investissements[i] for i in accordes], 1_000), strict=True))
    else:  # liste retenue publiée : rien n'est encore accordé
        assert not aides_publiees, code
    # « 5,5 M€ de subventions accordées » (Grand Châtellerault) : des subventions seulement.
    parts_subvention = [1.0] if aides_publiees else [1.0, 1.0, 0.7, 0.5, 0.3]

    debut, fin = territoire["date_debut_mission"], territoire["date_fin_mission"]
    copil = date_entre(rng, fin, fin + timedelta(days=27))  # la liste retenue, validée en un seul COPIL
    filieres = territoire["filieres"].split(";")
    projets = []
    for i in range(n):
        commune = commune_au_hasard(rng, communes)
        statut, investissement = statuts[i], investissements[i]
        projet = {
            "id_projet": f"PRJ-{code}-{i + 1:03d}",
            "code_territoire": code,
            "intitule": rng.choice(INTITULES),
            "entreprise": rng.choice(ENTREPRISES).format(de_commune=de(commune["nom"]), mot=rng.choice(MOTS)),
            "commune": commune["code_insee"],
            "filiere": rng.choice(filieres) if rng.random() < 0.8 else "hors_transport",
            "origine": "endogene" if rng.random() < 0.75 else "exogene",
            "statut": statut,
            "investissement_eur": investissement,
            "emplois_prevus": prevus[i],
            "innovant": "oui" if rng.random() < 0.35 else "non",
            "transition_ecologique": "oui" if rng.random() < 0.4 else "non",
        }
        if statut in ("accorde", "refuse"):
            projet["date_decision"] = date_entre(
                rng, fin + timedelta(days=45), min(DATE_DES_DONNEES, fin + timedelta(days=900))
            )
        if statut == "accorde":
            aide = aides[i]
            projet["subvention_eur"] = int(round(aide * rng.choice(parts_subvention), -3))
            projet["avance_remboursable_eur"] = aide - projet["subvention_eur"]
            projet["aide_demandee_eur"] = math.ceil(aide * rng.uniform(1.0, 1.5) / 1_000) * 1_000
            anciennete = (DATE_DES_DONNEES - projet["date_decision"]).days
            if anciennete > 365 and rng.random() < 0.75:
                projet["emplois_crees"] = round(prevus[i] * rng.uniform(0.3, 1.0))
            elif anciennete > 180 and rng.random() < 0.35:
                projet["emplois_crees"] = round(prevus[i] * rng.uniform(0.0, 0.5))
        elif statut == "depose" or (statut in ("priorise", "refuse", "abandonne") and rng.random() < 0.8):
            projet["aide_demandee_eur"] = int(round(investissement * rng.uniform(0.08, 0.25), -3))
        if statut in ("accorde", "refuse"):
            projet["date_statut"] = projet["date_decision"]
        elif statut == "priorise" and i in choisis:
            projet["date_statut"] = copil
        else:
            projet["date_statut"] = date_entre(rng, *PERIODE_DU_STATUT[statut](debut, fin))
        projets.append(projet)
    return projets, deduits


# --- Versements --------------------------------------------------------------------------------


def generer_versements(projet: dict) -> list[dict]:
    """Versements fictifs d'un projet accordé (règles 10 à 12 du contrat) : un acompte 30 à 120 jours après
    la décision, le solde ou un second acompte 8 à 18 mois plus tard, puis, pour l'avance, un remboursement
    trimestriel après un différé d'un à deux ans, jamais plus que ce qui a été versé à cette date. Un projet
    sur cinq n'a encore rien reçu (ce que suit « accordés sans versement »)."""
    rng = flux(projet["id_projet"], "versements")
    decision = projet["date_decision"]
    subvention, avance = projet["subvention_eur"], projet["avance_remboursable_eur"]
    if (DATE_DES_DONNEES - decision).days < 45 or rng.random() < 0.2:
        return []
    mouvements: list[dict] = []

    def payer(jour: date, nature: str, montant: int) -> None:
        if montant > 0:
            numero = len(mouvements) + 1
            mouvements.append(
                {
                    "id_versement": f"VER-{projet['id_projet'].removeprefix('PRJ-')}-{numero:02d}",
                    "id_projet": projet["id_projet"],
                    "date": jour,
                    "nature": nature,
                    "montant_eur": montant,
                }
            )

    acompte = date_entre(rng, decision + timedelta(days=30), min(DATE_DES_DONNEES, decision + timedelta(days=120)))
    part = rng.uniform(0.3, 0.5)
    verse = {"subvention": centaines(subvention * part), "avance": centaines(avance * part)}
    for nature in ("subvention", "avance"):
        payer(acompte, nature, verse[nature])
    second = jour_ouvre(acompte + timedelta(days=rng.randint(240, 540)))
    avances_versees = [(acompte, verse["avance"])]
    if second <= DATE_DES_DONNEES:
        solde = rng.random() < 0.65
        for nature, accorde in (("subvention", subvention), ("avance", avance)):
            montant = accorde - verse[nature] if solde else min(accorde - verse[nature], centaines(accorde * 0.3))
            payer(second, nature, montant)
            verse[nature] += montant
        avances_versees.append((second, verse["avance"]))
    if verse["avance"] > 0:
        echeance = max(100, centaines(avance / 16))  # quatre ans de trimestres
        jour, rembourse = jour_ouvre(acompte + timedelta(days=rng.randint(365, 730))), 0
        while jour <= DATE_DES_DONNEES:
            du = max(total for quand, total in avances_versees if quand <= jour) - rembourse
            if du <= 0:
                break
            payer(jour, "remboursement", min(echeance, du))
            rembourse += min(echeance, du)
            jour = jour_ouvre(jour + timedelta(days=91))
    return mouvements


# --- Sites -------------------------------------------------------------------------------------


def generer_sites(territoire: dict, communes: list[dict], criteres: list[str]) -> list[dict]:
    rng = flux(territoire["code_territoire"], "sites")
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


def lisez_moi(donnees: dict, completees: dict[str, list[str]], deduits: dict[str, list[str]]) -> list[str]:
    """Le texte de la feuille `lisez-moi` : ce qui est réel, ce qui est hypothèse, ce qui est fictif. Les
    hypothèses sont lues dans data/laureats-publics.csv comme les pages les lisent (referentiel)."""
    laureats = donnees["laureats"]
    bas, haut = fourchette_investissement_par_emploi(laureats)
    hypotheses = {}
    for ligne in laureats:
        champs = set(hypotheses_des_notes(ligne["notes"])) | ({"releve"} if ligne["releve_certain"] != "oui" else set())
        hypotheses[ligne["code_territoire"]] = [LIBELLES_CHAMPS[c] for c in LIBELLES_CHAMPS if c in champs]
    libelles_deduits = {"investissement": "investissement détecté", "emplois": "emplois détectés"}

    def par_territoire(valeurs: dict[str, list[str]]) -> list[str]:
        return [f"  {code} : {', '.join(liste)}" for code, liste in valeurs.items() if liste]

    return [
        "Données de démonstration — Rebond industriel",
        "",
        "Ce classeur est un jeu de démonstration au format du classeur de relève, contrat 2 (feuilles releves, "
        "territoires, projets, sites, versements). Les données fictives sont arrêtées au "
        f"{DATE_DES_DONNEES.strftime('%d/%m/%Y')}.",
        "RÉEL — les territoires lauréats, leurs EPCI, régions et relèves (sources publiques citées dans "
        "data/laureats-publics.csv ; référentiel INSEE COG 2026, DGCL EPCI 2026, via Etalab — Licence Ouverte), "
        "et les chiffres publiés des missions : projets détectés, investissement, emplois potentiels, projets "
        "retenus, industriels rencontrés, enveloppes et aides publiées.",
        "Les chiffres publiés comptent tout ce que la mission a détecté : les totaux de chaque territoire, tous "
        "statuts confondus, les égalent. « Retenus » ou « orientés vers l'enveloppe » veut dire choisis par le "
        "COPIL : ces projets sont priorisés, pas accordés (Cambrai, Dreux, Chaumont – Grand Langres), et les "
        "17 projets retenus de Cambrai portent plus de 300 emplois, comme publié.",
        "HYPOTHÈSES — valeurs publiques incertaines, marquées comme telles dans data/laureats-publics.csv "
        "(relève non confirmée, ou note de la source) :",
        *par_territoire(hypotheses),
        "FICTIF — les projets, entreprises, communes des projets, SIREN, sites et leurs notes, les dates de "
        "statut, les versements et remboursements, et les valeurs de territoire que les sources ne publient pas :",
        *par_territoire({code: [LIBELLES_CHAMPS[c] for c in colonnes] for code, colonnes in completees.items()}),
        "Quand un territoire ne publie pas l'investissement ou les emplois détectés, le chiffre manquant est fictif, "
        "déduit avec un investissement par emploi tiré dans la fourchette des territoires qui publient les deux "
        f"({nombre(bas)} € à {nombre(haut)} € par emploi) :",
        *par_territoire({code: [libelles_deduits[c] for c in chiffres] for code, chiffres in deduits.items()}),
        f"SIREN — tous les SIREN de ce classeur commencent par {PREFIXE_SIREN_DEMO} (inférieurs à 000 100 000, clé "
        "de Luhn valide) : une plage où le répertoire Sirene de l'INSEE ne compte aucune unité (son plus petit "
        "SIREN est 000 325 175) et que les organismes publics (1… et 2…) n'utilisent pas. Ce ne sont pas des "
        "entreprises réelles.",
        f"Généré par data/demo/generer_demo.py (graine {GRAINE}).",
    ]


def nombre(valeur: float) -> str:
    """Un entier à la française : 303 112."""
    return f"{round(valeur):,}".replace(",", "\u202f")


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


def ecrire_classeur(chemin: Path, feuilles: dict[str, tuple[list[str], list[dict]]], texte: list[str]) -> None:
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
    for i, ligne in enumerate(texte):
        feuille.write_string(i, 0, ligne, formats["entete"] if i == 0 else None)
    classeur.close()


def generer(chemin_sortie: Path, racine: Path) -> None:
    """Écrit le classeur de démonstration à partir des fichiers de `racine`/data."""
    donnees = charger(racine)
    fourchette = fourchette_investissement_par_emploi(donnees["laureats"])
    releves = [
        {"numero": numero, "date_limite": en_date(r["date_limite"]), "date_annonce": en_date(r["date_annonce"])}
        for numero, r in donnees["releves"].items()
    ]
    territoires, projets, sites = [], [], []
    completees, deduits = {}, {}
    for laureat in donnees["laureats"]:
        code = laureat["code_territoire"]
        territoire, completees[code] = completer_territoire(laureat, donnees["releves"][int(laureat["releve"])])
        communes = [c for siren in laureat["epci"].split(";") for c in donnees["communes_par_epci"][siren]]
        territoires.append(territoire)
        siens, deduits[code] = generer_projets(territoire, laureat, communes, fourchette)
        projets += siens
        sites += generer_sites(territoire, communes, donnees["criteres"])
    for projet, siren in zip(projets, sirens_demo(len(projets)), strict=True):
        projet["siren"] = siren
    versements = [v for p in projets if p["statut"] == "accorde" for v in generer_versements(p)]

    non_evalue = flux("site-non-evalue").choice(sites)  # au moins un site sans aucune note
    for critere in donnees["criteres"]:
        non_evalue.pop(f"score_{critere}", None)

    colonnes_sites = COLONNES["sites"] + [f"score_{c}" for c in donnees["criteres"]]
    ecrire_classeur(
        chemin_sortie,
        {
            "releves": (COLONNES["releves"], releves),
            "territoires": (COLONNES["territoires"], territoires),
            "projets": (COLONNES["projets"], projets),
            "sites": (colonnes_sites, sites),
            "versements": (COLONNES["versements"], versements),
        },
        lisez_moi(donnees, completees, deduits),
    )
    afficher_totaux(territoires, projets, versements)


def afficher_totaux(territoires: list[dict], projets: list[dict], versements: list[dict]) -> None:
    print(
        f"{'territoire':<22}{'projets':>8}{'invest. M€':>11}{'emplois':>8}{'k€/empl.':>9}{'prior.':>7}"
        f"{'accord.':>8}{'aides €':>10}{'plafond €':>11}{'versé €':>10}{'remb. €':>9}"
    )
    for t in territoires:
        siens = [p for p in projets if p["code_territoire"] == t["code_territoire"]]
        ids = {p["id_projet"] for p in siens}
        accordes = [p for p in siens if p["statut"] == "accorde"]
        investissement = sum(p["investissement_eur"] for p in siens)
        emplois = sum(p["emplois_prevus"] for p in siens)
        mouvements = [v for v in versements if v["id_projet"] in ids]
        print(
            f"{t['code_territoire']:<22}{len(siens):>8}{investissement / 1e6:>11.1f}{emplois:>8}"
            f"{investissement / emplois / 1e3:>9.0f}{sum(p['statut'] == 'priorise' for p in siens):>7}"
            f"{len(accordes):>8}{sum(p['subvention_eur'] + p['avance_remboursable_eur'] for p in accordes):>10}"
            f"{t['enveloppe_aides_eur'] + (t['cofinancement_local_eur'] or 0):>11}"
            f"{sum(v['montant_eur'] for v in mouvements if v['nature'] != 'remboursement'):>10}"
            f"{sum(v['montant_eur'] for v in mouvements if v['nature'] == 'remboursement'):>9}"
        )


def main() -> None:
    sortie = Path(sys.argv[1]) if len(sys.argv) > 1 else SORTIE_PAR_DEFAUT
    generer(sortie, RACINE)
    print(f"Classeur écrit : {sortie}")


if __name__ == "__main__":
    main()
