// The open-file limit of this process (RLIMIT_NOFILE): every socket is a descriptor, and all threads
// of a process share the limit. Linux shows it in /proc/self/limits; elsewhere it is unknown (null).
import { readFileSync } from 'node:fs';

export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}
