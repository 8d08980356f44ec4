// The protocol core: the one entry point every other part imports. Pure: no sockets, timers or I/O.
export * from './errors.js';
export * from './frame-codec.js';
export * from './message-ids.js';
export * from './messages.js';
export * from './line-splitter.js';
export * from './chat-line.js';
export { im } from './generated/im.js';
export * from './result-code.js';
