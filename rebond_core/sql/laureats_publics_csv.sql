-- The rows of data/laureats-publics.csv ($chemin) in the shape of ref_laureats_publics: every column read as
-- text, an empty cell missing, lists split on ';', `releve_certain` true for 'oui'.
select
    trim(code_territoire) as code_territoire,
    trim(nom) as nom,
    nullif(trim(releve), '')::integer as releve,
    nullif(trim(region), '') as region,
    list_transform(string_split(nullif(trim(epci), ''), ';'), lambda x: trim(x)) as epci,
    list_transform(string_split(nullif(trim(filieres), ''), ';'), lambda x: trim(x)) as filieres,
    nullif(trim(date_debut_mission), '')::date as date_debut_mission,
    nullif(trim(date_fin_mission), '')::date as date_fin_mission,
    nullif(trim(cabinet), '') as cabinet,
    nullif(trim(cout_mission_eur), '')::decimal(18, 2) as cout_mission_eur,
    nullif(trim(enveloppe_aides_eur), '')::decimal(18, 2) as enveloppe_aides_eur,
    nullif(trim(cofinancement_local_eur), '')::decimal(18, 2) as cofinancement_local_eur,
    nullif(trim(industriels_rencontres), '')::integer as industriels_rencontres,
    nullif(trim(projets_identifies), '')::integer as projets_identifies,
    nullif(trim(investissement_identifie_eur), '')::decimal(18, 2) as investissement_identifie_eur,
    nullif(trim(emplois_potentiels), '')::integer as emplois_potentiels,
    nullif(trim(projets_retenus), '')::integer as projets_retenus,
    nullif(trim(aides_accordees_eur), '')::decimal(18, 2) as aides_accordees_eur,
    coalesce(lower(trim(releve_certain)) = 'oui', false) as releve_certain,
    nullif(trim(notes), '') as notes,
    nullif(trim(sources), '') as sources
from read_csv($chemin, header = true, all_varchar = true, quote = '"')
