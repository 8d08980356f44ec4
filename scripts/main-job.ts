// The main job (`npm start`): the reference server on its embedded default (SQLite), a short load run
// against it, the conformance suite against both of its protocols, all through the real CLI, and
// where the results are. Both run as child processes, exactly
// as a user would run them; the server uses scrypt cost 1024, recorded beside the result [D-HASH].
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseListening } from '../cli/listening-line.js';
import { spawnTalkbench } from '../test-support/talkbench-cli.js';
import { esc, page, table, tag, verdictBox } from '../reports/render/html/page.js';

const SCRYPT_COST = 1024;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const dir = resolve('results', stamp);

function talkbench(args: string[], stdout: 'pipe' | 'inherit') {
  return spawnTalkbench(args, { stdio: ['ignore', stdout, 'inherit'] });
}

async function main(): Promise<number> {
  await mkdir(dir, { recursive: true });
  const server = talkbench(['serve', '--data', join(dir, 'data'), '--im-port', '0', '--chat-port', '0', '--http-port', '0', '--scrypt-cost', String(SCRYPT_COST), '--log-level', 'error'], 'pipe');
  const lines: string[] = [];
  const ports: Record<string, number> = {};
  const { im: imPort, chat: chatPort } = await new Promise<{ im: number; chat: number }>((done, fail) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        process.stdout.write(`[serve] ${line}\n`);
        const listening = parseListening(line);
        if (listening) ports[listening.name] = listening.port;
        if (ports.im !== undefined && ports.chat !== undefined) done({ im: ports.im, chat: ports.chat });
      }
    });
    server.on('exit', (code) => fail(new Error(`the server exited (${code}) before listening`)));
  });
  await writeFile(join(dir, 'target.json'), JSON.stringify({ target: 'talkbench reference server', storage: 'SQLite (WAL)', scryptCost: SCRYPT_COST, listening: lines }, null, 1) + '\n');
  // Each step as a child process, as a user runs it; its exit code is kept, and the job goes on, so
  // every report is written even when one step fails.
  const step = (args: string[], stdout: 'pipe' | 'inherit' = 'inherit'): Promise<number> => {
    const child = talkbench(args, stdout);
    return new Promise<number>((done) => child.on('exit', (c) => done(c ?? 1)));
  };
  const codes: { what: string; code: number }[] = [];
  codes.push({ what: 'load (IM)', code: await step(['load', '--target', `127.0.0.1:${imPort}`, '--users', '1000', '--ramp-up', '5s', '--duration', '20s',
    '--chat-rate', '0.5', '--heartbeat-interval', '2s', '--upload-rate', '0.02', '--status-rate', '0.02',
    '--threshold', 'chat.lost==0', '--target-scrypt-cost', String(SCRYPT_COST), '--out', join(dir, 'load-im.json')]) });
  process.stdout.write('\n');
  codes.push({ what: 'load (CHAT/1.0)', code: await step(['load', '--protocol', 'chat', '--target', `127.0.0.1:${chatPort}`, '--users', '100', '--ramp-up', '1s', '--duration', '5s',
    '--chat-rate', '1', '--out', join(dir, 'load-chat.json')]) });
  for (const [protocol, port] of [['im', imPort], ['chat', chatPort]] as const) {
    process.stdout.write('\n');
    codes.push({ what: `conform (${protocol === 'im' ? 'IM' : 'CHAT/1.0'})`, code: await step(['conform', '--target', `127.0.0.1:${port}`, '--protocol', protocol, '--quiet',
      '--json', join(dir, `conform-${protocol}.json`), '--junit', join(dir, `conform-${protocol}.xml`), '--transcripts', join(dir, `transcripts-${protocol}`)]) });
  }
  server.kill('SIGTERM');
  await new Promise((done) => server.on('exit', done));
  // The reports: HTML and Markdown beside each result, and one page that links them all.
  const results = ['load-im', 'load-chat', 'conform-im', 'conform-chat'];
  for (const name of results) {
    codes.push({ what: `report ${name}`, code: await step(['report', join(dir, `${name}.json`), '--html', join(dir, `${name}.html`), '--md', join(dir, `${name}.md`)], 'pipe') });
  }
  await writeFile(join(dir, 'index.html'), indexPage(stamp, codes, results));
  process.stdout.write([
    '', `results in ${dir}/`,
    '  index.html                        every report, linked, with each step\'s verdict',
    '  load-im.json, load-chat.json      the load results (talkbench load --out), with HTML (.html) and Markdown (.md) beside them',
    '  conform-im.json, conform-chat.json  the conformance results (talkbench conform --json), with HTML, Markdown and JUnit (.xml)',
    '  target.json                       what was measured (server, storage, scrypt cost)',
    "  data/                             the server's SQLite database and files", '',
  ].join('\n'));
  for (const c of codes.filter((x) => x.code !== 0)) process.stdout.write(`failed: ${c.what} (exit ${c.code})\n`);
  // The job fails when any step does: the first failing step's code.
  return codes.find((c) => c.code !== 0)?.code ?? 0;
}

/** One self-contained page linking every report of the run, in the reports' own shell (no script, no network). */
function indexPage(when: string, codes: readonly { what: string; code: number }[], results: readonly string[]): string {
  const failed = codes.filter((c) => c.code !== 0);
  const link = (file: string, text = file): string => `<a href="${esc(file)}">${esc(text)}</a>`;
  const steps = table([{ header: 'step' }, { header: 'verdict' }], codes.map((c) => [esc(c.what), c.code === 0 ? tag('pass', 'passed') : tag('fail', `failed (exit ${c.code})`)]));
  const files = table([{ header: 'result' }, { header: 'report' }, { header: 'also' }], results.map((r) => [
    link(`${r}.json`), link(`${r}.html`, 'HTML'), [link(`${r}.md`, 'Markdown'), ...(r.startsWith('conform') ? [link(`${r}.xml`, 'JUnit')] : [])].join(' · '),
  ]));
  const body = `<h1>talkbench main job</h1>
<p class="muted">${esc(when)}: the reference server on SQLite, a load run of 1,000 IM users and one of CHAT/1.0, and the conformance suite for both protocols.</p>
${verdictBox(failed.length === 0 ? 'pass' : 'fail', failed.length === 0 ? 'Every step passed' : `${failed.length} step(s) failed`, failed.map((c) => `${c.what}: exit ${c.code}`))}
<h2>Steps</h2>${steps}
<h2>Reports</h2>${files}
<p>${link('target.json')}: what was measured.</p>`;
  return page({ title: `talkbench main job ${when}`, body, generator: 'talkbench main job', charts: false });
}

main().then((code) => { process.exitCode = code; }, (err: Error) => {
  process.stderr.write(`main job failed: ${err.message}\n`);
  process.exitCode = 1;
});
