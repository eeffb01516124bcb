import { describe, expect, it } from 'vitest';
import { CommandError, type RunResult } from '../../src/exec/runner.js';
import { SENSITIVE_TEXT, SensitiveTexts } from '../../src/plan/redaction.js';
import type { NodeHandle } from '../../src/resources/provider.js';

function result(argv: string[], exitCode: number, stdout: string, stderr = ''): RunResult {
  return { argv, exitCode, stdout, stderr, timedOut: false, durationMs: 1 };
}

/** A node whose commands echo their arguments; `fail` makes them exit 1 (thrown unless allowFailure). */
function echoNode(fail: boolean): NodeHandle {
  return {
    name: 'pve',
    runner: {} as NodeHandle['runner'],
    pveRoot: '',
    maxParallel: 1,
    storageParallel: 1,
    async run(argv, options) {
      const r = result(argv, fail ? 1 : 0, argv.join(' '), fail ? `bad value ${argv.at(-1)}` : '');
      if (fail && !options?.allowFailure) throw new CommandError(r);
      return r;
    },
  };
}

describe('SensitiveTexts', () => {
  it('registers strings and numbers inside values at the given paths, not booleans or short texts', () => {
    const texts = new SensitiveTexts();
    texts.addPaths({ cloud_init: { user: 'admin', password: 'hunter22' }, tags: ['a', 'secret-tag'], port: 12345, on: true }, [
      ['cloud_init', 'password'],
      ['tags'],
      ['port'],
      ['on'],
    ]);
    expect(texts.redactText('pw hunter22 tag secret-tag port 12345 admin a true')).toBe(
      `pw ${SENSITIVE_TEXT} tag ${SENSITIVE_TEXT} port ${SENSITIVE_TEXT} admin a true`,
    );
  });

  it('replaces a secret containing another whole, and each line of a multi-line secret', () => {
    const texts = new SensitiveTexts();
    texts.add('Secret');
    texts.add('note: Secret');
    texts.add('line-one\nline-two');
    expect(texts.redactText('x note: Secret y')).toBe(`x ${SENSITIVE_TEXT} y`);
    expect(texts.redactText('got line-two only')).toBe(`got ${SENSITIVE_TEXT} only`);
  });

  it('redacts every argument that contains a secret, whole, and leaves the others', () => {
    const texts = new SensitiveTexts();
    texts.add('TopSecret');
    expect(texts.redactArgv(['pct', 'set', '101', '--description', 'note: TopSecret!', '--hostname', 'web'])).toEqual([
      'pct', 'set', '101', '--description', SENSITIVE_TEXT, '--hostname', 'web',
    ]);
  });

  it('guards a node: failures reach the provider redacted, successful output stays data', async () => {
    const texts = new SensitiveTexts();
    texts.add('TopSecret');
    const ok = await texts.guardNode(echoNode(false)).run(['echo', 'TopSecret']);
    expect(ok.stdout).toBe('echo TopSecret');

    const thrown = await texts.guardNode(echoNode(true)).run(['pct', 'set', 'TopSecret']).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(CommandError);
    const failed = (thrown as CommandError).result;
    expect(failed.argv).toEqual(['pct', 'set', SENSITIVE_TEXT]);
    expect(failed.stderr).toBe(`bad value ${SENSITIVE_TEXT}`);
    expect((thrown as CommandError).message).not.toContain('TopSecret');

    const allowed = await texts.guardNode(echoNode(true)).run(['pct', 'set', 'TopSecret'], { allowFailure: true });
    expect(allowed.stdout).toBe(`pct set ${SENSITIVE_TEXT}`);
  });
});
