import type { Style } from '../output.ts';
import type { InspectReport, UrlAttempt } from './report.ts';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function attemptLine(a: UrlAttempt, style: Style): string {
  const mark = a.used
    ? style.green('✓')
    : a.outcome === 'not-json' || a.outcome === 'error' || a.outcome === 'http-error'
      ? style.red('✗')
      : style.dim('·');
  const what =
    a.outcome === 'json'
      ? `${a.status} JSON${a.used ? ' (used)' : ''}`
      : a.outcome === 'not-json'
        ? `${a.status} ${a.note ?? 'not JSON'} (${a.contentType ?? 'no content type'})`
        : a.outcome === 'error'
          ? `failed: ${a.note ?? 'network error'}`
          : `${a.status}`;
  return `  ${mark} ${a.url}  ${what}`;
}

/** The human report: sections, then problems, then the verdict line. */
export function renderReport(report: InspectReport, style: Style): string[] {
  const lines: string[] = [];
  const section = (title: string) => lines.push('', style.bold(title));
  const field = (key: string, value: string) => lines.push(`  ${`${key}:`.padEnd(22)} ${value}`);
  lines.push(`${style.bold('Server')} ${report.serverUrl}  (resource ${report.resource})`);

  section('MCP endpoint (initialize without a token)');
  const c = report.challenge;
  field('answer', c.status === undefined ? 'no answer' : String(c.status));
  field('challenge', c.wwwAuthenticate ?? 'none');
  if (c.scope) field('scope asked', c.scope);

  section('Protected resource metadata (RFC 9728)');
  for (const a of report.resourceMetadata.attempts) lines.push(attemptLine(a, style));
  if (report.resourceMetadata.url) {
    field('resource', report.resourceMetadata.resource ?? '(missing)');
    field(
      'authorization servers',
      report.resourceMetadata.authorizationServers.join(', ') || '(none)',
    );
    field('scopes supported', report.resourceMetadata.scopesSupported?.join(' ') ?? '(not listed)');
  }

  if (report.authorizationServer.issuer) {
    section('Authorization server metadata (RFC 8414 / OpenID Connect discovery)');
    for (const a of report.authorizationServer.attempts) lines.push(attemptLine(a, style));
    if (report.authorizationServer.url) {
      field('issuer', report.authorizationServer.declaredIssuer ?? '(missing)');
      const cap = report.capabilities;
      const reg = cap.registration;
      section('Capabilities');
      field(
        'PKCE S256',
        cap.pkceS256 === 'yes'
          ? 'yes'
          : cap.pkceS256 === 'not-advertised'
            ? 'not advertised'
            : `no (${cap.codeChallengeMethods?.join(', ') || 'none'})`,
      );
      field(
        'dynamic registration',
        reg.dynamic ? `yes (RFC 7591, ${reg.registrationEndpoint})` : 'no',
      );
      field('client ID metadata', yesNo(reg.clientIdMetadataDocument));
      field(
        'pre-registered client',
        reg.preRegisteredNeeded ? 'needed (--client-id)' : 'optional (--client-id)',
      );
      const dpop = cap.dpop;
      field(
        'DPoP at the AS',
        dpop.authorizationServer.length ? `yes (${dpop.authorizationServer.join(', ')})` : 'no',
      );
      field(
        'DPoP at the MCP server',
        dpop.resource.requires
          ? `required (${dpop.resource.algs.join(', ') || 'any algorithm'})`
          : dpop.resource.takes
            ? `accepted (${dpop.resource.algs.join(', ') || 'any algorithm'})`
            : 'not stated (Bearer)',
      );
      field(
        'tokens (--dpop auto)',
        dpop.auto.tokens === 'dpop'
          ? `DPoP-bound (${dpop.auto.alg})`
          : dpop.authorizationServer.length && !dpop.resource.takes
            ? 'Bearer (the MCP server does not say it takes DPoP; --dpop always only if it is known to)'
            : 'Bearer',
      );
      field('iss parameter', cap.issParameter ? 'yes (RFC 9207)' : 'no');
      field('device flow', cap.deviceFlow ? 'yes (RFC 8628, login --device)' : 'no');
      field('revocation', cap.revocation ? 'yes (RFC 7009)' : 'no');
      field('introspection', yesNo(cap.introspection));
      field('scopes', cap.scopes.join(' ') || '(not listed)');
    }
  }

  section('Problems');
  if (report.problems.length === 0) lines.push(`  ${style.green('none')}`);
  for (const p of report.problems) {
    const tag = p.severity === 'error' ? style.red('error') : style.yellow('warning');
    lines.push(
      `  ${tag} [${p.code}] ${p.message}${p.quirk ? `\n    works with: ${style.bold(p.quirk.flag)}` : ''}`,
    );
  }

  lines.push('');
  if (report.verdict === 'ok') lines.push(`${style.bold('Verdict:')} ${style.green('ok')}`);
  else if (report.verdict === 'unprotected')
    lines.push(
      `${style.bold('Verdict:')} ${style.yellow('no authorization')}: nothing to log in to here; if this should be an MCP server that asks for a login, check the URL`,
    );
  else if (report.verdict === 'ok-with-quirks') {
    lines.push(
      `${style.bold('Verdict:')} ${style.yellow('ok with quirks')}: mcp-oauth login ${report.serverUrl} ${report.quirkFlags.join(' ')}`,
    );
  } else
    lines.push(
      `${style.bold('Verdict:')} ${style.red('broken')}: clients following the MCP specification cannot log in`,
    );
  return lines;
}
