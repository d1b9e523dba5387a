import type { FetchLike } from '@mcp-oauth/core';
import {
  authorizationServerMetadataUrls,
  canonicalResource,
  protectedResourceMetadataUrls,
  resourceCovers,
} from '@mcp-oauth/core/flow';
import { loginLine } from '../option-flags.ts';
import { checkDpop } from './check-dpop.ts';
import {
  checkAuthorizationServer,
  checkSecure,
  emptyCapabilities,
  error,
  verdictOf,
  warning,
} from './checks.ts';
import { fetchDocument, string, strings } from './fetch-document.ts';
import { probeEndpoint } from './probe-endpoint.ts';
import type { InspectReport, Problem, UrlAttempt } from './report.ts';

/** Tries every URL in order; the first JSON object is used. Later URLs are tried too, for the report. */
async function discoverAll(
  fetch: FetchLike,
  urls: string[],
): Promise<{ attempts: UrlAttempt[]; used?: { url: string; document: Record<string, unknown> } }> {
  const attempts: UrlAttempt[] = [];
  let used: { url: string; document: Record<string, unknown> } | undefined;
  for (const url of urls) {
    const { attempt, document } = await fetchDocument(fetch, url);
    if (document && !used) {
      attempt.used = true;
      used = { url, document };
    }
    attempts.push(attempt);
  }
  return used ? { attempts, used } : { attempts };
}

/** A 200 that is not JSON stops clients (they do not try the next URL); after the used document it only deserves a warning. */
function notJsonProblems(attempts: UrlAttempt[], what: string, code: string): Problem[] {
  const usedAt = attempts.findIndex((a) => a.used);
  return attempts.flatMap((a, i) => {
    if (a.outcome !== 'not-json') return [];
    const message = `${what} at ${a.url} answered 200 with ${a.note ?? 'something else'} (${a.contentType ?? 'no content type'}) instead of JSON.`;
    return [usedAt === -1 || i < usedAt ? error(code, message) : warning(code, message)];
  });
}

/** Explains a server's authorization without logging in: every request is unauthenticated. */
export async function inspectServer(fetch: FetchLike, serverUrl: string): Promise<InspectReport> {
  const resource = canonicalResource(serverUrl);
  const problems: Problem[] = [];
  const insecure = checkSecure(serverUrl, 'The MCP server URL');
  if (insecure) problems.push(insecure);

  const challenge = await probeEndpoint(fetch, serverUrl);
  if (challenge.status === 401 && !challenge.scheme) {
    problems.push(
      warning(
        'no_challenge',
        'The 401 answer has no Bearer WWW-Authenticate challenge; clients fall back to the well-known URLs.',
      ),
    );
  } else if (challenge.status === 401 && !challenge.resourceMetadata) {
    problems.push(
      warning(
        'no_resource_metadata_in_challenge',
        'The 401 challenge has no resource_metadata parameter (RFC 9728 §5.1); clients fall back to the well-known URLs.',
      ),
    );
  } else if (challenge.status !== undefined && challenge.status !== 401) {
    problems.push(
      warning(
        'no_401',
        challenge.status === 404
          ? 'An initialize request without a token was answered 404: no MCP server takes requests at this URL (a legacy HTTP+SSE endpoint takes only GET); check the URL.'
          : `An initialize request without a token was answered ${challenge.status}, not 401: the server may not require authorization at this URL.`,
      ),
    );
  }

  const prm = await discoverAll(
    fetch,
    protectedResourceMetadataUrls(serverUrl, challenge.resourceMetadata),
  );
  problems.push(
    ...notJsonProblems(prm.attempts, 'Protected resource metadata', 'resource_metadata_invalid'),
  );
  const prmDoc = prm.used?.document;
  const report: InspectReport = {
    serverUrl,
    resource,
    challenge,
    resourceMetadata: {
      attempts: prm.attempts,
      url: prm.used?.url,
      resource: string(prmDoc?.resource),
      authorizationServers: strings(prmDoc?.authorization_servers) ?? [],
      scopesSupported: strings(prmDoc?.scopes_supported),
      bearerMethodsSupported: strings(prmDoc?.bearer_methods_supported),
      dpopSigningAlgValuesSupported: strings(prmDoc?.dpop_signing_alg_values_supported),
      dpopBoundAccessTokensRequired: prmDoc?.dpop_bound_access_tokens_required === true,
      document: prmDoc,
    },
    authorizationServer: {
      issuer: undefined,
      attempts: [],
      url: undefined,
      declaredIssuer: undefined,
      document: undefined,
    },
    capabilities: emptyCapabilities(),
    problems,
    verdict: 'broken',
    quirkFlags: [],
  };
  const finish = (): InspectReport => Object.assign(report, verdictOf(problems));

  if (!prmDoc) {
    // answered without asking for a token: nothing to log in to (a 404 or a 503 says nothing
    // of the kind: it falls to the error below)
    const answered =
      challenge.status !== undefined && challenge.status >= 200 && challenge.status < 300;
    if (answered && !problems.some((p) => p.severity === 'error')) {
      problems.push(
        warning(
          'no_authorization',
          'No protected resource metadata and no 401: this server does not seem to use MCP authorization.',
        ),
      );
      return Object.assign(report, { verdict: 'unprotected' as const, quirkFlags: [] });
    }
    problems.push(
      error(
        'resource_metadata_invalid',
        `No protected resource metadata (RFC 9728) was found; tried ${prm.attempts.map((a) => a.url).join(', ')}.`,
      ),
    );
    return finish();
  }
  const declaredResource = report.resourceMetadata.resource;
  if (!declaredResource) {
    problems.push(
      error(
        'resource_metadata_invalid',
        `The resource metadata at ${prm.used?.url} has no "resource".`,
      ),
    );
  } else if (!safeCovers(declaredResource, serverUrl)) {
    problems.push(
      error(
        'resource_mismatch',
        `The resource metadata names the resource ${declaredResource}, which is not ${resource}: clients must not authorize for another resource (RFC 9728 §3.3).`,
      ),
    );
  }
  if (!challenge.scope && !report.resourceMetadata.scopesSupported?.length) {
    // MCP scope selection: then a client asks for no scope, which some servers refuse
    problems.push(
      warning(
        'no_scope_named',
        `Neither the 401 challenge nor the resource metadata names a scope, so a login asks for none; some authorization servers refuse that (access_denied). If one does, log in with the scopes the server needs: ${loginLine({ url: serverUrl }, '--scope <scope>...')}`,
      ),
    );
  }
  const issuer = report.resourceMetadata.authorizationServers[0];
  if (!issuer) {
    problems.push(
      error('resource_metadata_invalid', 'The resource metadata lists no authorization_servers.'),
    );
    return finish();
  }
  if (report.resourceMetadata.authorizationServers.length > 1) {
    problems.push(
      warning(
        'several_authorization_servers',
        `The resource lists ${report.resourceMetadata.authorizationServers.length} authorization servers; the first (${issuer}) is used.`,
      ),
    );
  }
  report.authorizationServer.issuer = issuer;
  const issuerInsecure = checkSecure(issuer, 'The authorization server');
  if (issuerInsecure) {
    problems.push(issuerInsecure);
    return finish();
  }

  const asd = await discoverAll(fetch, authorizationServerMetadataUrls(issuer));
  report.authorizationServer.attempts = asd.attempts;
  problems.push(
    ...notJsonProblems(
      asd.attempts,
      'Authorization server metadata',
      'authorization_server_metadata_invalid',
    ),
  );
  if (!asd.used) {
    problems.push(
      error(
        'authorization_server_not_found',
        `No authorization server metadata was found for ${issuer}; tried ${asd.attempts.map((a) => a.url).join(', ')}.`,
      ),
    );
    return finish();
  }
  report.authorizationServer.url = asd.used.url;
  report.authorizationServer.document = asd.used.document;
  report.authorizationServer.declaredIssuer = string(asd.used.document.issuer);
  const checked = checkAuthorizationServer(asd.used.document, issuer, asd.used.url);
  problems.push(...checked.problems);
  report.capabilities = checked.capabilities;
  const dpop = checkDpop(
    checked.capabilities.dpop.authorizationServer,
    report.resourceMetadata,
    challenge,
  );
  report.capabilities.dpop = dpop.report;
  problems.push(...dpop.problems);
  report.capabilities.scopes =
    report.resourceMetadata.scopesSupported ?? checked.capabilities.scopes;
  return finish();
}

function safeCovers(declared: string, serverUrl: string): boolean {
  try {
    return resourceCovers(declared, serverUrl);
  } catch {
    return false;
  }
}
