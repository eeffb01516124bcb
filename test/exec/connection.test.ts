import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/config/diagnostics.js';
import { parseConnection } from '../../src/exec/connection.js';

function diagnosticOf(value: string): { summary: string; detail?: string } {
  try {
    parseConnection(value);
  } catch (error) {
    expect(error).toBeInstanceOf(DiagnosticError);
    return (error as DiagnosticError).diagnostics[0]!;
  }
  throw new Error(`${value} was accepted`);
}

describe('parseConnection', () => {
  it('accepts local and simulator', () => {
    expect(parseConnection('local')).toEqual({ kind: 'local' });
    expect(parseConnection('simulator')).toEqual({ kind: 'simulator' });
  });

  it('parses ssh URLs with user, host and port', () => {
    expect(parseConnection('ssh://admin@pve1.example.org:2222')).toEqual({
      kind: 'ssh',
      user: 'admin',
      host: 'pve1.example.org',
      port: 2222,
    });
  });

  it('defaults the user to root and the port to 22', () => {
    expect(parseConnection('ssh://10.0.0.2')).toEqual({ kind: 'ssh', user: 'root', host: '10.0.0.2', port: 22 });
  });

  it('accepts bracketed IPv6 hosts and hands ssh the bare address', () => {
    expect(parseConnection('ssh://root@[fd00::2]:22')).toMatchObject({ host: 'fd00::2', port: 22 });
  });

  it.each([
    ['localhost', /Expected "local", "simulator" or "ssh:\/\/user@host\[:port\]"/],
    ['http://pve1', /Expected/],
    ['ssh://', /not a valid URL|host is missing/],
    ['ssh://root@pve1:0', /port/],
    ['ssh://root@pve1:70000', /not a valid URL|port/],
    ['ssh://root:secret@pve1', /Passwords are not supported/],
    ['ssh://root@pve1/path', /no path/],
    ['ssh://root@pve1?x=1', /no path, query/],
    ['ssh://-oProxyCommand=touch%20x@pve1', /must not start with "-"/],
  ])('rejects %s with an explanation', (value, detail) => {
    const diagnostic = diagnosticOf(value);
    expect(diagnostic.summary).toBe(`Invalid node connection ${JSON.stringify(value)}`);
    expect(diagnostic.detail).toMatch(detail);
  });
});
