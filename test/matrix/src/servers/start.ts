import { randomBytes } from 'node:crypto';
import type { Cell } from '../cells.ts';
import { startBetterAuthStack } from './better-auth.ts';
import { startOidcStack } from './oidc.ts';
import { startSdkDemoStack } from './sdk-demo.ts';
import type { MatrixStack } from './types.ts';

/** Starts a cell's servers, fresh (own ports, own state). */
export async function startCell(cell: Cell): Promise<MatrixStack> {
  const stack =
    cell.implementation === 'sdk-demo'
      ? await startSdkDemoStack(cell.rs)
      : cell.implementation === 'better-auth'
        ? await startBetterAuthStack({ accessTokenTtlSeconds: cell.tokenTtlSeconds }, cell.rs)
        : await startOidcStack(
            cell.oidc,
            cell.rs,
            cell.preRegistered
              ? { clientId: 'matrix-cli', clientSecret: randomBytes(24).toString('base64url') }
              : undefined,
            cell.rsImplementation,
          );
  const dpop = cell.rs.dpop ?? 'off';
  if (dpop !== 'off') {
    // the MCP server's `dpop` option is the lead's change to packages/testing: check that it is there
    const metadataUrl =
      cell.rs.metadataLocation === 'root'
        ? new URL('/.well-known/oauth-protected-resource', stack.mcp.url).href
        : stack.mcp.resourceMetadataUrl;
    const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    if (!Array.isArray(metadata.dpop_signing_alg_values_supported)) {
      await stack.close();
      throw new Error(
        `the MCP server does not advertise DPoP: startMcpServer's dpop: '${dpop}' option has not landed in packages/testing`,
      );
    }
  }
  return stack;
}
