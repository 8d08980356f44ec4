// The ids a server accepts from clients: the twelve odd ids [IM-FRAME-6].
import { REQUEST_IDS } from '../../proto/index.js';

const REQUESTS = new Set<number>(REQUEST_IDS);

export function isRequestId(id: number): boolean {
  return REQUESTS.has(id);
}
