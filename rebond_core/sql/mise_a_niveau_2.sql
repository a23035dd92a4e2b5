-- Bringing a base made before contract 2 (schema 1) to schema 2, in one transaction (db.mettre_a_niveau).
-- `projets` is rebuilt rather than altered so that an upgraded base has exactly the shape of a new one
-- (date_statut before v_from); its rows and their versions are copied unchanged, date_statut missing.
create table projets_schema_2 (
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
    date_statut date,
    v_from integer not null,
    v_to integer
);
insert into projets_schema_2
    select
        id_projet, code_territoire, intitule, entreprise, siren, commune, filiere, origine, statut,
        investissement_eur, emplois_prevus, emplois_crees, aide_demandee_eur, subvention_eur,
        avance_remboursable_eur, date_decision, innovant, transition_ecologique, null, v_from, v_to
    from projets;
drop index if exists projets_cle;
drop table projets;
alter table projets_schema_2 rename to projets;
create index projets_cle on projets (id_projet);

create table versements (
    id_versement varchar not null,
    id_projet varchar not null,
    date date not null,
    nature varchar not null,
    montant_eur decimal(18, 2) not null,
    v_from integer not null,
    v_to integer
);
create index versements_cle on versements (id_versement);
create or replace macro projets_a(v) as table
    select * exclude (v_from, v_to) from projets where v_from <= v and (v_to is null or v_to > v);
create macro versements_a(v) as table
    select * exclude (v_from, v_to) from versements where v_from <= v and (v_to is null or v_to > v);

insert or replace into meta values ('version_schema', '2');
