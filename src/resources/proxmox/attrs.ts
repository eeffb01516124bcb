/**
 * Typed accessors for attribute values. Providers receive loosely typed `Attrs`; these read one field
 * with the expected type and treat anything else (null, unknown, wrong type) as "not set".
 */
import { isObject, isUnknown, type Attrs, type Value, type ValueObject } from '../../config/values.js';

export function str(attrs: Attrs | ValueObject, key: string): string | undefined {
  const v = attrs[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(attrs: Attrs | ValueObject, key: string): number | undefined {
  const v = attrs[key];
  return typeof v === 'number' ? v : undefined;
}

export function bool(attrs: Attrs | ValueObject, key: string): boolean | undefined {
  const v = attrs[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function obj(attrs: Attrs | ValueObject, key: string): ValueObject | undefined {
  const v = attrs[key];
  return isObject(v) ? v : undefined;
}

export function objList(attrs: Attrs | ValueObject, key: string): ValueObject[] {
  const v = attrs[key];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

export function strList(attrs: Attrs | ValueObject, key: string): string[] {
  const v = attrs[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function strMap(attrs: Attrs | ValueObject, key: string): Record<string, string> {
  const v = attrs[key];
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** True when the value is set (neither null, undefined nor unknown). */
export function isSet(v: Value | undefined): boolean {
  return v !== null && v !== undefined && !isUnknown(v);
}

/** Proxmox booleans are 0/1. */
export function pveBool(b: boolean): string {
  return b ? '1' : '0';
}

export function parsePveBool(v: string | undefined): boolean | null {
  if (v === undefined) return null;
  return v === '1' || v === 'on' || v === 'yes' || v === 'true';
}

export function parseNumber(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function numList(attrs: Attrs | ValueObject, key: string): number[] {
  const v = attrs[key];
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}
