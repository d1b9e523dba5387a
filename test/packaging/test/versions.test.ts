// The release policy of docs/releasing.md, checked on what `changeset version` would do now:
// the manifests and .changeset/ are copied into a scratch folder and versioned there, never in
// the working tree.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Manifest,
  publishedPackages,
  readManifest,
  root,
  workspacePackages,
} from '../src/workspace.ts';

type Bump = 'major' | 'minor' | 'patch';
const RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

const published = publishedPackages();
const names = published.map((p) => p.manifest.name);
const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')) as {
  fixed: string[][];
  ___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH?: {
    onlyUpdatePeerDependentsWhenOutOfRange?: boolean;
  };
};

/** The bumps the pending changesets ask for, by package. */
function pendingBumps(): Map<string, Bump> {
  const bumps = new Map<string, Bump>();
  const dir = join(root, '.changeset');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? '';
    for (const [, name, type] of front.matchAll(
      /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/gm,
    )) {
      if (!name || !type) continue;
      const bump = type as Bump;
      const before = bumps.get(name);
      if (!before || RANK[bump] > RANK[before]) bumps.set(name, bump);
    }
  }
  return bumps;
}

function parse(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`not a version: ${version}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function increment(version: string, bump: Bump): string {
  const [major, minor, patch] = parse(version);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const compare = (a: string, b: string) => {
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

let scratch: string;
const after = new Map<string, Manifest>();

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mcp-oauth-version-'));
  cpSync(join(root, 'package.json'), join(scratch, 'package.json'));
  cpSync(join(root, 'pnpm-workspace.yaml'), join(scratch, 'pnpm-workspace.yaml'));
  cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const pkg of workspacePackages()) {
    mkdirSync(join(scratch, pkg.path), { recursive: true });
    cpSync(join(pkg.dir, 'package.json'), join(scratch, pkg.path, 'package.json'));
    const changelog = join(pkg.dir, 'CHANGELOG.md');
    if (existsSync(changelog)) cpSync(changelog, join(scratch, pkg.path, 'CHANGELOG.md'));
  }
  // the changelog generator is resolved from the scratch folder
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'junction');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'],
    { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } },
  );
  for (const pkg of published)
    after.set(pkg.manifest.name, readManifest(join(scratch, pkg.path, 'package.json')));
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('changesets configuration', () => {
  it('one fixed group holds exactly the published packages', () => {
    expect(config.fixed).toHaveLength(1);
    expect([...(config.fixed[0] ?? [])].sort()).toEqual([...names].sort());
  });

  it('peer dependents are bumped as majors only when core leaves their range', () => {
    expect(
      config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH
        ?.onlyUpdatePeerDependentsWhenOutOfRange,
    ).toBe(true);
  });

  it('the published packages share one version today', () => {
    expect(new Set(published.map((p) => p.manifest.version)).size).toBe(1);
  });

  it('before 1.0, peer ranges on core are workspace:>=0.N.0 <1.0.0 with N at most the version', () => {
    for (const pkg of published) {
      const range = pkg.manifest.peerDependencies?.['@mcp-oauth/core'];
      if (!range) continue;
      const [major] = parse(pkg.manifest.version);
      if (major >= 1) continue;
      const m = /^workspace:>=(\d+\.\d+\.\d+) <1\.0\.0$/.exec(range);
      expect(m, `${pkg.manifest.name}: peer range ${range}`).not.toBeNull();
      expect(compare(m?.[1] ?? '9.9.9', pkg.manifest.version)).toBeLessThanOrEqual(0);
    }
  });
});

describe('changeset version (in a scratch copy)', () => {
  const bumps = pendingBumps();
  const familyBumps = names.map((n) => bumps.get(n)).filter((b): b is Bump => b !== undefined);
  const highest = familyBumps.sort((a, b) => RANK[b] - RANK[a])[0];
  const current = published[0]?.manifest.version ?? '0.0.0';

  it('before 1.0, no changeset asks for a major (a breaking change is a minor)', () => {
    if (parse(current)[0] >= 1) return;
    const majors = names.filter((n) => bumps.get(n) === 'major');
    expect(majors, 'see docs/releasing.md').toEqual([]);
  });

  it('gives every published package the same version', () => {
    const versions = new Set([...after.values()].map((m) => m.version));
    expect(versions.size, [...versions].join(', ')).toBe(1);
  });

  it('bumps by the highest pending changeset of the family, and stays in 0.x', () => {
    const expected = highest ? increment(current, highest) : current;
    for (const [name, manifest] of after) {
      expect(manifest.version.replace(/-.*$/, ''), name).toBe(expected);
      if (parse(current)[0] === 0) expect(parse(manifest.version)[0], name).toBe(0);
    }
  });

  it('keeps the peer ranges on core holding the new version', () => {
    for (const [name, manifest] of after) {
      const range = manifest.peerDependencies?.['@mcp-oauth/core'];
      if (!range) continue;
      const m = /^workspace:>=(\d+\.\d+\.\d+) <(\d+\.\d+\.\d+)$/.exec(range);
      if (!m) {
        expect(range, name).toMatch(/^workspace:\^$/);
        continue;
      }
      const core = after.get('@mcp-oauth/core')?.version ?? '';
      expect(compare(m[1] ?? '', core), name).toBeLessThanOrEqual(0);
      expect(compare(core, m[2] ?? ''), name).toBeLessThan(0);
    }
  });

  it('writes a changelog entry for every published package', () => {
    if (!highest) return;
    for (const pkg of published) {
      const changelog = readFileSync(join(scratch, pkg.path, 'CHANGELOG.md'), 'utf8');
      expect(changelog, pkg.manifest.name).toContain(`## ${after.get(pkg.manifest.name)?.version}`);
    }
  });
});
