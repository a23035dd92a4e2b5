-- One row per territory of T with its key figures (projects of P only; `actif`, `accorde`, `aide_eur` and
-- `verse_eur` are the domain rules and payments as of the reference date of sql/perimetre.sql). Detected:
-- every project whatever its status, the figures comparable to the published mission results.
select
    t.code_territoire,
    t.nom,
    t.releve,
    t.region,
    r.nom as region_nom,
    t.statut_mission,
    t.cabinet,
    t.date_debut_mission,
    t.date_fin_mission,
    t.epci,
    t.filieres,
    t.cout_mission_eur,
    t.enveloppe_aides_eur,
    coalesce(t.cofinancement_local_eur, 0) as cofinancement_local_eur,
    t.industriels_rencontres,
    count(p.id_projet) as projets,
    count(p.id_projet) filter (where p.accorde) as projets_accordes,
    coalesce(sum(p.investissement_eur), 0) as investissement_detecte_eur,
    coalesce(sum(p.emplois_prevus), 0) as emplois_detectes,
    coalesce(sum(p.investissement_eur) filter (where p.actif), 0) as investissement_potentiel_eur,
    coalesce(sum(p.investissement_eur) filter (where p.accorde), 0) as investissement_soutenu_eur,
    coalesce(sum(p.emplois_prevus) filter (where p.actif), 0) as emplois_potentiels,
    coalesce(sum(p.emplois_prevus) filter (where p.accorde), 0) as emplois_soutenus,
    coalesce(sum(p.aide_eur) filter (where p.accorde), 0) as aides_engagees_eur,
    coalesce(sum(p.verse_eur), 0) as verse_eur
from t
left join p using (code_territoire)
left join ref_regions as r on r.code_region = t.region
group by all
order by t.releve, t.nom
