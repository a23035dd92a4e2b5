select
    (select count(*) from t) as territoires_nombre,
    (select count(*) from p) as projets_total,
    (select coalesce(sum(emplois_prevus) filter (where statut not in ('refuse', 'abandonne')), 0) from p)
        as emplois_potentiels,
    (select coalesce(sum(emplois_prevus) filter (where statut = 'accorde'), 0) from p) as emplois_soutenus,
    (select coalesce(sum(coalesce(emplois_crees, 0)), 0) from p) as emplois_crees,
    (select coalesce(sum(investissement_eur) filter (where statut not in ('refuse', 'abandonne')), 0) from p)
        as investissement_potentiel,
    (select coalesce(sum(investissement_eur) filter (where statut = 'accorde'), 0) from p)
        as investissement_soutenu,
    (select coalesce(sum(cout_mission_eur), 0) from t) as ingenierie_engage,
    (select coalesce(sum(enveloppe_aides_eur), 0) from t) as aides_alloue,
    (select coalesce(sum(subvention_eur) filter (where statut = 'accorde'), 0) from p) as aides_subventions,
    (select coalesce(sum(avance_remboursable_eur) filter (where statut = 'accorde'), 0) from p) as aides_avances,
    (select coalesce(sum(coalesce(aide_demandee_eur, 0)) filter (where statut in ('priorise', 'depose')), 0)
        from p) as aides_demandes_en_cours,
    (select engage_eur from aides_base) as aides_engage_base
