// What npm users get: every published package is packed with `pnpm pack` (as `pnpm publish`
// would), extracted, and its tarball checked.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRelativeLink, linkTargets } from '../src/markdown.ts';
import { packTarball } from '../src/pack.ts';
import {
  type Manifest,
  publishedPackages,
  REPOSITORY,
  readManifest,
  root,
  type WorkspacePackage,
} from '../src/workspace.ts';

const packages = publishedPackages();
const scratch = mkdtempSync(join(tmpdir(), 'mcp-oauth-pack-'));
const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');

interface Packed {
  /** The extracted `package/` folder. */
  dir: string;
  /** Every file in the tarball, relative to `package/`, with forward slashes. */
  files: Set<string>;
  manifest: Manifest;
}
const packed = new Map<string, Packed>();

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(path).isDirectory() ? listFiles(path, rel) : [rel];
  });
}

beforeAll(() => {
  for (const pkg of packages) {
    const tarball = packTarball(pkg, scratch);
    const out = dirname(tarball);
    execFileSync('tar', ['-xzf', tarball, '-C', out]);
    const dir = join(out, 'package');
    packed.set(pkg.manifest.name, {
      dir,
      files: new Set(listFiles(dir)),
      manifest: readManifest(join(dir, 'package.json')),
    });
  }
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tarballOf(pkg: WorkspacePackage): Packed {
  const p = packed.get(pkg.manifest.name);
  if (!p) throw new Error(`${pkg.manifest.name} was not packed`);
  return p;
}

/** Every path an `exports` map points to (all conditions). */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

function sourceFiles(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f))
    .map((f) => join(dir, f));
}

it('finds the published packages', () => {
  expect(packages.map((p) => p.manifest.name)).toContain('@mcp-oauth/core');
  expect(packages.map((p) => p.manifest.name)).toContain('@mcp-oauth/cli');
});

it('the repository has the MIT licence at its root', () => {
  expect(rootLicense).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the mcp-oauth authors\n/);
});

describe.each(packages.map((p) => [p.manifest.name, p] as const))('%s', (_name, pkg) => {
  it('ships LICENSE (the root MIT licence), README.md and package.json', () => {
    const { dir, files } = tarballOf(pkg);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(rootLicense);
    expect(pkg.manifest.files ?? []).toContain('LICENSE');
  });

  it('links to its repository folder, home page and issue tracker; licence MIT', () => {
    const { manifest } = tarballOf(pkg);
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository).toEqual({
      type: 'git',
      url: `git+${REPOSITORY}.git`,
      directory: pkg.path,
    });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/${pkg.path}#readme`);
    const bugs = typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url;
    expect(bugs).toBe(`${REPOSITORY}/issues`);
  });

  it('ships every entry of `files`, and every file exports, main, types and bin name', () => {
    const { files } = tarballOf(pkg);
    const has = (path: string) => {
      const p = posix.normalize(path.replace(/^\.\//, ''));
      return files.has(p) || [...files].some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`));
    };
    for (const entry of pkg.manifest.files ?? [])
      expect(has(entry), `"files" entry ${entry} is not in the tarball`).toBe(true);
    const bins =
      typeof pkg.manifest.bin === 'string'
        ? [pkg.manifest.bin]
        : Object.values(pkg.manifest.bin ?? {});
    const targets = [
      ...exportTargets(pkg.manifest.exports),
      ...bins,
      pkg.manifest.main,
      pkg.manifest.types,
    ].filter((t): t is string => typeof t === 'string' && !t.includes('*'));
    for (const target of targets) expect(has(target), `${target} is not in the tarball`).toBe(true);
  });

  it('has no workspace: ranges left in the packed package.json', () => {
    const { manifest } = tarballOf(pkg);
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const)
      for (const [dep, range] of Object.entries(manifest[field] ?? {}))
        expect(range, `${field}.${dep}`).not.toMatch(/^workspace:/);
  });

  it('README links resolve inside the tarball (relative ones) or are absolute URLs', () => {
    const { dir, files } = tarballOf(pkg);
    const broken = linkTargets(readFileSync(join(dir, 'README.md'), 'utf8'))
      .filter(({ target }) => isRelativeLink(target))
      .filter(({ target }) => {
        const path = normalize(target.replace(/[#?].*$/, '')).replaceAll('\\', '/');
        if (path.startsWith('..')) return true;
        const clean = path.replace(/\/$/, '');
        return !files.has(clean) && ![...files].some((f) => f.startsWith(`${clean}/`));
      })
      .map(({ target, line }) => `README.md:${line} ${target}`);
    expect(broken, 'relative links to files that are not in the package').toEqual([]);
  });

  it('ships no script without the scripts it calls', () => {
    const { dir, files } = tarballOf(pkg);
    const names = new Set([...files].map((f) => posix.basename(f)));
    const missing: string[] = [];
    for (const file of [...files].filter((f) => f.endsWith('.sh'))) {
      const code = readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*#/.test(line))
        .join('\n');
      for (const [called] of code.matchAll(/[\w./-]+\.sh\b/g))
        if (!names.has(posix.basename(called))) missing.push(`${file} calls ${called}`);
    }
    expect(missing).toEqual([]);
  });

  it('declares node >=20.19 when its code imports Node built-ins, and no engines otherwise', () => {
    const { dir, files, manifest } = tarballOf(pkg);
    const usesNode = [...files]
      .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .some((f) =>
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)) // not in comments (TSDoc examples)
          .some((line) => /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/.test(line)),
      );
    if (usesNode) expect(manifest.engines).toEqual({ node: '>=20.19' });
    else expect(manifest.engines, 'runtime-neutral code declares no engines').toBeUndefined();
  });

  it('imports every package it depends on (no dependency installed for nothing)', () => {
    const src = join(pkg.dir, 'src');
    const text = existsSync(src)
      ? sourceFiles(src)
          .map((f) => readFileSync(f, 'utf8'))
          .join('\n')
      : '';
    const deps = {
      ...pkg.manifest.dependencies,
      ...pkg.manifest.optionalDependencies,
      ...pkg.manifest.peerDependencies,
    };
    // a type package (`@types/oidc-provider`) is used when its package is and the published
    // declarations need it
    const imported = (dep: string) =>
      [`'${dep}'`, `'${dep}/`, `"${dep}"`, `"${dep}/`].some((s) => text.includes(s));
    const unused = Object.keys(deps).filter(
      (dep) => !imported(dep.startsWith('@types/') ? dep.slice('@types/'.length) : dep),
    );
    expect(unused).toEqual([]);
  });
});
