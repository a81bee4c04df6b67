// Which test files are in the fast tier (`npm run test:fast`): those that need nothing but Node and the checkout. A file
// needs what any module it reaches needs, followed through every local import (static, dynamic, `export … from`).
// What a module needs is written once, in that module, as a line comment:
//     // test-needs: root, dockerd — why, in words
// test/support/dockerd.ts says it once, and every test that starts a daemon, directly or through another helper, is out
// of the fast tier; a new pure test is in it without a list to edit. A test file that needs something of its own
// (chown to another user, unshare, the built CLI) says so at its top.
// `node --import tsx scripts/test-tiers.ts` lists every test file with its tier and why.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What a test may need. root: uid 0 (chown, setuid, namespaces, users); build: dist/ from scripts/build.mjs. */
export const NEEDS = ['root', 'dockerd', 'chromium', 'sshd', 'build'] as const;
export type Need = (typeof NEEDS)[number];

// The list, then anything after it (the why).
const MARKER = /^[ \t]*\/\/[ \t]*test-needs:[ \t]*([a-z]+(?:[ \t]*,[ \t]*[a-z]+)*)/gm;
const RESOLVE = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts', '/index.tsx'];
const TEST_DIRS = ['main', 'shared', 'test', 'scripts', 'renderer/src', 'e2e'];

const isNeed = (s: string): s is Need => (NEEDS as readonly string[]).includes(s);

/** The needs a module's own text declares; an unknown word is an error, not a silent fast test. */
export function declaredNeeds(file: string, text: string): Set<Need> {
  const needs = new Set<Need>();
  for (const [, list] of text.matchAll(MARKER)) {
    for (const need of list!.split(/[ \t]*,[ \t]*/)) {
      if (!isNeed(need)) throw new Error(`${file}: unknown test need "${need}" (known: ${NEEDS.join(', ')})`);
      needs.add(need);
    }
  }
  return needs;
}

const isFile = (f: string) => existsSync(f) && statSync(f).isFile();

/** The local modules a module imports, resolved as tsx resolves them (a .js specifier may name a .ts file). */
function localImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec);
    const found = [...RESOLVE.map((ext) => base + ext), base.replace(/\.[cm]?js$/, '.ts')].find(isFile);
    if (found) out.push(found);
  }
  return out;
}

/** Everything a test file needs, each with the module that says so. One cache for the modules many tests share. */
export function tierClassifier(): (file: string) => Map<Need, string> {
  const modules = new Map<string, { needs: Set<Need>; imports: string[] }>();
  const read = (file: string) => {
    let m = modules.get(file);
    if (!m) {
      const text = /\.[cm]?[jt]sx?$/.test(file) ? readFileSync(file, 'utf8') : '';
      m = { needs: declaredNeeds(file, text), imports: text ? localImports(file, text) : [] };
      modules.set(file, m);
    }
    return m;
  };
  return (file) => {
    const start = path.resolve(file);
    const seen = new Set([start]);
    const queue = [start];
    const needs = new Map<Need, string>();
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      const m = read(f);
      for (const n of m.needs) if (!needs.has(n)) needs.set(n, f);
      for (const next of m.imports.filter((i) => !seen.has(i))) {
        seen.add(next);
        queue.push(next);
      }
    }
    return needs;
  };
}

/** Every test file under `root`, relative to it, sorted; `filter` keeps those whose path contains one of its words. */
export function findTests(root = '.', filter: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.test.ts')) out.push(rel);
    }
  };
  for (const dir of TEST_DIRS) if (existsSync(path.join(root, dir))) walk(dir);
  return out.filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();
}

/** The fast tier among `files` (paths relative to `root`): those that need nothing. */
export function fastTests(files: readonly string[], root = '.'): string[] {
  const needsOf = tierClassifier();
  return files.filter((f) => needsOf(path.join(root, f)).size === 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const needsOf = tierClassifier();
  for (const f of findTests('.', process.argv.slice(2))) {
    const needs = [...needsOf(f)].map(([n, from]) => `${n} (${path.relative('.', from)})`);
    console.log(`${needs.length === 0 ? 'fast' : 'full'}  ${f}${needs.length ? `  needs ${needs.join(', ')}` : ''}`);
  }
}
