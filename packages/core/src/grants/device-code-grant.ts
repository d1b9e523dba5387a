import { sleep } from '@mcp-oauth/internal';
import {
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  processDeviceAuthorizationResponse,
  processDeviceCodeResponse,
  ResponseBodyError,
} from 'oauth4webapi';
import { McpOAuthError } from '../errors/error.ts';
import { DEVICE_REQUEST, fromOAuth4WebApi } from '../errors/from-oauth4webapi.ts';
import { withoutScopeSaid } from '../errors/refused-without-scope.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import type { TokensRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';
import { checkDeviceVerification } from './check-device-verification.ts';
import type { DeviceAuthorization } from './device-authorization.ts';
import type { GrantArgs } from './grant-args.ts';
import { processTokenResponse, tokensFromResponse } from './token-record.ts';
import { boundTo, withDpop } from './with-dpop.ts';

/** RFC 8628 §3.1-3.2: asks for a device code. */
export async function requestDeviceAuthorization(
  ctx: FlowContext,
  args: GrantArgs,
): Promise<DeviceAuthorization> {
  requireEndpoint(
    ctx,
    args.as,
    'device_authorization_endpoint',
    () =>
      new McpOAuthError(
        'interaction_failed',
        `The authorization server ${args.as.issuer} does not support the device authorization grant.`,
      ),
  );
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  const parameters = new URLSearchParams();
  if (args.scope) parameters.set('scope', args.scope);
  if (!ctx.quirks.omitResourceParameter) parameters.set('resource', args.resource);
  try {
    const response = await deviceAuthorizationRequest(
      server,
      client,
      auth,
      parameters,
      requestOptions(ctx),
    );
    const result = await processDeviceAuthorizationResponse(server, client, response);
    return {
      deviceCode: result.device_code,
      // checked before any prompt, event or store sees them (MCP security best practices)
      ...checkDeviceVerification(ctx, result),
      expiresAt: ctx.now() + result.expires_in * 1000,
      intervalMs: (result.interval ?? 5) * 1000,
    };
  } catch (error) {
    throw withoutScopeSaid(fromOAuth4WebApi(error, DEVICE_REQUEST), args.scope);
  }
}

/** RFC 8628 §3.4-3.5: polls until approved, denied or expired; `slow_down` adds 5 s to the interval. */
export async function pollDeviceToken(
  ctx: FlowContext,
  args: GrantArgs & { device: DeviceAuthorization; minIntervalMs?: number },
): Promise<TokensRecord> {
  requireEndpoint(ctx, args.as, 'token_endpoint');
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  let interval = Math.max(args.device.intervalMs, args.minIntervalMs ?? 0);
  for (;;) {
    await sleep(interval, ctx.signal);
    if (ctx.now() >= args.device.expiresAt) {
      throw new McpOAuthError(
        'device_authorization_expired',
        'The device code expired before it was approved. Start the login again.',
      );
    }
    try {
      const { result, jkt } = await withDpop(ctx, args, client, async (dpop) => {
        const response = await deviceCodeGrantRequest(
          server,
          client,
          auth,
          args.device.deviceCode,
          {
            ...requestOptions(
              ctx,
              ctx.quirks.omitResourceParameter ? undefined : { resource: args.resource },
            ),
            ...dpop,
          },
        );
        // with `openid`, an ID token (when the server issues one) is validated and its claims kept
        return processTokenResponse(ctx, args.as, args.scope, () =>
          processDeviceCodeResponse(server, client, response),
        );
      });
      return boundTo(
        tokensFromResponse(result.tokens, ctx.now(), {
          issuer: args.as.issuer,
          resource: args.resource,
          clientId: args.client.clientId,
          scope: args.scope,
          idTokenClaims: result.idTokenClaims,
        }),
        jkt,
      );
    } catch (error) {
      if (error instanceof ResponseBodyError && error.error === 'authorization_pending') continue;
      if (error instanceof ResponseBodyError && error.error === 'slow_down') {
        interval += 5_000;
        continue;
      }
      throw withoutScopeSaid(fromOAuth4WebApi(error, DEVICE_REQUEST), args.scope);
    }
  }
}
