/** ACL capabilities as Vault names them (`sudo` and `patch` are accepted but unused here). */
export type Capability =
  | 'create'
  | 'read'
  | 'update'
  | 'patch'
  | 'delete'
  | 'list'
  | 'sudo'
  | 'deny';

/** A policy: path patterns to capabilities, like an HCL `path "..." { capabilities = [...] }`. */
export type PolicyRules = Readonly<Record<string, readonly Capability[]>>;

/**
 * Does `pattern` match `path`? Vault's rules: an exact path; a trailing `*` is a
 * prefix glob (only allowed at the end); `+` stands for exactly one path segment.
 */
export function patternMatches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const body = glob ? pattern.slice(0, -1) : pattern;
  if (!body.includes('+')) return glob ? path.startsWith(body) : path === body;
  const pSegs = body.split('/');
  const segs = path.split('/');
  if (!glob && pSegs.length !== segs.length) return false;
  if (glob && segs.length < pSegs.length) return false;
  for (let i = 0; i < pSegs.length; i++) {
    const p = pSegs[i] as string;
    const s = segs[i] as string;
    const last = i === pSegs.length - 1;
    if (p === '+') continue;
    if (last && glob) {
      if (!s.startsWith(p)) return false;
    } else if (p !== s) return false;
  }
  return true;
}

/**
 * Vault's priority between two matching patterns (policy documentation, "Priority
 * matching"): returns a positive number when `a` wins over `b`.
 */
export function comparePriority(a: string, b: string): number {
  const firstWild = (p: string) => {
    const i = p.search(/[+*]/);
    return i === -1 ? Number.POSITIVE_INFINITY : i;
  };
  const fa = firstWild(a);
  const fb = firstWild(b);
  if (fa !== fb) return fa - fb;
  const ga = a.endsWith('*');
  const gb = b.endsWith('*');
  if (ga !== gb) return ga ? -1 : 1;
  const pa = a.split('+').length;
  const pb = b.split('+').length;
  if (pa !== pb) return pb - pa;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The capabilities a set of policies grants on `path`: the highest-priority matching
 * pattern wins; identical patterns from several policies are merged; `deny` wins.
 */
export function capabilitiesFor(
  policyNames: readonly string[],
  policies: ReadonlyMap<string, PolicyRules>,
  path: string,
): Set<Capability> {
  if (policyNames.includes('root')) {
    return new Set<Capability>(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo']);
  }
  let best: string | undefined;
  const merged = new Map<string, Set<Capability>>();
  for (const name of policyNames) {
    const rules = policies.get(name);
    if (!rules) continue;
    for (const [pattern, caps] of Object.entries(rules)) {
      if (!patternMatches(pattern, path)) continue;
      const set = merged.get(pattern) ?? new Set<Capability>();
      for (const c of caps) set.add(c);
      merged.set(pattern, set);
      if (best === undefined || comparePriority(pattern, best) > 0) best = pattern;
    }
  }
  const granted =
    best === undefined ? new Set<Capability>() : (merged.get(best) as Set<Capability>);
  return granted.has('deny') ? new Set<Capability>() : granted;
}
