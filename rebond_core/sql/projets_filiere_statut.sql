select filiere, statut, count(*) as nombre
from p
group by filiere, statut
