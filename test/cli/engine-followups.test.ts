/** Engine follow-ups seen through the CLI on examples/basic: the -target warning, the version in state. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_BASIC, workspace, type Workspace } from './harness.js';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

describe('engine follow-ups (CLI)', () => {
  it('prints the -target warning once', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    const planned = await ws.run(['plan', '-target=test_resource.network']);
    expect(planned.code).toBe(0);
    const output = planned.stdout + planned.stderr;
    expect(output.match(/Resource targeting is in effect/g)).toHaveLength(1);
  });

  it('apply stamps the running phoenix version on the state it writes', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const running = (JSON.parse((await ws.run(['version', '-json'])).stdout) as { phoenix_version: string }).phoenix_version;
    const state = JSON.parse(readFileSync(ws.statePath, 'utf8')) as { phoenix_version: string };
    writeFileSync(ws.statePath, JSON.stringify({ ...state, phoenix_version: '0.0.0-old' }, null, 2));

    expect((await ws.run(['apply', '-auto-approve', '-var', 'environment=prod'])).code).toBe(0);
    expect((JSON.parse(readFileSync(ws.statePath, 'utf8')) as { phoenix_version: string }).phoenix_version).toBe(running);
  });
});
