/**
 * MCP 2026-07-28 lets a tool declare arguments that clients also send as headers
 * (`"x-mcp-header": "Region"` on a property of its input schema: `Mcp-Param-Region`), so that
 * gateways can route without reading bodies; servers refuse a call without them (-32020). A host
 * on stdio sends no headers, so the bridge learns the declarations from the `tools/list` results
 * it forwards and adds the headers to `tools/call`, as the SDK v2's client does from its own
 * tool cache. Declarations are read along `properties` chains only, on string, integer and
 * boolean properties (the positions and types the revision allows).
 */
export interface ParamHeaders {
  /** Reads the declarations of a `tools/list` result (later pages add to earlier ones). */
  learn(result: unknown): void;
  /** The `Mcp-Param-*` headers of a `tools/call` request's arguments (none if unknown). */
  headersFor(params: Record<string, unknown> | undefined): Record<string, string>;
}

interface Declaration {
  path: string[];
  header: string;
}

const HEADER_TYPES = new Set(['string', 'integer', 'boolean']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function createParamHeaders(): ParamHeaders {
  const byTool = new Map<string, Declaration[]>();
  return {
    learn(result) {
      const tools = (result as { tools?: unknown } | undefined)?.tools;
      if (!Array.isArray(tools)) return;
      for (const tool of tools) {
        const { name, inputSchema } = (tool ?? {}) as { name?: unknown; inputSchema?: unknown };
        if (typeof name !== 'string') continue;
        const found: Declaration[] = [];
        collect(inputSchema, [], found);
        if (found.length > 0) byTool.set(name, found);
        else byTool.delete(name);
      }
    },
    headersFor(params) {
      const declarations = typeof params?.name === 'string' ? byTool.get(params.name) : undefined;
      const headers: Record<string, string> = {};
      if (!declarations) return headers;
      for (const { path, header } of declarations) {
        const value = valueAt(params?.arguments, path);
        const text = primitiveText(value);
        if (text !== undefined) headers[`mcp-param-${header}`] = headerValue(text);
      }
      return headers;
    },
  };
}

function collect(schema: unknown, path: string[], found: Declaration[]): void {
  if (schema === null || typeof schema !== 'object') return;
  const node = schema as { properties?: unknown; type?: unknown; 'x-mcp-header'?: unknown };
  const header = node['x-mcp-header'];
  if (
    path.length > 0 &&
    typeof header === 'string' &&
    TOKEN.test(header) &&
    typeof node.type === 'string' &&
    HEADER_TYPES.has(node.type)
  )
    found.push({ path, header });
  if (node.properties === null || typeof node.properties !== 'object') return;
  for (const [key, child] of Object.entries(node.properties)) collect(child, [...path, key], found);
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** A header value as MCP 2026-07-28 writes it: as is, or `=?base64?…?=` when not plain ASCII. */
export function headerValue(value: string): string {
  const plain =
    value.length > 0 &&
    value === value.trim() &&
    !(value.startsWith('=?base64?') && value.endsWith('?=')) &&
    /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
