-- The territories of T with what their aid ceiling leaves (spec arbitrage.md): the envelope
-- `enveloppe_aides_eur` and the aid engaged on all the territory's granted projects (grant + advance),
-- whatever the filière filter (a filière's projects share their territory's envelope), in whole cents.
select
    t.code_territoire,
    t.nom,
    cast(t.enveloppe_aides_eur * 100 as bigint) as enveloppe_centimes,
    cast(coalesce(sum(projets.aide_eur) filter (where projets.accorde), 0) * 100 as bigint) as engage_centimes
from t
left join projets_version as projets on projets.code_territoire = t.code_territoire
group by t.code_territoire, t.nom, t.enveloppe_aides_eur
order by t.code_territoire
