// The LSP layer of the fuzz harness: the real server over stdio gets the real-world corpus, mangled
// by random didChange edits (out-of-range positions, reversed ranges, versions that go backwards,
// several changes per notification), with completion, hover and codeAction in between. Invariants:
// no error response, no crash, no hang; every request answered within 2 s; the final diagnostics
// equal those of a fresh open of the same text. Not a test file (fuzz.test.ts, scripts/fuzz.mjs).
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { prng } from '../../bench/generateCompose';
import { LineDocument } from '../../server/src/engine/lineDocument';
import { CORPUS_DIR, LspTestClient } from '../lsp/lspClient';

const REQUEST_LIMIT_MS = 2000;
const DIAGNOSTICS_LIMIT_MS = 10000;
const PIECES = ['\n', ' ', '  ', ':', ': ', '- ', '#', '&a ', '*a', '<<: *a', '[', ']', '{', '}', '"', "'", '|', '>', '\t', '\r\n', '---\n', '%', '!', '\u0000', '中', 'aliyun.', 'aliyun.lb.port_80: ', 'tcp://slb_web:80', 'labels:\n', 'ports:\n', '      - "80:80"\n', '${SLB}', '\n  aliyun.lb.port_80: tcp://slb_web:'];

type Random = () => number;

interface Position {
  line: number;
  character: number;
}

export interface LspFuzzReport {
  seed: number;
  rounds: number;
  requests: number;
  edits: number;
  slowestRequestMs: number;
  failure?: string;
}

/** The seed of one round, so a failing round replays alone (FUZZ_SEED + FUZZ_ROUND). */
function roundSeed(seed: number, round: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(round + 1, 0x85ebca6b)) >>> 0;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function int(random: Random, max: number): number {
  return Math.floor(random() * (max + 1));
}

/** Diagnostics as comparable text: the URI in related information is the document's own, so it is left out. */
function comparable(diagnostics: Diagnostic[]): string[] {
  return diagnostics
    .map((d) => JSON.stringify([d.range, d.severity, d.code, d.message, d.relatedInformation?.map((r) => [r.location.range, r.message]), d.data]))
    .sort();
}

class Failure extends Error {}

export async function runLspFuzz(seed: number, timeLimitMs: number, onlyRound?: number, log: (line: string) => void = () => undefined): Promise<LspFuzzReport> {
  const files = fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yml')).sort();
  if (files.length === 0) throw new Error(`no corpus files in ${CORPUS_DIR}`);
  const texts = files.map((f) => fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8'));
  const corpusLines = texts.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== '');
  const client = await LspTestClient.start();
  const report: LspFuzzReport = { seed, rounds: 0, requests: 0, edits: 0, slowestRequestMs: 0 };
  const deadline = Date.now() + timeLimitMs;
  let opLog: string[] = [];
  let round = onlyRound ?? 0;
  try {
    for (; onlyRound !== undefined ? round === onlyRound : Date.now() < deadline; round++) {
      opLog = [];
      const random = prng(roundSeed(seed, round));
      const fileIndex = int(random, files.length - 1);
      const uri = `file:///fuzz/r${round}-${files[fileIndex]}`;
      const mirror = new LineDocument(uri, 'dockercompose', 1, texts[fileIndex]);
      let version = 1;
      let maxVersion = 1;
      const pending: Promise<void>[] = [];
      opLog.push(`open ${files[fileIndex]}`);
      await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version, text: mirror.getText() } });

      const randomPosition = (): Position => {
        const line = int(random, mirror.lineCount + 1);
        const length = line < mirror.lineCount ? mirror.lineText(line).length : 0;
        // Mostly inside the line, sometimes past its end or past the last line (out of range).
        return { line, character: random() < 0.8 ? int(random, length) : length + int(random, 40) };
      };
      const insertText = () => {
        const parts: string[] = [];
        for (let n = 1 + int(random, 3); n > 0; n--) parts.push(random() < 0.3 ? pick(random, corpusLines) + '\n' : pick(random, PIECES));
        return parts.join('');
      };
      const request = (method: string, params: unknown) => {
        const started = Date.now();
        report.requests++;
        opLog.push(`${method} ${JSON.stringify(params)}`);
        pending.push(
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Failure(`${method} was not answered within ${REQUEST_LIMIT_MS} ms`)), REQUEST_LIMIT_MS);
            client.request(method, params).then(
              () => {
                clearTimeout(timer);
                report.slowestRequestMs = Math.max(report.slowestRequestMs, Date.now() - started);
                resolve();
              },
              (error: Error) => {
                clearTimeout(timer);
                reject(new Failure(`${method} answered with an error: ${error.message}`));
              },
            );
          }),
        );
      };

      const steps = 5 + int(random, 25);
      for (let step = 0; step < steps; step++) {
        const changes: ({ range: { start: Position; end: Position }; text: string } | { text: string })[] = [];
        const roll = random();
        // Now and then the whole text: another corpus file, or a few pieces (what a user starts a file with).
        if (roll < 0.06) changes.push({ text: random() < 0.5 ? pick(random, texts) : insertText() });
        else {
          for (let n = random() < 0.15 ? 2 + int(random, 2) : 1; n > 0; n--) {
            let start = randomPosition();
            let end = random() < 0.5 ? start : randomPosition();
            if ((end.line < start.line || (end.line === start.line && end.character < start.character)) && random() < 0.8) [start, end] = [end, start];
            changes.push({ range: { start, end }, text: random() < 0.25 ? '' : insertText() });
          }
        }
        // Versions mostly go up; sometimes a client sends an older number.
        version = random() < 0.1 ? Math.max(0, version - 1 - int(random, 2)) : maxVersion + 1;
        maxVersion = Math.max(maxVersion, version);
        mirror.update(changes, version);
        report.edits++;
        opLog.push(`change v${version} ${JSON.stringify(changes)}`);
        await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
        for (let n = int(random, 3); n > 0; n--) {
          const kind = random();
          const position = randomPosition();
          const target = random() < 0.05 ? 'file:///fuzz/not-open.yml' : uri;
          if (kind < 0.45) request('textDocument/completion', { textDocument: { uri: target }, position });
          else if (kind < 0.75) request('textDocument/hover', { textDocument: { uri: target }, position });
          else {
            const diagnostics = client.latestDiagnostics(uri)?.diagnostics ?? [];
            request('textDocument/codeAction', { textDocument: { uri: target }, range: { start: position, end: randomPosition() }, context: { diagnostics: diagnostics.slice(0, 3) } });
          }
        }
      }
      // A last edit with a version above all others: its diagnostics are the final ones.
      version = maxVersion + 1;
      const finalChange = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' };
      mirror.update([finalChange], version);
      const finalDiagnostics = client.nextDiagnostics(uri, version, DIAGNOSTICS_LIMIT_MS);
      await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [finalChange] });
      await Promise.all(pending);
      const final: PublishDiagnosticsParams = await finalDiagnostics.catch((error: Error) => {
        throw new Failure(`no final diagnostics: ${error.message.slice(0, 300)}`);
      });
      const freshUri = `file:///fuzz/r${round}-fresh.yml`;
      const fresh = await client.open(freshUri, mirror.getText()).catch((error: Error) => {
        throw new Failure(`no diagnostics for a fresh open: ${error.message.slice(0, 300)}`);
      });
      const a = comparable(final.diagnostics);
      const b = comparable(fresh.diagnostics);
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new Failure(`the final diagnostics differ from a fresh open of the same text.\nafter the edits only:\n${a.filter((x) => !b.includes(x)).join('\n')}\nfresh open only:\n${b.filter((x) => !a.includes(x)).join('\n')}\ntext: ${JSON.stringify(mirror.getText())}`);
      }
      await client.notify('textDocument/didClose', { textDocument: { uri } });
      await client.notify('textDocument/didClose', { textDocument: { uri: freshUri } });
      if (client.process.exitCode !== null) throw new Failure(`the server exited with code ${client.process.exitCode}`);
      const errors = client.notifications.filter((n) => n.startsWith('window/logMessage') && (/"type":1[,}]/.test(n) || /restarting the validation worker/.test(n)));
      if (errors.length > 0) throw new Failure(`the server logged: ${errors.join('\n').slice(0, 2000)}`);
      report.rounds++;
      if (report.rounds % 20 === 0) log(`lsp fuzz: ${report.rounds} rounds, ${report.requests} requests, slowest ${report.slowestRequestMs} ms`);
    }
  } catch (error) {
    const what = error instanceof Failure ? error.message : `${(error as Error)?.stack ?? String(error)}`;
    report.failure = `${what}\nround ${round}; replay: FUZZ_SEED=${seed} FUZZ_ROUND=${round}\nlast operations:\n${opLog.slice(-12).join('\n').slice(0, 6000)}\nserver stderr: ${client.stderr.join('').slice(-2000)}`;
  } finally {
    await client.stop();
  }
  return report;
}
