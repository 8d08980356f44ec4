// A small leveled logger. Lines go to stderr (stdout is kept for the listening lines a script reads).
// Hot paths log per connection and per kind of event, never per message.

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new Error(`unknown log level "${value}": use one of ${LOG_LEVELS.join(', ')}`);
}

export interface LogSink {
  write(line: string): unknown;
}

export class Logger {
  private readonly rank: number;
  constructor(
    readonly level: LogLevel,
    private readonly sink: LogSink = process.stderr,
    private readonly prefix = '',
  ) {
    this.rank = LOG_LEVELS.indexOf(level);
  }

  /** A logger whose lines carry `tag` (a listener, a connection). */
  child(tag: string): Logger {
    return new Logger(this.level, this.sink, this.prefix ? `${this.prefix} ${tag}` : tag);
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= this.rank;
  }

  error(message: string): void { this.log('error', message); }
  warn(message: string): void { this.log('warn', message); }
  info(message: string): void { this.log('info', message); }
  debug(message: string): void { this.log('debug', message); }

  private log(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) > this.rank) return;
    const tag = this.prefix ? ` [${this.prefix}]` : '';
    this.sink.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)}${tag} ${message}\n`);
  }
}
