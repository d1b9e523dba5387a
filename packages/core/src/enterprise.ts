// Enterprise-managed authorization (MCP extension, SEP-990 "cross-app access"): the user's
// enterprise IdP issues an ID-JAG by RFC 8693 token exchange, presented to the MCP server's
// authorization server with the RFC 7523 JWT bearer grant. No second consent.

export {
  type EnterpriseIdp,
  type EnterpriseManagedOptions,
  enterpriseManaged,
} from './interaction/enterprise-managed.ts';
export type { EnterpriseManagedInteraction } from './interaction/types.ts';
