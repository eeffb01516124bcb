/** JSON, base64 and hashing. */
import { createHash } from 'node:crypto';
import type { Value } from '../../values.js';
import { jsonText } from './json-text.js';
import { FunctionError, p, type FunctionTable } from './types.js';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const encodingFunctions: FunctionTable = {
  jsonencode: { params: [p('val', 'any', { allowNull: true })], impl: ([v]) => jsonText(v!) },
  jsondecode: {
    params: [p('str', 'string')],
    impl([s]) {
      try {
        // Plain data: a `{"$unknown": true}` in user JSON is just an object, not an unknown marker.
        return JSON.parse(s as string) as Value;
      } catch (e) {
        return new FunctionError(`invalid JSON: ${(e as Error).message}`, 0);
      }
    },
  },
  base64encode: { params: [p('str', 'string')], impl: ([s]) => Buffer.from(s as string, 'utf8').toString('base64') },
  base64decode: {
    params: [p('str', 'string')],
    impl([s]) {
      if (!STRICT_BASE64.test(s as string)) return new FunctionError('the given value is not valid base64', 0);
      const bytes = Buffer.from(s as string, 'base64');
      const text = bytes.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(bytes)) return new FunctionError('the decoded bytes are not valid UTF-8', 0);
      return text;
    },
  },
  sha256: { params: [p('str', 'string')], impl: ([s]) => createHash('sha256').update(s as string, 'utf8').digest('hex') },
};

