import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout: one structured line per event, ready for any log shipper. On an
 * interactive terminal (a person ran `npm start`), the same events as short readable lines.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const output = destination ?? (process.stdout.isTTY ? readableLines(process.stdout) : undefined);
  return pino({ level, base: { service: 'concord' }, timestamp: pino.stdTimeFunctions.isoTime }, output);
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const OMITTED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

/** One pino JSON line as "HH:MM:SS level message key=value ...", for a person at a terminal. */
export function readableLine(json: string): string {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof event.time === 'string' ? event.time.slice(11, 19) : '';
  const level = LEVELS[Number(event.level)] ?? String(event.level);
  const fields = Object.entries(event)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [time, level.padEnd(5), String(event.msg ?? ''), ...fields].filter(Boolean).join(' ');
}

function readableLines(stream: NodeJS.WritableStream): pino.DestinationStream {
  return { write: (line: string) => { stream.write(`${readableLine(line)}\n`); } };
}
