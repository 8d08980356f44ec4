// CHAT/1.0 state: who is logged in under which name, and the groups. Groups live in memory only:
// CHAT/1.0 has no accounts, so nothing of it outlives the server [CHAT-GROUP-4].
import { formatChatLine } from '../../proto/index.js';
import type { ChatConnection } from './chat-connection.js';

export class ChatHub {
  /** Several connections may share a name; SEND reaches them all [CHAT-SEND-1]. */
  private readonly byName = new Map<string, Set<ChatConnection>>();
  private readonly groups = new Map<string, Set<string>>();

  join(name: string, connection: ChatConnection): void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(connection);
  }

  part(name: string, connection: ChatConnection): void {
    const set = this.byName.get(name);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) this.byName.delete(name);
  }

  /** Sends `RECEIVE from data` to every connection logged in under each of `names`; returns how many. */
  deliver(names: Iterable<string>, from: string, data: string): number {
    const line = Buffer.from(formatChatLine({ command: 'RECEIVE', from, data }));
    let count = 0;
    for (const name of names) {
      for (const connection of this.byName.get(name) ?? []) {
        if (connection.peer.send(line)) count++;
      }
    }
    return count;
  }

  /** Creates the group or adds to it; the creator is always a member [CHAT-GROUP-1]. */
  addToGroup(group: string, members: readonly string[]): void {
    let set = this.groups.get(group);
    if (!set) this.groups.set(group, (set = new Set()));
    for (const m of members) set.add(m);
  }

  members(group: string): ReadonlySet<string> | undefined {
    return this.groups.get(group);
  }

  /** Removes `name` from the group; an empty group is deleted. False when there was no such membership. */
  leaveGroup(group: string, name: string): boolean {
    const set = this.groups.get(group);
    if (!set?.delete(name)) return false;
    if (set.size === 0) this.groups.delete(group);
    return true;
  }
}
