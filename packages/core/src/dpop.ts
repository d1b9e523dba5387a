// DPoP (RFC 9449): sender-constrained tokens, wherever the authorization server offers them.

export { type DpopOptions, type DpopSupport, dpop } from './dpop/support.ts';
