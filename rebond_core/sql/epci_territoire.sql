-- The EPCI of one territory (as of $version) with their referential name, type and population.
select e.siren_epci, e.nom, e.type, e.population_municipale, e.nb_communes
from territoires_a($version) as t, unnest(t.epci) as u(siren)
join ref_epci as e on e.siren_epci = u.siren
where t.code_territoire = $code
order by e.nom
