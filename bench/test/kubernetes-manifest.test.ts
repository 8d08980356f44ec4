// deploy/kubernetes/load-job.yaml: valid against the Kubernetes API schema, an Indexed Job whose pods
// are the shards of one run, and a pod script that does what its comments say (run with a stand-in
// `talkbench`, so no cluster is needed).
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const MANIFEST = fileURLToPath(new URL('../../deploy/kubernetes/load-job.yaml', import.meta.url));
let text: string;
let job: IJob;
let dir: string;

beforeAll(async () => {
  text = await readFile(MANIFEST, 'utf8');
  job = parse(text) as IJob;
  dir = await mkdtemp(join(tmpdir(), 'tb-k8s-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const spec = (): NonNullable<IJob['spec']> => job.spec!;
const container = () => spec().template.spec!.containers[0]!;
const env = (name: string): string | undefined => container().env?.find((e) => e.name === name)?.value;
const script = (): string => container().args![0]!;

describe('the load Job manifest', () => {
  test('is a valid batch/v1 Job by the Kubernetes API schema', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(() => new Job(job).validate()).not.toThrow();
    // The validator is live: a wrong type is caught (it does not catch unknown fields, as kubectl does).
    const broken = { ...job, spec: { ...spec(), completions: '4' as unknown as number } };
    expect(() => new Job(broken).validate()).toThrow(/completions must be integer/);
  });

  test('is Indexed, every shard at once, no retries', () => {
    expect(spec().completionMode).toBe('Indexed');
    expect(spec().completions).toBeGreaterThan(1);
    expect(spec().parallelism).toBe(spec().completions);
    expect(Number(env('SHARDS'))).toBe(spec().completions);
    expect(spec().backoffLimit).toBe(0);
    expect(spec().template.spec!.restartPolicy).toBe('Never');
  });

  test('runs load with --shard from the completion index and --out under the results volume', () => {
    expect(container().command).toEqual(['sh', '-c']);
    expect(script()).toMatch(/talkbench load /);
    expect(script()).toContain('shard="$((JOB_COMPLETION_INDEX + 1))/$SHARDS"');
    expect(script()).toMatch(/--shard "\$shard"/);
    expect(script()).toMatch(/--out "\$out"/);
    expect(script()).toContain('out="$RESULTS/shard-$JOB_COMPLETION_INDEX.json"');
    const mount = container().volumeMounts?.find((m) => m.mountPath === env('RESULTS'));
    expect(mount, 'RESULTS is a mounted volume').toBeDefined();
    expect(spec().template.spec!.volumes?.map((v) => v.name)).toContain(mount!.name);
  });

  test('sets requests and limits, and as many workers as the CPU limit', () => {
    const { requests, limits } = container().resources ?? {};
    for (const key of ['cpu', 'memory']) {
      expect(requests?.[key], `requests.${key}`).toBeDefined();
      expect(limits?.[key], `limits.${key}`).toBeDefined();
    }
    expect(/--workers (\d+)/.exec(script())?.[1]).toBe(String(limits!.cpu));
  });
});

/** A stand-in talkbench: records its arguments, writes {"shard": ...} to --out unless told not to, exits STUB_EXIT. */
const STUB = `#!/bin/sh
echo "$@" > "$STUB_DIR/args"
out=""; shard=""
while [ $# -gt 0 ]; do
  case "$1" in --out) out="$2"; shift ;; --shard) shard="$2"; shift ;; esac
  shift
done
if [ -n "\${STUB_WAIT_TERM:-}" ]; then
  trap 'echo "{\\"shard\\": \\"$shard\\", \\"interrupted\\": true}" > "$out"; exit 130' TERM
  touch "$STUB_DIR/started"
  while :; do sleep 0.05; done
fi
[ -n "\${STUB_NO_RESULT:-}" ] || echo "{\\"shard\\": \\"$shard\\"}" > "$out"
echo "summary of shard $shard"
exit "\${STUB_EXIT:-0}"
`;

interface PodRun { code: number | null; stdout: string; stderr: string }

async function runPod(extraEnv: Record<string, string>, whileRunning?: (kill: () => void) => Promise<void>): Promise<PodRun> {
  await writeFile(join(dir, 'talkbench'), STUB);
  await chmod(join(dir, 'talkbench'), 0o755);
  await rm(join(dir, 'started'), { force: true });
  const podEnv = Object.fromEntries((container().env ?? []).map((e) => [e.name, e.value ?? '']));
  const child = spawn('sh', ['-c', script()], {
    env: { ...podEnv, PATH: `${dir}:${process.env.PATH ?? ''}`, JOB_COMPLETION_INDEX: '2', RESULTS: dir, STUB_DIR: dir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await whileRunning?.(() => child.kill('SIGTERM'));
  return { code: await exited, stdout, stderr };
}

describe('the pod script', () => {
  test('runs shard index+1 of SHARDS and prints its result between markers, exit 0 whatever the shard exited', async () => {
    const run = await runPod({ STUB_EXIT: '99' });
    expect(run.code, run.stderr).toBe(0);
    const args = await readFile(join(dir, 'args'), 'utf8');
    expect(args).toContain('--shard 3/4');
    expect(args).toContain(`--out ${dir}/shard-2.json`);
    expect(run.stdout).toBe('talkbench-result-begin shard-2\n{"shard": "3/4"}\ntalkbench-result-end\n');
    expect(run.stderr).toContain('summary of shard 3/4');
  });

  test('the collection command in the comments cuts the result out of the log', async () => {
    const awk = /awk '([^']+)'/.exec(text)?.[1];
    expect(awk).toBeDefined();
    const log = `some progress\n${(await runPod({})).stdout}more\n`;
    const collect = spawn('awk', [awk!], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
    collect.stdin.end(log);
    expect(await new Promise((resolve) => collect.on('exit', resolve))).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'shard-2.json'), 'utf8'))).toEqual({ shard: '3/4' });
  });

  test('passes SIGTERM on and still prints the result written on the way out', async () => {
    const run = await runPod({ STUB_WAIT_TERM: '1' }, async (kill) => {
      for (let i = 0; i < 200; i++) {
        if (await readFile(join(dir, 'started')).then(() => true, () => false)) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      kill();
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('{"shard": "3/4", "interrupted": true}');
  });

  test('fails with talkbench\'s exit code when no result was written', async () => {
    await rm(join(dir, 'shard-2.json'), { force: true });
    const run = await runPod({ STUB_NO_RESULT: '1', STUB_EXIT: '2' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('shard 3/4 wrote no result (exit 2)');
  });
});
