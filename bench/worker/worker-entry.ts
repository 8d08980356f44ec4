// The piscina task: one per worker thread for the whole run. It owns a slice of the connections or
// users and their sockets, and returns its counters and encoded histograms.
import { initHistograms } from '../../reports/schema/histogram.js';
import { runChatUsers } from '../engine/chat-users.js';
import { runImUsers } from '../engine/im-users.js';
import { runPing } from '../engine/ping.js';
import type { GoMessage, ReadyMessage, WorkerResult, WorkerTask } from './task.js';
import { WorkerContext } from './worker-context.js';
import { startWorkerProfile } from './cpu-profile.js';

/** Tells the main thread this worker is loaded, and waits for the run's timeline. */
function handshake(task: WorkerTask): Promise<GoMessage['timeline']> {
  return new Promise((resolve) => {
    const onMessage = (message: GoMessage): void => {
      if (message.kind !== 'go') return;
      task.port.off('message', onMessage);
      resolve(message.timeline);
    };
    task.port.on('message', onMessage);
    const ready: ReadyMessage = { kind: 'ready', worker: task.worker };
    task.port.postMessage(ready);
  });
}

export default async function runWorker(task: WorkerTask): Promise<WorkerResult> {
  await initHistograms();
  const profile = await startWorkerProfile(task.worker);
  task.timeline = await handshake(task);
  const ctx = new WorkerContext(task);
  ctx.start();
  switch (task.plan.scenario) {
    case 'ping':
      await runPing(ctx, task.plan);
      break;
    case 'users':
      if (task.plan.protocol === 'chat') await runChatUsers(ctx, task.plan);
      else await runImUsers(ctx, task.plan);
      break;
  }
  const result = ctx.finish();
  await profile?.stop();
  task.port.close();
  return result;
}
