-- Candidate sites of the territories of T (sites have no filière: the filière filter acts through T).
select s.*, c.nom as commune_nom
from sites_a($version) as s
join t using (code_territoire)
left join ref_communes as c on c.code_insee = s.commune
order by s.code_territoire, s.id_site
