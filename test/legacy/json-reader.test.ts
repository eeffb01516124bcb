import { describe, expect, it } from 'vitest';
import { formatJsonPath } from '../../src/legacy/json-path.js';
import { readLegacyJson } from '../../src/legacy/json-reader.js';

describe('reading hand-edited legacy JSON', () => {
  it('reads strict JSON exactly like JSON.parse', () => {
    const text = '{"a": [1, -2.5e3, "x\\n\\u00e9"], "b": {"c": true, "d": null}, "e": false}';
    expect(readLegacyJson(text, 'f.json')).toEqual({ value: JSON.parse(text), diagnostics: [] });
  });

  it('keeps the last of duplicate keys, as jq does, and warns with the path', () => {
    const { value, diagnostics } = readLegacyJson('{"shared": {"firewall": 1, "firewall": 2}}', 'f.json');
    expect(value).toEqual({ shared: { firewall: 2 } });
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: 'Duplicate key "firewall"', subject: 'f.json $.shared.firewall' })]);
  });

  it('tolerates comments and trailing commas with one warning each', () => {
    const { value, diagnostics } = readLegacyJson('// header\n{"a": [1, 2,], /* note */ "b": 3,}', 'f.json');
    expect(value).toEqual({ a: [1, 2], b: 3 });
    expect(diagnostics.map((d) => d.summary)).toEqual(['Comments in JSON', 'Trailing comma', 'Trailing comma']);
  });

  it('reports where a syntax error is, without throwing', () => {
    for (const [text, detail] of [
      ['{"a": 1', /line 1, column 8: expected "," or "}"/],
      ['{\n  "a": tru\n}', /line 2, column 8: unexpected character "t"/],
      ['{"a": "unterminated}', /line 1, column 7: unterminated string/],
      ['[1] [2]', /unexpected text after the end of the document/],
      ['', /unexpected end of file/],
    ] as const) {
      const { value, diagnostics } = readLegacyJson(text, 'f.json');
      expect(value).toBeUndefined();
      expect(diagnostics.at(-1)).toMatchObject({ severity: 'error', summary: 'Cannot parse f.json', detail: expect.stringMatching(detail) });
    }
  });

  it('formats JSON paths with bracketed keys where needed', () => {
    expect(formatJsonPath(['lxc_configs', '900', 'features', 1])).toBe('$.lxc_configs["900"].features[1]');
    expect(formatJsonPath(['tests', 'hypervisor_health_.check'])).toBe('$.tests["hypervisor_health_.check"]');
  });
});
