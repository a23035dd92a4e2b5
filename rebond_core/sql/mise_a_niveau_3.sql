-- Bringing a base of schema 2 to schema 3, in one transaction (db.mettre_a_niveau): the habilitations
-- (spec/acces.md), not versioned, exactly as in schema.sql. No data row changes; the list starts empty.
create table habilitations (
    email varchar primary key,   -- lower case
    role varchar not null check (role in ('cabinet', 'copil', 'donnees', 'admin')),
    regions varchar[] not null,  -- INSEE region codes (ref_regions)
    territoires varchar[] not null,
    expire_le date,              -- valid through that day, void from the next
    importe_le timestamp not null,
    importe_par varchar not null
);

insert or replace into meta values ('version_schema', '3');
