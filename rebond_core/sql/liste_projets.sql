-- The projects of P with their territory's name and their commune's name, and their payments and delays as
-- of the reference date (sql/perimetre.sql).
select
    p.id_projet,
    p.code_territoire,
    t.nom as territoire,
    p.intitule,
    p.entreprise,
    p.siren,
    p.commune,
    c.nom as commune_nom,
    p.filiere,
    p.origine,
    p.statut,
    p.investissement_eur,
    p.emplois_prevus,
    p.emplois_crees,
    p.aide_demandee_eur,
    p.subvention_eur,
    p.avance_remboursable_eur,
    p.date_decision,
    p.innovant,
    p.transition_ecologique,
    p.date_statut,
    p.aide_eur,
    p.verse_subvention_eur,
    p.verse_avance_eur,
    p.verse_eur,
    p.rembourse_eur,
    p.premier_versement,
    p.dernier_versement,
    p.en_attente_longue,
    p.accorde_sans_versement
from p
join t using (code_territoire)
left join ref_communes as c on c.code_insee = p.commune
order by p.code_territoire, p.id_projet
