// The direction imports may go, written down once: `npm run lint:deps` (run by `npm test` before type-checking) fails
// on an import against it, on any import cycle and on a module nothing imports. The README's "Layers" section is this
// table in words.
//
// Each layer lists the layers it may import besides itself; node's built-ins and npm packages are always allowed.
// Data flows one way: discover → collect → checks (pure functions of the facts) → report; a fix plans, applies and
// audits again; the API, the CLI and the desktop shell sit on top and nothing imports them. Tests may import across
// layers (a check's test collects real facts), but not in a cycle.
const LAYERS = {
  // Schemas and pure models shared by main and the renderer.
  shared: [],
  // The React UI: talks to main only through the typed channel map in shared/.
  renderer: ['shared'],
  'main/version': [],
  // Helpers with no domain of their own: atomic writes, timeouts, processes, the passwd/group parsers, IPv4 arithmetic.
  'main/util': ['shared'],
  // The machine Dockhand reads (local, an offline root, a fixture) and the daemon's own option rules (pre-flight).
  'main/host': ['shared', 'main/util'],
  'main/preflight': ['shared', 'main/util'],
  // Where the UI's files are served from and under which CSP: shared by the desktop shell and `dockhand serve`.
  'main/ui-assets': ['shared'],
  // The pure toolkit checks are written with, shared with policy, fix builders and the report: result builders,
  // applicability, the daemon view, the proxy model and Go's NO_PROXY matching.
  'main/check-kit': ['shared', 'main/util', 'main/preflight'],
  'main/engine': ['shared', 'main/util', 'main/host'],
  'main/discover': ['shared', 'main/util', 'main/host'],
  'main/collect': ['shared', 'main/util', 'main/host', 'main/preflight', 'main/engine', 'main/discover', 'main/version'],
  // Checks are pure functions of the facts snapshot: no collector, no engine, no fix.
  'main/checks': ['shared', 'main/util', 'main/preflight', 'main/check-kit'],
  'main/policy': ['shared', 'main/util', 'main/preflight', 'main/check-kit', 'main/checks'],
  'main/report': ['shared', 'main/util', 'main/check-kit', 'main/version'],
  'main/audit': ['shared', 'main/util', 'main/collect', 'main/checks', 'main/policy', 'main/report'],
  // The fix installs the scheduled prune, so it reads prune's vocabulary (filters, the protect label).
  'main/fix': [
    'shared',
    'main/util',
    'main/host',
    'main/preflight',
    'main/discover',
    'main/collect',
    'main/check-kit',
    'main/audit',
    'main/prune',
  ],
  'main/prune': ['shared', 'main/util', 'main/host', 'main/discover', 'main/collect', 'main/version'],
  // The top: nothing below imports these, and they do not import each other (serve is a command of the CLI).
  'main/api': ['shared', 'main/util', 'main/host', 'main/discover', 'main/collect', 'main/audit', 'main/fix', 'main/prune', 'main/version'],
  'main/serve': ['shared', 'main/util', 'main/api', 'main/ui-assets'],
  'main/electron': ['shared', 'main/util', 'main/host', 'main/api', 'main/ui-assets', 'main/version'],
  'main/cli': [
    'shared',
    'main/util',
    'main/host',
    'main/preflight',
    'main/discover',
    'main/collect',
    'main/checks',
    'main/policy',
    'main/report',
    'main/audit',
    'main/fix',
    'main/prune',
    'main/api',
    'main/serve',
    'main/version',
  ],
};

/** A layer's modules: a folder, or (main/version, main/audit) one file. */
const pathOf = (layer) => `^${layer}(/|\\.tsx?$)`;
const TESTS = '\\.test\\.tsx?$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycle, type-only imports included.', from: {}, to: { circular: true } },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points and tests excepted).',
      from: {
        orphan: true,
        pathNot: [TESTS, '\\.d\\.ts$', '^main/cli/index\\.ts$', '^main/electron/(main|preload)\\.ts$', '^renderer/src/main\\.tsx$'],
      },
      to: {},
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (a moved module) is caught here, before the type-check.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^sarif$' },
    },
  ],
  allowedSeverity: 'error',
  allowed: [
    { comment: "node's built-ins and npm packages", from: {}, to: { dependencyTypesNot: ['local'] } },
    { comment: 'tests import across layers', from: { path: TESTS }, to: {} },
    { comment: "test support, scripts and benches are the tests' own", from: { path: '^(test|scripts|bench|e2e)/' }, to: {} },
    ...Object.entries(LAYERS).map(([layer, may]) => ({
      comment: `${layer} may import ${may.length > 0 ? may.join(', ') : 'only itself'}`,
      from: { path: pathOf(layer) },
      to: { path: [layer, ...may].map(pathOf) },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a cycle through types is still a cycle for the reader.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json'] },
  },
};
