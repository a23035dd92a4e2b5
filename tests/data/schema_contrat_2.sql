-- Frozen copy of rebond_core/sql/schema.sql at schema 2 (commit 151856e: contract 2, before the habilitations
-- of schema 3): what tests/outils/bases.base_schema_2 builds an old base from. Never edit.
-- Rebond database schema. Versioned tables keep every state: a row is valid from version v_from
-- (included) to version v_to (excluded; null = still current). Version 0 is the initial calendar.
create table meta (
    cle varchar primary key,
    valeur varchar not null
);

create table ref_regions (
    code_region varchar primary key,
    nom varchar not null,
    zone varchar not null
);

create table ref_departements (
    code_departement varchar primary key,
    nom varchar not null,
    code_region varchar not null,
    zone varchar not null
);

create table ref_epci (
    siren_epci varchar primary key,
    nom varchar not null,
    type varchar not null,
    mode_financement varchar,
    population_totale integer,
    population_municipale integer,
    nb_communes integer
);

create table ref_communes (
    code_insee varchar primary key,
    nom varchar not null,
    type varchar not null,
    code_departement varchar,
    code_region varchar,
    siren_epci varchar,
    population integer
);

create table versions (
    numero integer primary key,
    date timestamp not null,
    auteur varchar not null,
    fichiers varchar not null,   -- JSON list of {nom, sha256}
    comptes varchar not null,    -- JSON {table: {ajoutees, modifiees}}
    restaure integer
);

create table releves (
    numero integer not null,
    date_limite date not null,
    date_annonce date,
    v_from integer not null,
    v_to integer
);

create table territoires (
    code_territoire varchar not null,
    nom varchar not null,
    releve integer not null,
    region varchar not null,
    epci varchar[] not null,
    filieres varchar[] not null,
    statut_mission varchar not null,
    date_debut_mission date,
    date_fin_mission date,
    cabinet varchar,
    cout_mission_eur decimal(18, 2) not null,
    enveloppe_aides_eur decimal(18, 2) not null,
    cofinancement_local_eur decimal(18, 2),
    industriels_rencontres integer,
    v_from integer not null,
    v_to integer
);

create table projets (
    id_projet varchar not null,
    code_territoire varchar not null,
    intitule varchar not null,
    entreprise varchar not null,
    siren varchar,
    commune varchar,
    filiere varchar not null,
    origine varchar not null,
    statut varchar not null,
    investissement_eur decimal(18, 2) not null,
    emplois_prevus integer not null,
    emplois_crees integer,
    aide_demandee_eur decimal(18, 2),
    subvention_eur decimal(18, 2) not null,
    avance_remboursable_eur decimal(18, 2) not null,
    date_decision date,
    innovant boolean not null,
    transition_ecologique boolean not null,
    date_statut date,            -- contract 2: date the project reached its current statut
    v_from integer not null,
    v_to integer
);

create table sites (
    id_site varchar not null,
    code_territoire varchar not null,
    nom varchar not null,
    commune varchar,
    surface_ha decimal(12, 4) not null,
    type_foncier varchar not null,
    maitrise_fonciere varchar not null,
    disponibilite integer,
    scores varchar not null,     -- JSON {critere: score}, assessed criteria only
    v_from integer not null,
    v_to integer
);

-- Contract 2: payments of grants and repayable advances, and repayments of advances (domaine.NATURES_VERSEMENT).
create table versements (
    id_versement varchar not null,
    id_projet varchar not null,
    date date not null,
    nature varchar not null,
    montant_eur decimal(18, 2) not null,
    v_from integer not null,
    v_to integer
);

create index projets_cle on projets (id_projet);
create index territoires_cle on territoires (code_territoire);
create index versements_cle on versements (id_versement);

-- The state of a table as of version v.
create macro releves_a(v) as table
    select * exclude (v_from, v_to) from releves where v_from <= v and (v_to is null or v_to > v);
create macro territoires_a(v) as table
    select * exclude (v_from, v_to) from territoires where v_from <= v and (v_to is null or v_to > v);
create macro projets_a(v) as table
    select * exclude (v_from, v_to) from projets where v_from <= v and (v_to is null or v_to > v);
create macro sites_a(v) as table
    select * exclude (v_from, v_to) from sites where v_from <= v and (v_to is null or v_to > v);
create macro versements_a(v) as table
    select * exclude (v_from, v_to) from versements where v_from <= v and (v_to is null or v_to > v);

-- The shape of this schema (db.VERSION_SCHEMA); an older base is brought to it when opened (db.mettre_a_niveau).
insert into meta values ('version_schema', '2');
