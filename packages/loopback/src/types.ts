/** The redirect kind of interaction, as core defines it. */
export type { RedirectInteraction } from '@mcp-oauth/core';
