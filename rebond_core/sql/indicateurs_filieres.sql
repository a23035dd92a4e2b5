select
    filiere,
    count(*) as nombre,
    coalesce(sum(investissement_eur), 0) as investissement_eur,
    coalesce(sum(emplois_prevus), 0) as emplois_prevus
from p
where statut not in ('refuse', 'abandonne')
group by filiere
