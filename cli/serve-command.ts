// `talkbench serve`: the reference server in the foreground until SIGINT or SIGTERM.
import { EXIT } from '../util/exit-codes.js';
import { Command } from 'commander';
import { Logger } from '../reference-server/log.js';
import { DEFAULT_SERVER_OPTIONS as D, SERVE_OPTIONS, resolveServeOptions, type ServerOptions } from '../reference-server/options.js';
import { formatListening } from './listening-line.js';
import { declareOptions, givenWords } from './parse-values.js';

export function serveCommand(): Command {
  // Every flag, its help and its default come from the one table in reference-server/options.ts;
  // a bad flag is a ConfigError listing them all, which cli/main.ts turns into exit 2 [D-EXIT].
  return declareOptions(new Command('serve').description('run the reference server: IM (TCP), CHAT/1.0 (TCP) and file downloads (HTTP)'), SERVE_OPTIONS)
    .action(async (_flags: unknown, command: Command) => {
      await runServer(resolveServeOptions(givenWords(command, SERVE_OPTIONS)));
    });
}

async function runServer(options: Partial<ServerOptions>): Promise<void> {
  const log = new Logger(options.logLevel ?? D.logLevel);
  // Loaded when the command runs: SQLite and the handlers are for `serve` alone.
  const { startServer } = await import('../reference-server/server.js');
  const server = await startServer(options, log);
  const out = (line: string): void => { process.stdout.write(line + '\n'); };
  if (server.im) out(formatListening({ name: 'im', at: server.im, layout: options.layout ?? D.layout, maxBodyBytes: options.maxBodyBytes ?? D.maxBodyBytes }));
  if (server.chat) out(formatListening({ name: 'chat', at: server.chat }));
  if (server.http) out(formatListening({ name: 'http', at: server.http }));
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
