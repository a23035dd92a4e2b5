-- The candidates of the arbitration (spec arbitrage.md): the projects of P awaiting a decision
-- ($statuts_candidats: priorisé, déposé) whose aid requested is above 0, in id order, with their amounts
-- in whole cents (exact integers for the solver's checks). `p.*` carries `date_statut` when the base has
-- it (contract 2); the first-come rule reads it from there.
select
    p.*,
    cast(p.aide_demandee_eur * 100 as bigint) as aide_centimes,
    cast(p.investissement_eur * 100 as bigint) as investissement_centimes
from p
where list_contains($statuts_candidats::varchar[], p.statut)
  and p.aide_demandee_eur > 0
order by p.id_projet
