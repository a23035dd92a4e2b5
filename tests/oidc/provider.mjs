// A local OpenID Connect provider that behaves like ProConnect, for the login tests (tests/outils/oidc.py)
// and for trying authenticated mode on a workstation. Built on panva's oidc-provider, the library that
// ProConnect's own server (proconnect-gouv/federation) is built on, with ProConnect's choices:
//   - the ID token holds only `sub` and the protocol claims; e-mail, names, uid, siret, idp_id come only
//     from /userinfo, as a signed JWT (application/jwt, ES256);
//   - ProConnect's scopes (openid email given_name usual_name uid siret idp_id), no `profile`;
//   - client authentication at the token endpoint by client_secret_post only;
//   - PKCE S256 advertised but not required; 60 s access tokens (REBOND_OIDC_DUREE_JETON to shorten);
//   - no consent page (the grant is always given); RP-initiated logout confirmed without a question.
// Users: any login is accepted (the password is ignored). The e-mail claim is the login as typed when it
// contains "@" (so a test logs in as any address), else `<login>@example.gouv.fr`; `sub` is the login.
// Every page is plain local HTML: nothing is fetched from outside.
//
// Environment: REBOND_OIDC_PORT (9401), REBOND_OIDC_APPLI (the application's origin, redirect and
// post-logout URIs are `<origin>/oauth2callback`; http://127.0.0.1:8501), REBOND_OIDC_CLIENT_ID
// (rebond-local), REBOND_OIDC_CLIENT_SECRET (rebond-local-secret), REBOND_OIDC_DUREE_JETON (seconds, 60).
// Prints "pret <issuer>" on standard output once it listens.

import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const PORT = Number(process.env.REBOND_OIDC_PORT || 9401);
const ISSUER = `http://127.0.0.1:${PORT}`;
const APPLI = (process.env.REBOND_OIDC_APPLI || 'http://127.0.0.1:8501').replace(/\/$/, '');
const CLIENT_ID = process.env.REBOND_OIDC_CLIENT_ID || 'rebond-local';
const CLIENT_SECRET = process.env.REBOND_OIDC_CLIENT_SECRET || 'rebond-local-secret';
const DUREE_JETON = Number(process.env.REBOND_OIDC_DUREE_JETON || 60);
const DOUZE_HEURES = 12 * 60 * 60;

const echapper = (texte) => String(texte).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(titre, corps) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${echapper(titre)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}input,button{display:block;width:100%;
margin:.5rem 0;padding:.5rem;box-sizing:border-box}</style></head><body><h1>${echapper(titre)}</h1>${corps}</body></html>`;
}

// One signing key per run (ES256, ProConnect's default for service providers).
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const cle = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'ES256' };

function revendications(login) {
  const email = login.includes('@') ? login : `${login}@example.gouv.fr`;
  return {
    sub: login,
    email,
    given_name: 'Agent',
    usual_name: 'Local',
    uid: login,
    siret: '13002526500013',
    idp_id: 'fi-local',
  };
}

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${APPLI}/oauth2callback`],
      post_logout_redirect_uris: [`${APPLI}/oauth2callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
      userinfo_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [cle] },
  enabledJWA: { idTokenSigningAlgValues: ['ES256'], userinfoSigningAlgValues: ['ES256'] },
  clientAuthMethods: ['client_secret_post'],
  responseTypes: ['code'],
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'uid', 'siret', 'idp_id'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
    idp_id: ['idp_id'],
  },
  conformIdTokenClaims: true, // identity claims are NOT in the ID token
  pkce: { required: () => false },
  features: {
    devInteractions: { enabled: false }, // our own pages below (the built-in ones load outside fonts)
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Confirmed at once, as ProConnect does, so that logout is one redirection for the user.
      async logoutSource(ctx, form) {
        ctx.body = page(
          'Déconnexion',
          `${form}<script>const f=document.getElementById('op.logoutForm');const i=document.createElement('input');` +
            `i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>`,
        );
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Déconnexion', '<p>Vous êtes déconnecté.</p>');
      },
    },
  },
  ttl: {
    AccessToken: DUREE_JETON,
    AuthorizationCode: 30,
    IdToken: 3600,
    Interaction: 600,
    Session: DOUZE_HEURES,
    Grant: DOUZE_HEURES,
  },
  clockTolerance: 0, // an access token is refused as soon as it has expired (oidc-provider allows 15 s)
  cookies: { keys: [randomBytes(32).toString('hex')] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // No consent page: the requested scopes are always granted (what ProConnect does).
  async loadExistingGrant(ctx) {
    const { client, session, params } = ctx.oidc;
    const grantId = session.grantIdFor(client.clientId);
    const grant =
      (grantId && (await ctx.oidc.provider.Grant.find(grantId))) ||
      new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(String(params.scope));
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => revendications(id) };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Erreur', `<pre>${echapper(JSON.stringify(out, null, 2))}</pre>`);
  },
});

async function formulaire(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Every request in the output ("GET /me 401"): what the tests read to know what the application asked.
// At the token endpoint, how the client authenticated (ProConnect documents client_secret_post).
provider.use(async (ctx, next) => {
  const basic = ctx.path === '/token' && /^basic /i.test(ctx.headers.authorization || '');
  await next();
  const jeton = ctx.path === '/token' ? (basic ? ' client_secret_basic' : ' client_secret_post') : '';
  console.log(`${ctx.method} ${ctx.path} ${ctx.status}${jeton}`);
});

// The login page: any login, any password.
provider.use(async (ctx, next) => {
  const trouve = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!trouve) return next();
  const { uid, prompt } = await provider.interactionDetails(ctx.req, ctx.res);
  if (uid !== trouve[1]) ctx.throw(400, 'interaction inconnue');
  if (ctx.method === 'GET' && !trouve[2]) {
    ctx.type = 'html';
    ctx.body = page(
      'Connexion (fournisseur local)',
      `<form method="post" action="/interaction/${echapper(uid)}/login" autocomplete="off">
<label for="login">Identifiant ou adresse électronique</label><input id="login" name="login" required autofocus>
<label for="password">Mot de passe (ignoré)</label><input id="password" name="password" type="password">
<button type="submit">Se connecter</button></form>`,
    );
    return undefined;
  }
  if (ctx.method === 'POST' && trouve[2] && prompt.name === 'login') {
    const login = ((await formulaire(ctx)).get('login') || '').trim();
    if (!login) ctx.throw(400, 'identifiant vide');
    const retour = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(retour);
    return undefined;
  }
  return ctx.throw(400, `étape inattendue : ${prompt.name}`);
});

for (const evenement of ['authorization.error', 'grant.error', 'userinfo.error', 'end_session.error', 'server_error']) {
  provider.on(evenement, (ctx, err) => console.log(`${evenement}: ${err.message} ${err.error_description || ''}`));
}

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

provider.listen(PORT, '127.0.0.1', () => console.log(`pret ${ISSUER}`));
