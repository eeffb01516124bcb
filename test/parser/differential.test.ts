/**
 * Differential test against HashiCorp's own parser (compiled to WASM in @cdktn/hcl2json): every valid
 * fixture must convert to exactly the oracle's JSON, and every invalid fixture must be rejected by both.
 */
import { parse as oracleParse } from '@cdktn/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/config/diagnostics.js';
import { parseHcl } from '../../src/config/parser.js';
import { toOracleShape } from './oracle-shape.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'hcl');
const list = (dir: string) => readdirSync(join(fixtures, dir)).filter((f) => f.endsWith('.hcl')).sort();
const validFiles = list('valid');
const invalidFiles = list('invalid');

async function oracleOutcome(name: string, source: string): Promise<{ json?: unknown; error?: string }> {
  try {
    return { json: await oracleParse(name, source) };
  } catch (e) {
    return { error: String(e) };
  }
}

describe('differential: valid corpus matches the HashiCorp parser', () => {
  it('has a corpus of at least 30 valid files', () => {
    expect(validFiles.length).toBeGreaterThanOrEqual(30);
  });

  it.each(validFiles)('%s', async (name) => {
    const source = readFileSync(join(fixtures, 'valid', name), 'utf8');
    const oracle = await oracleOutcome(name, source);
    expect(oracle.error).toBeUndefined();
    const ours = parseHcl(source, name);
    expect(ours.diagnostics).toEqual([]);
    expect(toOracleShape(ours.file.body, source)).toEqual(oracle.json);
  });
});

describe('differential: invalid corpus is rejected by both parsers', () => {
  it('has a corpus of at least 12 invalid files', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(invalidFiles)('%s', async (name) => {
    const source = readFileSync(join(fixtures, 'invalid', name), 'utf8');
    const oracle = await oracleOutcome(name, source);
    expect(oracle.error).toBeDefined();
    const ours = parseHcl(source, name);
    expect(hasErrors(ours.diagnostics)).toBe(true);
    for (const d of ours.diagnostics) {
      expect(d.range?.file).toBe(name);
      expect(d.detail).toBeTruthy();
    }
  });
});
