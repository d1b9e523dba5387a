// Bundle sizes (a command; packages/core/test/bundle.test.ts holds the same applications to
// budgets): `npm run bench bundle`, or after a build
//   node bench/bundle.mjs            the table
//   node bench/bundle.mjs --inputs   and, per application, the bytes of each source file
// What an application pays for the OAuth client when it bundles for the browser: the cases of
// bundle-apps.mjs, each bundled into ONE file by esbuild (platform browser, minified, no code
// splitting, so lazily imported code counts too), then gzipped at level 9. The official SDK's
// client auth (v1 `@modelcontextprotocol/sdk/client/auth.js`, v2 `@modelcontextprotocol/client`)
// is measured the same way, beside ours, and so is the SDK's Streamable HTTP client transport,
// which the application of issue 14's aim (createOAuthClient + memoryStore + the SDK transport)
// bundles too.
import { createRequire } from 'node:module';
import { cases, comparisons, measure } from './bundle-apps.mjs';

export { cases, measure };

const require = createRequire(import.meta.url);
const resolvable = (specifier) => {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const inputs = process.argv.includes('--inputs');
  console.log('single-file bundles (esbuild, browser, minified), gzip level 9\n');
  console.log('| application | minified | gzipped | aim |');
  console.log('|---|---|---|---|');
  const details = [];
  for (const c of [...cases, ...comparisons]) {
    if (c.specifier && !resolvable(c.specifier)) {
      console.log(`| ${c.name} | not installed | | |`);
      continue;
    }
    const { minified, gzip, byInput } = await measure(c.source);
    const aim = c.aim ? `${(c.aim / 1000).toFixed(1)} kB ${gzip <= c.aim ? 'met' : 'missed'}` : '';
    console.log(
      `| ${c.name} | ${(minified / 1000).toFixed(1)} kB | ${(gzip / 1000).toFixed(1)} kB (${gzip.toLocaleString('en')} B) | ${aim} |`,
    );
    if (inputs && !c.specifier)
      details.push(
        `\n${c.name}\n${Object.entries(byInput)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${String(v).padStart(7)}  ${k}`)
          .join('\n')}`,
      );
  }
  if (details.length) console.log(details.join('\n'));
}
