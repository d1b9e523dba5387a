// Token introspection (RFC 7662) and dynamic client registration management (RFC 7592) for a
// client made by `createOAuthClient`.

export { introspect } from './client/introspect-stored-token.ts';
export {
  deleteRegistration,
  readRegistration,
  updateRegistration,
} from './client/manage-stored-registration.ts';
export type { IntrospectionResult } from './grants/introspection-request.ts';
