import { McpOAuthError } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import { Command } from 'commander';
import { EXIT, usageError } from '../exit-codes.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';

export function inspectCommand(): Command {
  return new Command('inspect')
    .description(
      "Explain a server's authorization without logging in: metadata, discovery URLs, PKCE, registration, DPoP, scopes, problems, verdict.",
    )
    .argument('<url>', 'the MCP server URL')
    .option('--json', 'print the full report as JSON on stdout')
    .option('--strict', 'exit 4 for "ok with quirks" too')
    .addHelpText(
      'after',
      `
Sends an MCP initialize without a token, reads the 401 challenge, then every discovery
URL a client would try (RFC 9728, RFC 8414, OpenID Connect), and reports which answered.
Each problem names the login flag that works around it, when there is one.

Verdict and exit code:
  ok               0  a conforming client can log in
  ok with quirks   0  login works with the flags shown (exit 4 with --strict)
  broken           4  clients following the specification must refuse this server

Examples:
  $ mcp-oauth inspect https://mcp.example.com/mcp
  $ mcp-oauth inspect https://mcp.example.com/mcp --json | jq .problems`,
    )
    .action((url: string, options: { json?: boolean; strict?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        try {
          canonicalResource(url);
        } catch (error) {
          throw usageError(
            McpOAuthError.isInstance(error) ? error.message : `"${url}" is not a valid URL.`,
          );
        }
        ctx.out.info(`Inspecting ${url} (no login, no token sent)…`);
        const [{ inspectServer }, { renderReport }] = await Promise.all([
          import('../inspect/inspect-server.ts'),
          import('../inspect/render.ts'),
        ]);
        const report = await inspectServer(ctx.fetch, url);
        if (options.json) ctx.out.json(versioned(report));
        else for (const line of renderReport(report, ctx.out.dataStyle)) ctx.out.data(line);
        if (report.verdict === 'broken') return EXIT.nonConforming;
        if (report.verdict === 'ok-with-quirks' && options.strict) return EXIT.nonConforming;
        return EXIT.ok;
      }),
    );
}
