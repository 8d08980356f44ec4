// The main job (`npm start`): the reference server on its embedded default (SQLite), a short load run
// against it, the conformance suite against both of its protocols, all through the real CLI, and
// where the results are. Both run as child processes, exactly
// as a user would run them; the server uses scrypt cost 1024, recorded beside the result [D-HASH].
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseListening } from '../cli/listening-line.js';
import { spawnTalkbench } from '../test-support/talkbench-cli.js';

const SCRYPT_COST = 1024;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const dir = resolve('results', stamp);

function talkbench(args: string[], stdout: 'pipe' | 'inherit') {
  return spawnTalkbench(args, { stdio: ['ignore', stdout, 'inherit'] });
}

async function main(): Promise<number> {
  await mkdir(dir, { recursive: true });
  const server = talkbench(['serve', '--data', join(dir, 'data'), '--im-port', '0', '--chat-port', '0', '--http-port', '0', '--scrypt-cost', String(SCRYPT_COST), '--log-level', 'warn'], 'pipe');
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
  const out = join(dir, 'load.json');
  const load = talkbench(['load', '--target', `127.0.0.1:${imPort}`, '--users', '200', '--ramp-up', '2s', '--duration', '10s',
    '--chat-rate', '1', '--heartbeat-interval', '2s', '--upload-rate', '0.05', '--status-rate', '0.05',
    '--threshold', 'chat.lost==0', '--target-scrypt-cost', String(SCRYPT_COST), '--out', out], 'inherit');
  const code = await new Promise<number>((done) => load.on('exit', (c) => done(c ?? 1)));
  const conformCodes: number[] = [];
  for (const [protocol, port] of [['im', imPort], ['chat', chatPort]] as const) {
    process.stdout.write(`\n`);
    const conform = talkbench(['conform', '--target', `127.0.0.1:${port}`, '--protocol', protocol, '--quiet',
      '--json', join(dir, `conform-${protocol}.json`), '--junit', join(dir, `conform-${protocol}.xml`), '--transcripts', join(dir, `transcripts-${protocol}`)], 'inherit');
    conformCodes.push(await new Promise<number>((done) => conform.on('exit', (c) => done(c ?? 1))));
  }
  server.kill('SIGTERM');
  await new Promise((done) => server.on('exit', done));
  process.stdout.write([
    '', `results in ${dir}/`,
    '  load.json          the load result (talkbench load --out)',
    '  conform-im.json    the conformance results, IM and CHAT/1.0 (talkbench conform --json), with JUnit beside them (.xml)',
    '  conform-chat.json',
    '  target.json        what was measured (server, storage, scrypt cost)',
    "  data/              the server's SQLite database and files", '',
  ].join('\n'));
  // The job fails when any part does: the load run's verdict first, then each conformance run's.
  return [code, ...conformCodes].find((c) => c !== 0) ?? 0;
}

main().then((code) => { process.exitCode = code; }, (err: Error) => {
  process.stderr.write(`main job failed: ${err.message}\n`);
  process.exitCode = 1;
});
