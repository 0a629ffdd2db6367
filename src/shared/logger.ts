import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout: one structured line per event, ready for any log shipper. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'concord' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
