// Bundles the three shipped entry points; tsc (npm run typecheck) does type checking and builds tests.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  logLevel: 'warning',
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  // Started as a bin (other editors), the server gets what the VS Code client gives it: one V8
  // background thread, so garbage collection does not take both cores of a small machine from the
  // thread that answers completion. (`env -S` splits the arguments; npm's Windows shims read it too.)
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js', banner: { js: '#!/usr/bin/env -S node --v8-pool-size=1 --max-semi-space-size=4' } },
  // Validation runs on a worker thread so completion/hover never wait for it.
  { ...common, entryPoints: ['server/src/lsp/validationWorker.ts'], outfile: 'dist/server/validationWorker.js' },
  { ...common, entryPoints: ['server/src/cli/slbLabels.ts'], outfile: 'dist/cli/slb-labels.js', banner: { js: '#!/usr/bin/env node' } },
  // The SLB sandbox is a development/test tool: its own bundle, loaded by `slb-labels sandbox`
  // at run time and left out of the .vsix (its seed carries a test TLS key).
  { ...common, entryPoints: ['sandbox/src/index.ts'], outfile: 'dist/sandbox/index.js' },
];
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
