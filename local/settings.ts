// The local runtime's settings, each read from one environment variable named here once: `npm start`,
// the demo and the command-line tools read them through these helpers, with the same defaults.
import { LocalRuntimeError } from './errors';

export const localSettings = {
  port: { env: 'PORT', default: 3000 },
  eventsPort: { env: 'EVENTS_PORT', default: 3001 },
  dynamoDbPort: { env: 'DYNAMODB_PORT', default: 8000 },
} as const;
export type LocalPortSetting = keyof typeof localSettings;

/** Where the local database and the dead letters live. */
export const DATA_DIR_ENV = 'DATA_DIR';
export const DEFAULT_DATA_DIR = '.local';
/** The HS256 secret of local tokens. */
export const LOCAL_JWT_SECRET_ENV = 'LOCAL_JWT_SECRET';
/** Set to `kill-before-publish`, the runtime kills itself (SIGKILL) once its outbox relay has read a stored
 *  event and every answer in flight has been sent, before the event reaches the bus: the outbox fault test's
 *  crash between storing and publishing. */
export const OUTBOX_FAULT_ENV = 'LOCAL_OUTBOX_FAULT';

export function localPort(setting: LocalPortSetting): number {
  const { env, default: fallback } = localSettings[setting];
  const raw = process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalRuntimeError(`${env}=${raw} is not a port number`);
  return port;
}

export function localDataDir(): string {
  return process.env[DATA_DIR_ENV] || DEFAULT_DATA_DIR;
}

/** Options for DynamoDB Local's JVM, separated by spaces; none by default (the JVM's own defaults). */
export const DYNAMODB_JAVA_OPTIONS_ENV = 'DYNAMODB_JAVA_OPTIONS';
/**
 * What the tests and the demo give it: the C1 compiler only and the serial collector, a quick start and
 * little CPU rather than the peak throughput a long run would reach. Measured on 2 busy cores: the demo's
 * replay at 83 events/s instead of 38, and half the JVM's CPU in an end-to-end test of 1,000 commands.
 */
export const QUICK_START_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export function dynamoDbJavaOptions(): string[] {
  return (process.env[DYNAMODB_JAVA_OPTIONS_ENV] ?? '').split(/\s+/).filter(Boolean);
}
