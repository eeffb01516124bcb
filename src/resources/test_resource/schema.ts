import type { ResourceSchema } from '../provider.js';

export const testResourceSchema: ResourceSchema = {
  description: 'A stand-in object kept in a JSON store; used by the engine tests and the engine example.',
  attributes: {
    name: { type: 'string', required: true, forceNew: true, description: 'Unique name; identifies the object.' },
    value: { type: 'string', optional: true, description: 'Free-form value, updated in place.' },
    tags: { type: { map: 'string' }, optional: true, description: 'Free-form tags, updated in place.' },
    size: { type: 'number', optional: true, forceNew: true, description: 'Changing it replaces the object.' },
    mode: { type: 'string', optional: true, restart: true, description: 'Updated in place; needs a restart.' },
    script: { type: 'string', optional: true, description: 'Multi-line text, updated in place.' },
    secret: { type: 'string', optional: true, sensitive: true, description: 'A sensitive value.' },
    fail_on: {
      type: 'string',
      optional: true,
      description: 'Make an operation fail: "create", "update" or "delete".',
    },
    sleep_ms: { type: 'number', optional: true, description: 'Delay every operation by this long.' },
    check_fails: { type: 'bool', optional: true, description: 'Make the health check report a failure.' },
    id: { type: 'string', computed: true, description: 'Generated on create.' },
    created_at: { type: 'string', computed: true, description: 'When the object was created.' },
    revision: { type: 'number', computed: true, description: 'Incremented by every update.' },
  },
};
