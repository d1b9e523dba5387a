/** The fetch port: any function with the standard signature (globalThis.fetch, undici, transport-fetch). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Default cap on metadata, registration and token responses. They are small; megabytes are an attack. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
