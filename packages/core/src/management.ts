// Token introspection (RFC 7662) and dynamic client registration management (RFC 7592) for a
// client made by `createOAuthClient`.

export { introspect } from './client/introspect.ts';
export { deleteRegistration, readRegistration, updateRegistration } from './client/registration.ts';
export type { IntrospectionResult } from './grants/introspect.ts';
