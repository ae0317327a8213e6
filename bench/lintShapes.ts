/**
 * The command-line targets of issue 12, measured with the bundled CLI (dist/cli/slb-labels.js):
 *   - `slb-labels lint` of 2000 merge-key services against the clean file of the same size
 *     (target: within 1.5x);
 *   - a billion-laughs file padded to about 0.2 MB (target: a `yaml-alias-bomb` finding within 1 s).
 * Median of --runs runs (default 3), wall clock of the whole process, as a user would see it.
 *
 *   node out/bench/lintShapes.js [--runs 3] [--services 2000]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateCompose } from './generateCompose';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli/slb-labels.js');

function billionLaughs(targetBytes: number): string {
  const lines = ['x-lol:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  lines.push('services:');
  // Ordinary services around the bomb, as in a real file, up to the size wanted.
  for (let n = 0; lines.join('\n').length < targetBytes; n++) lines.push(`  svc${n}:`, '    image: nginx', '    labels:', `      aliyun.scale: "1"`);
  lines.push('  web:', '    image: nginx', '    labels: *j');
  return lines.join('\n') + '\n';
}

function timeLint(file: string): { ms: number; status: number | null; stdout: string } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', file], { encoding: 'utf8', timeout: 300_000, maxBuffer: 512 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: run.status, stdout: run.stdout };
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
  const services = Number(args[args.indexOf('--services') + 1]) || 2000;
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-lint-shapes-'));
  try {
    const files = {
      clean: path.join(dir, 'clean.yml'),
      merge: path.join(dir, 'merge.yml'),
      laughs: path.join(dir, 'laughs.yml'),
    };
    fs.writeFileSync(files.clean, generateCompose(services, { seed: 42, shape: 'clean' }).text);
    fs.writeFileSync(files.merge, generateCompose(services, { seed: 42, shape: 'merge' }).text);
    fs.writeFileSync(files.laughs, billionLaughs(200_000));
    const times: Record<keyof typeof files, number[]> = { clean: [], merge: [], laughs: [] };
    let bomb = false;
    for (let r = 0; r < runs; r++) {
      for (const name of Object.keys(files) as (keyof typeof files)[]) {
        const result = timeLint(files[name]);
        times[name].push(result.ms);
        if (name === 'laughs') bomb = result.stdout.includes('yaml-alias-bomb');
      }
    }
    const clean = median(times.clean);
    const merge = median(times.merge);
    const laughs = median(times.laughs);
    const kb = (fs.statSync(files.laughs).size / 1024).toFixed(0);
    process.stdout.write(
      [
        `lint, median of ${runs} runs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}:`,
        '',
        '| file | lint wall time | target |',
        '|---|---|---|',
        `| ${services} merge-key services | ${(merge / 1000).toFixed(2)} s (${(merge / clean).toFixed(2)}x the clean file) | ≤ 1.5x: ${merge / clean <= 1.5 ? 'met' : 'NOT met'} |`,
        `| ${services} clean services | ${(clean / 1000).toFixed(2)} s | – |`,
        `| billion laughs, ${kb} KB | ${(laughs / 1000).toFixed(2)} s, yaml-alias-bomb ${bomb ? 'reported' : 'NOT reported'} | ≤ 1 s with the finding: ${laughs <= 1000 && bomb ? 'met' : 'NOT met'} |`,
        '',
      ].join('\n'),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
