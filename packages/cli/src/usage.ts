/**
 * What `mcp-oauth` without arguments prints (stdout, exit 0): the usage line and the most
 * common commands, not the whole help (clig.dev: a short help text when run with no args).
 */
export const SHORT_USAGE = `mcp-oauth: log in to OAuth-protected MCP servers and manage their tokens.

Usage: mcp-oauth <command> [options]

Common commands:
  login <url>     log in to an MCP server and remember it under a name
                  (login <name>: again, with that name's settings)
  status [name]   check with the servers that the stored tokens work
  list            the servers logged in to
  token <name>    print a valid access token (refreshed when due)
  test <name>     initialize and list the tools with the official MCP SDK client
  inspect <url>   explain a server's authorization without logging in
  proxy <name>    a stdio bridge for MCP hosts

Example:
  $ mcp-oauth login https://mcp.notion.com/mcp --name notion

All commands and options: mcp-oauth --help
`;
