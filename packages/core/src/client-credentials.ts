// The client credentials grant, for machines: no person, the client's own credentials
// (a secret or private_key_jwt).

export { clientCredentials } from './interaction/client-credentials-interaction.ts';
export type { ClientCredentialsInteraction } from './interaction/types.ts';
