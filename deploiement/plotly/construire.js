// Builds ../../static/plotly-rebond.min.js (one IIFE defining window.Plotly) from the pinned plotly.js.
const path = require('path');

const { version } = require('plotly.js/package.json');

require('esbuild')
    .build({
        entryPoints: [path.join(__dirname, 'entree.js')],
        outfile: path.join(__dirname, '..', '..', 'static', 'plotly-rebond.min.js'),
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        target: 'es2016',
        // The CSS of plotly's map traces comes along through the core; the dashboard draws none here.
        loader: { '.css': 'empty' },
        define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
        alias: { stream: 'stream-browserify' },
        banner: { js: `/* plotly.js ${version} (MIT, Plotly, Inc.), réduit aux traces de deploiement/plotly/entree.js */` },
        logLevel: 'info',
    })
    .catch(() => process.exit(1));
