import type { ConfiguredAuthorizationServer } from '@mcp-oauth/core';
import { type Command, Option } from 'commander';
import { usageError } from './exit-codes.ts';

/**
 * `login` flags that give the authorization server's issuer and endpoints by hand, for servers
 * whose discovery is missing or wrong (core's `authorizationServer` option), by member.
 */
export const AUTHORIZATION_SERVER_FLAGS = {
  issuer: '--issuer',
  authorizationEndpoint: '--authorization-endpoint',
  tokenEndpoint: '--token-endpoint',
  registrationEndpoint: '--registration-endpoint',
  revocationEndpoint: '--revocation-endpoint',
  introspectionEndpoint: '--introspection-endpoint',
  deviceAuthorizationEndpoint: '--device-authorization-endpoint',
} as const satisfies Partial<Record<keyof ConfiguredAuthorizationServer, string>>;

type Member = keyof typeof AUTHORIZATION_SERVER_FLAGS;
const members = Object.keys(AUTHORIZATION_SERVER_FLAGS) as Member[];

const HELP: Record<Member, string> = {
  issuer:
    "the authorization server's issuer, where discovery finds none (with --authorization-endpoint and --token-endpoint)",
  authorizationEndpoint: 'its authorization endpoint',
  tokenEndpoint: 'its token endpoint',
  registrationEndpoint: 'its dynamic registration endpoint (RFC 7591)',
  revocationEndpoint: 'its revocation endpoint (RFC 7009)',
  introspectionEndpoint: 'its introspection endpoint (RFC 7662)',
  deviceAuthorizationEndpoint: 'its device authorization endpoint (RFC 8628)',
};

/** Adds the flags, and `--override-discovery`. */
export function addAuthorizationServerOptions(command: Command): Command {
  for (const member of members)
    command.addOption(new Option(`${AUTHORIZATION_SERVER_FLAGS[member]} <url>`, HELP[member]));
  return command.addOption(
    new Option(
      '--override-discovery',
      'use the --issuer endpoints even where the authorization server publishes metadata',
    ),
  );
}

/** The `authorizationServer` option those flags give, or undefined without them. */
export function authorizationServerFromOptions(
  options: Record<string, unknown>,
): ConfiguredAuthorizationServer | undefined {
  const given = members.filter((m) => typeof options[m] === 'string');
  if (!given.length) {
    if (options.overrideDiscovery === true)
      throw usageError('--override-discovery needs --issuer and the endpoints to use instead.');
    return undefined;
  }
  const missing = (['issuer', 'authorizationEndpoint', 'tokenEndpoint'] as const).filter(
    (m) => !given.includes(m),
  );
  if (missing.length)
    throw usageError(
      `${given.map((m) => AUTHORIZATION_SERVER_FLAGS[m]).join(', ')} ${given.length === 1 ? 'needs' : 'need'} ${missing.map((m) => AUTHORIZATION_SERVER_FLAGS[m]).join(' and ')} too.`,
    );
  const configured = Object.fromEntries(given.map((m) => [m, options[m]])) as Record<
    string,
    string
  >;
  return {
    ...(configured as unknown as ConfiguredAuthorizationServer),
    ...(options.overrideDiscovery === true ? { override: true } : {}),
  };
}

/**
 * A library message that names a member of the option (`details.setting`, e.g.
 * `authorizationServer.tokenEndpoint`) in the words of the command line.
 */
export function withSettingFlag(message: string, setting: unknown): string {
  if (typeof setting !== 'string' || !setting.startsWith('authorizationServer.')) return message;
  const flag = AUTHORIZATION_SERVER_FLAGS[setting.slice('authorizationServer.'.length) as Member];
  return flag ? message.replaceAll(`\`${setting}\` option`, `${flag} URL`) : message;
}
