// `talkbench serve`: the reference server in the foreground until SIGINT or SIGTERM.
import { EXIT } from '../util/exit-codes.js';
import { Command, Option } from 'commander';
import { FRAME_LAYOUTS, parseLayout } from '../proto/index.js';
import { LOG_LEVELS, Logger, parseLogLevel } from '../reference-server/log.js';
import { DEFAULT_SERVER_OPTIONS as D, type ServerOptions } from '../reference-server/options.js';
import { startServer } from '../reference-server/server.js';
import { forCommander, parseBytes, parseDuration, parsePort, parsePositiveInt } from './parse-values.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the reference server: IM (TCP), CHAT/1.0 (TCP) and file downloads (HTTP)')
    .option('--host <address>', 'address to listen on', D.host)
    .option('--im-port <port>', 'IM protocol port (0: any free port)', parsePort, D.imPort)
    .option('--chat-port <port>', 'CHAT/1.0 port (0: any free port)', parsePort, D.chatPort)
    .option('--http-port <port>', 'HTTP file download port (0: any free port)', parsePort, D.httpPort)
    .option('--data <dir>', 'directory for the SQLite database and uploaded files', D.dataDir)
    .option('--memory', 'keep everything in memory, nothing on disk', false)
    .addOption(new Option('--log-level <level>', 'log verbosity').choices(LOG_LEVELS).default(D.logLevel).argParser(forCommander(parseLogLevel)))
    .addOption(new Option('--layout <layout>', 'IM frame layout: le = u32 LE length then id; be = u32 BE id then length').choices(FRAME_LAYOUTS).default(D.layout).argParser(forCommander(parseLayout)))
    .addOption(new Option('--max-body <bytes>', 'largest IM frame body accepted (4096, 64KiB, 16MiB...)').argParser(parseBytes).default(D.maxBodyBytes, '16MiB'))
    .option('--max-line <bytes>', 'longest CHAT/1.0 line accepted', parseBytes, D.maxLineBytes)
    .addOption(new Option('--idle-timeout <duration>', 'close IM connections silent this long, and CHAT/1.0 ones not logged in').argParser(parseDuration).default(D.idleTimeoutMs, '30s'))
    .option('--scrypt-cost <N>', 'scrypt cost of new password hashes (a power of two)', parsePositiveInt, D.scryptCost)
    .addOption(new Option('--max-outbound <bytes>', 'disconnect a client with more than this queued to it (it is not reading)').argParser(parseBytes).default(D.maxOutboundBytes, '8MiB'))
    .option('--max-user-list <n>', 'most users in one GetUserListResponse', parsePositiveInt, D.maxUserList)
    .option('--public-url <url>', 'base of download URLs (default: http://HOST:HTTP_PORT)')
    .action(async (flags: Record<string, unknown>) => {
      const options: Partial<ServerOptions> = {
        host: flags.host as string,
        imPort: flags.imPort as number,
        chatPort: flags.chatPort as number,
        httpPort: flags.httpPort as number,
        dataDir: flags.data as string,
        memory: flags.memory as boolean,
        logLevel: flags.logLevel as ServerOptions['logLevel'],
        layout: flags.layout as ServerOptions['layout'],
        maxBodyBytes: flags.maxBody as number,
        maxLineBytes: flags.maxLine as number,
        idleTimeoutMs: flags.idleTimeout as number,
        scryptCost: flags.scryptCost as number,
        maxOutboundBytes: flags.maxOutbound as number,
        maxUserList: flags.maxUserList as number,
        publicUrl: (flags.publicUrl as string | undefined) ?? null,
      };
      await runServer(options);
    });
}

async function runServer(options: Partial<ServerOptions>): Promise<void> {
  const log = new Logger(options.logLevel ?? D.logLevel);
  const server = await startServer(options, log);
  const out = (line: string): void => { process.stdout.write(line + '\n'); };
  if (server.im) out(`im listening on ${server.im.host}:${server.im.port} (frames: ${options.layout}, max body ${options.maxBodyBytes} bytes)`);
  if (server.chat) out(`chat listening on ${server.chat.host}:${server.chat.port} (CHAT/1.0; try: nc ${server.chat.host} ${server.chat.port}, then type CHAT/1.0 LOGIN alice)`);
  if (server.http) out(`http listening on http://${server.http.host}:${server.http.port}/res/`);
  out(server.database ? `storage: SQLite ${server.database} (WAL)` : 'storage: memory (nothing is kept after exit)');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    log.info(`${signal}: shutting down`);
    server.close().then(
      () => { log.info('shut down cleanly'); process.exit(0); },
      // [D-EXIT] 70: a server that cannot shut down cleanly may have lost what it answered.
      (err: Error) => { log.error(`shutdown failed: ${err.stack ?? err.message}`); process.exit(EXIT.internal); },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
