// Starts the real reference server in this process on free loopback ports, with its log captured so
// tests can check that a closed connection's log line names the reason.
import { Logger } from '../reference-server/log.js';
import type { ServerOptions } from '../reference-server/options.js';
import { startServer, type RunningServer } from '../reference-server/server.js';

export interface TestServer {
  server: RunningServer;
  imPort: number;
  chatPort: number;
  httpPort: number;
  /** Every log line so far. */
  logs: string[];
  /** Resolves once a log line matches `pattern`. */
  logged(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** What a test may set of the server's options (the suites that must not import the server use this). */
export type TestServerOptions = Partial<ServerOptions>;

export async function startTestServer(overrides: TestServerOptions = {}): Promise<TestServer> {
  const logs: string[] = [];
  const log = new Logger(overrides.logLevel ?? 'debug', { write: (line: string) => logs.push(line.trimEnd()) });
  const server = await startServer({
    host: '127.0.0.1', imPort: 0, chatPort: 0, httpPort: 0, memory: true, scryptCost: 1024, ...overrides,
  }, log);
  return {
    server,
    imPort: server.im?.port ?? -1,
    chatPort: server.chat?.port ?? -1,
    httpPort: server.http?.port ?? -1,
    logs,
    async logged(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = logs.find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms; log:\n${logs.join('\n')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => server.close(),
  };
}
