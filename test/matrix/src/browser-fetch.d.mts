/** A `fetch` (http: only, no redirects followed) that sends what a browser's navigation sends. */
export declare function browserFetch(input: string | URL, init?: RequestInit): Promise<Response>;
