-- The laureate territories found in public sources (data/laureats-publics.csv), with their published
-- mission results, whether their relève is confirmed, and the notes that say which values are hypotheses.
-- A reference table: loaded when a base is created (or, for an older base, the first time it is opened for
-- writing), never versioned, never changed by an import.
create table if not exists ref_laureats_publics (
    code_territoire varchar primary key,
    nom varchar not null,
    releve integer,
    region varchar,
    epci varchar[],
    filieres varchar[],
    date_debut_mission date,
    date_fin_mission date,
    cabinet varchar,
    cout_mission_eur decimal(18, 2),
    enveloppe_aides_eur decimal(18, 2),
    cofinancement_local_eur decimal(18, 2),
    industriels_rencontres integer,
    projets_identifies integer,
    investissement_identifie_eur decimal(18, 2),
    emplois_potentiels integer,
    projets_retenus integer,
    aides_accordees_eur decimal(18, 2),
    releve_certain boolean not null,
    notes varchar,
    sources varchar
);
