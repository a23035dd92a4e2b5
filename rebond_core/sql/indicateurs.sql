-- Everything the indicators need, in one pass over the scope: the projects of P summed per
-- (statut, filière) — at most 42 rows —, the territories of T summed, and the aid engaged on the
-- whole base. The registry (indicateurs.py) derives each indicator from these sums.
select
    'projets' as bloc,
    statut,
    filiere,
    count(*) as nombre,
    sum(investissement_eur) as investissement_eur,
    sum(emplois_prevus) as emplois_prevus,
    sum(coalesce(emplois_crees, 0)) as emplois_crees,
    sum(subvention_eur) as subventions_eur,
    sum(avance_remboursable_eur) as avances_eur,
    sum(coalesce(aide_demandee_eur, 0)) as aide_demandee_eur
from p
group by statut, filiere
union all
select 'territoires', null, null, count(*), null, null, null, sum(cout_mission_eur), sum(enveloppe_aides_eur), null
from t
union all
select 'base', null, null, null, null, null, null, engage_eur, null, null
from aides_base
