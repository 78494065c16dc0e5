// How DynamoDB Local's JVM finds its classes: from an archive of them (Java's application class-data
// sharing), made by the first JVM that runs without one and mapped by every later one. Loading the
// jar's few thousand classes is most of a JVM's start, and the tests start one per file.
//
// The JVM refuses to archive a class path holding a directory that is not empty, and the jar's
// manifest puts its own directory on it (`Class-Path: . DynamoDBLocal_lib/…`). So the JVM is given a
// copy of the jar without that line, and the manifest's jars as its class path, in the manifest's order.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import AdmZip from 'adm-zip';
import { dynamoDbJavaOptions } from './settings';

/** Names DynamoDB Local's JVMs in a list of processes. */
export const DYNAMODB_LOCAL_MAIN_CLASS = 'com.amazonaws.services.dynamodbv2.local.main.ServerRunner';
const MANIFEST = 'META-INF/MANIFEST.MF';

export interface DynamoDbLocalClasses {
  /** The JVM's arguments from the class path to the main class, inclusive. */
  args: string[];
  /** Called with the JVM's exit code (null when a signal killed it): a complete archive is kept. */
  exited(code: number | null): void;
}

/** The directory of the official jar and its libraries, in the npm package amplify-dynamodb-simulator. */
export function dynamoDbLocalEmulator(): string {
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/**
 * `javaVersion`: what `java -version` prints. It and the JVM's options (DYNAMODB_JAVA_OPTIONS) decide
 * whether an archive fits, so another Java or other options make an archive of their own.
 */
export function dynamoDbLocalClasses(javaVersion: string): DynamoDbLocalClasses {
  const jar = join(dynamoDbLocalEmulator(), 'DynamoDBLocal.jar');
  try {
    return archivedClasses(jar, javaVersion);
  } catch {
    // The archive only saves time: where its copy cannot be made (node_modules read-only), the jar runs as shipped.
    return { args: ['-jar', jar], exited: () => undefined };
  }
}

function archivedClasses(jar: string, javaVersion: string): DynamoDbLocalClasses {
  const emulator = dirname(jar);
  const { size, mtimeMs } = statSync(jar);
  const jvm = [javaVersion, ...dynamoDbJavaOptions()].join('\n');
  const key = createHash('sha256')
    .update(`${resolve(jar)}\n${size}\n${mtimeMs}\n${jvm}`)
    .digest('hex')
    .slice(0, 16);
  const cache = cacheDirectory();
  const copy = join(cache, `DynamoDBLocal-${key}.jar`);
  const archive = join(cache, `classes-${key}.jsa`);

  const manifestClassPath = copyWithoutClassPath(jar, copy);
  const classPath = [copy, ...manifestClassPath.map((entry) => join(emulator, entry)).filter((path) => path.endsWith('.jar'))];
  const args = ['-cp', classPath.join(delimiter), DYNAMODB_LOCAL_MAIN_CLASS];
  if (existsSync(archive)) return { args: [`-XX:SharedArchiveFile=${archive}`, ...args], exited: () => undefined };

  // No archive yet: this JVM writes one as it exits, to a name of its own (two may be writing at
  // once), which becomes the archive only if the JVM exited by itself (SIGTERM included) and wrote it whole.
  const writing = `${archive}.${process.pid}-${Date.now()}.tmp`;
  return {
    args: [`-XX:ArchiveClassesAtExit=${writing}`, ...args],
    exited: (code) => {
      try {
        if (code !== null && existsSync(writing)) renameSync(writing, archive);
        else rmSync(writing, { force: true });
      } catch {
        // Kept or not, the database ran: a later JVM writes the archive again.
      }
    },
  };
}

/** Where the copy and the archive live: beside the package's other caches, removed with node_modules. */
function cacheDirectory(): string {
  const directory = join(dynamoDbLocalEmulator(), '..', '..', '.cache', 'dynamodb-local');
  mkdirSync(directory, { recursive: true });
  return directory;
}

/** Writes the copy, and beside it the manifest's class path, unless both are there already (each
 *  written whole under a name of its own first: another process may be doing the same); returns that
 *  class path. */
function copyWithoutClassPath(jar: string, copy: string): string[] {
  const listing = `${copy}.class-path.json`;
  if (existsSync(copy) && existsSync(listing)) return JSON.parse(readFileSync(listing, 'utf8')) as string[];
  const zip = new AdmZip(jar);
  const manifest = zip.readAsText(MANIFEST);
  // A manifest line goes on in the next lines that start with a space.
  const classPathLine = /\r?\nClass-Path:[^\r\n]*(?:\r?\n [^\r\n]*)*/.exec(manifest);
  if (!classPathLine) throw new Error(`${jar}: its manifest has no Class-Path`);
  const entries = classPathLine[0]
    .replace(/\r?\n /g, '')
    .replace(/^\r?\nClass-Path:/, '')
    .split(' ')
    .filter((entry) => entry !== '' && entry !== '.');
  zip.updateFile(MANIFEST, Buffer.from(manifest.replace(classPathLine[0], '')));
  const unique = `.${process.pid}-${Date.now()}.tmp`;
  zip.writeZip(copy + unique);
  chmodSync(copy + unique, 0o644);
  // Never over another process's copy: an archive made with it would no longer match (the JVM checks
  // each jar's time) and would be ignored.
  try {
    linkSync(copy + unique, copy);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(copy + unique, { force: true });
  }
  writeFileSync(listing + unique, JSON.stringify(entries));
  renameSync(listing + unique, listing);
  return entries;
}
