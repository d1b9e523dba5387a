import { headlessInteraction } from '@mcp-oauth/core/flow';

/** Consent is approved automatically by the test authorization server; nothing listens on the redirect URI. */
export const approve = () => headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' });
