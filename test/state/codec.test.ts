import { describe, expect, it } from 'vitest';
import { DiagnosticError, type Diagnostic } from '../../src/config/diagnostics.js';
import { parseState, serializeState } from '../../src/state/codec.js';
import { sampleState } from './fixtures.js';

function loadFailure(text: string): Diagnostic {
  try {
    parseState(text, 'phoenix.state.json');
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return (e as DiagnosticError).diagnostics[0]!;
  }
  throw new Error('parseState accepted the text');
}

describe('state codec', () => {
  it('round-trips a state as 2-space JSON with a trailing newline', () => {
    const state = sampleState(3);
    const text = serializeState(state);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format_version": 1,');
    expect(parseState(text, 'phoenix.state.json')).toEqual(state);
  });

  it('writes the same bytes whatever order resources and attributes were built in', () => {
    const a = sampleState(1);
    a.resources.push({ ...a.resources[0]!, address: 'lxc.api', name: 'api' });
    const b = sampleState(1);
    b.resources.unshift({ ...b.resources[0]!, address: 'lxc.api', name: 'api' });
    b.resources[1]!.attributes = { net: { bridge: 'vmbr0', ip: '10.0.0.2/24' }, hostname: 'web', vmid: 101 };
    expect(serializeState(b)).toBe(serializeState(a));
    expect(JSON.parse(serializeState(a)).resources.map((r: { address: string }) => r.address)).toEqual(['lxc.api', 'lxc.web']);
  });

  it('refuses corrupt JSON, naming the file and the line and column of the error', () => {
    const text = serializeState(sampleState(1)).replace('"serial": 1,', '"serial": 1 x');
    const line = text.split('\n').findIndex((l) => l.includes('"serial"')) + 1;
    const d = loadFailure(text);
    expect(d.summary).toBe('Failed to load state: invalid JSON');
    expect(d.detail).toContain(`phoenix.state.json is not valid JSON at line ${line}, column 15`);
    expect(d.detail).toContain('The state file has not been changed.');
  });

  it('refuses a truncated file and an empty one', () => {
    const text = serializeState(sampleState(1));
    expect(loadFailure(text.slice(0, text.length / 2)).detail).toMatch(/not valid JSON at line \d+, column \d+/);
    expect(loadFailure('').summary).toBe('Failed to load state: empty file');
  });

  it('refuses a file of the wrong shape, naming the offending field', () => {
    const data = JSON.parse(serializeState(sampleState(1)));
    data.resources[0].dependencies = 'zfs_dataset.data';
    const d = loadFailure(JSON.stringify(data));
    expect(d.summary).toBe('Failed to load state: unexpected content');
    expect(d.detail).toContain('resources[0].dependencies: expected an array');
    expect(loadFailure('[1, 2]').detail).toContain('expected an object');
  });

  it('refuses a state written by a newer phoenix', () => {
    const data = { ...JSON.parse(serializeState(sampleState(1))), format_version: 2, phoenix_version: '9.0.0' };
    const d = loadFailure(JSON.stringify(data));
    expect(d.summary).toBe('Failed to load state: unsupported state format version');
    expect(d.detail).toContain('written by a newer phoenix (9.0.0)');
  });
});
