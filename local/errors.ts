/** A problem with the local machine (missing Java, port in use, emulator not starting) rather than
 *  with the code: the message says what to change, so callers print it as is, without a stack. */
export class LocalRuntimeError extends Error {
  override readonly name = 'LocalRuntimeError';
}
