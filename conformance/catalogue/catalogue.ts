// The catalogue: every check of the suite, in the order they run (framing first, then commands; the
// checks that stress the target last, so a server they break has been judged on everything else).
import { CHAT_COMMAND_CHECKS } from '../checks/chat-commands.js';
import { CHAT_LINE_CHECKS } from '../checks/chat-lines.js';
import { IM_COMMAND_CHECKS } from '../checks/im-commands.js';
import { IM_CONNECTION_CHECKS } from '../checks/im-connections.js';
import { IM_FRAME_CHECKS } from '../checks/im-frame.js';
import { IM_HTTP_CHECKS } from '../checks/im-http.js';
import { IM_MODEL_CHECKS } from '../checks/im-model.js';
import { CHAT_ROBUSTNESS_CHECKS, IM_ROBUSTNESS_CHECKS } from '../checks/robustness.js';
import { protocolOf, type CheckDefinition, type CheckProtocol } from './check.js';

export const CATALOGUE: readonly CheckDefinition[] = [
  ...IM_FRAME_CHECKS, ...IM_COMMAND_CHECKS, ...IM_HTTP_CHECKS, ...IM_MODEL_CHECKS, ...IM_CONNECTION_CHECKS, ...IM_ROBUSTNESS_CHECKS,
  ...CHAT_LINE_CHECKS, ...CHAT_COMMAND_CHECKS, ...CHAT_ROBUSTNESS_CHECKS,
];

export function checksOf(protocol: CheckProtocol): CheckDefinition[] {
  return CATALOGUE.filter((c) => protocolOf(c) === protocol);
}
