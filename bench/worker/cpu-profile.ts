// A CPU profile of one generator worker, for the project's own performance work: with
// TALKBENCH_CPU_PROFILE=DIR each worker thread profiles its run through the inspector and writes
// DIR/worker-<process>-<worker>.cpuprofile (open it in Chrome's DevTools, or read it with any
// .cpuprofile tool). `node --cpu-prof` cannot do it: it writes a thread's profile when the thread
// exits of its own accord, and the pool ends its threads.
import { Session } from 'node:inspector/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface WorkerProfile { stop(): Promise<void> }

export async function startWorkerProfile(worker: number): Promise<WorkerProfile | null> {
  const dir = process.env.TALKBENCH_CPU_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 100 µs between samples: the hot path's calls are a few microseconds each.
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `worker-${process.pid}-${worker}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
