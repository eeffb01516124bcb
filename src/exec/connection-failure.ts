/**
 * Recognising a command that never started because phoenix could not connect to the node. Pure (no
 * I/O), so the engine can ask it of an error text. The texts are the ones SshRunner puts in front of a
 * failed control-master setup (explainConnectionFailure in ssh.ts).
 */
const CONNECTION_FAILURE_TEXT = /: (?:ssh could not connect or authenticate \(exit 255\)|host key verification failed: )/;

/** Does this error text come from a command that never reached the node (so nothing ran there)? */
export function isConnectionFailure(text: string): boolean {
  return CONNECTION_FAILURE_TEXT.test(text);
}
