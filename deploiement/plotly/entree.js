// plotly.js with only the traces the dashboard draws through rebond_ui/graphiques.py (the sites map, WebGL,
// stays with Streamlit's own plotly): bar, funnel, scatter (in the core) and choropleth (geo subplot), plus
// the French locale. Add a trace here when rebond_core/figures.py starts using a new one, then `make plotly`.
'use strict';
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/funnel'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/locales/fr'),
]);

module.exports = Plotly;
