/**
 * The `connection` attribute of a node block: how phoenix reaches the host.
 *   local                    run commands on this machine (phoenix runs on the Proxmox host itself)
 *   simulator                the shipped simulated node (demos, tests, CI)
 *   ssh://user@host[:port]   OpenSSH; the user defaults to root, the port to 22, IPv6 hosts in brackets
 */
import { DiagnosticError, error } from '../config/diagnostics.js';

export type Connection =
  | { kind: 'local' }
  | { kind: 'simulator' }
  | { kind: 'ssh'; user: string; host: string; port: number };

const EXPECTED_FORMS = 'Expected "local", "simulator" or "ssh://user@host[:port]".';

/** Throws a DiagnosticError (summary + detail, no range: the caller knows where the value came from). */
export function parseConnection(value: string): Connection {
  if (value === 'local' || value === 'simulator') return { kind: value };
  if (!value.startsWith('ssh://')) throw invalid(value, EXPECTED_FORMS);

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(value, `It is not a valid URL. ${EXPECTED_FORMS}`);
  }
  if (url.hostname === '') throw invalid(value, 'The host is missing.');
  if (url.password !== '') throw invalid(value, 'Passwords are not supported: ssh runs in batch mode with keys or an agent.');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    throw invalid(value, 'Only user, host and port may be given (no path, query or fragment).');
  }
  const port = url.port === '' ? 22 : Number(url.port);
  if (port < 1) throw invalid(value, 'The port must be between 1 and 65535.');
  const user = decodeURIComponent(url.username) || 'root';
  // ssh wants IPv6 literals without the URL brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // ssh would read a leading '-' as an option: never let a config value smuggle in `-oProxyCommand=...`.
  if (user.startsWith('-') || host.startsWith('-')) throw invalid(value, 'User and host must not start with "-".');
  return { kind: 'ssh', user, host, port };
}

function invalid(value: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(`Invalid node connection ${JSON.stringify(value)}`, detail)]);
}
