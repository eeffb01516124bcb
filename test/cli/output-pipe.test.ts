/**
 * Output through a pipe whose reader is slower than phoenix: every byte written before exit must reach
 * the reader (a plan piped into `jq` or `gh pr comment` used to stop at 64 KiB), on normal exits, on
 * errors and after an interrupt. Each case compares against the same run written to a file.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, until, workspace, type Workspace } from './harness.js';

const COUNT = 4000;
/** Applied for real (each create rewrites the test store, so fewer). */
const APPLIED = 300;
const many = (count: number): string => `
resource "test_resource" "item" {
  count  = ${count}
  name   = "item-\${count.index}"
  value  = "value of item \${count.index}, long enough that the whole plan takes a few megabytes"
  tags   = { team = "platform", index = "\${count.index}" }
  script = "#!/bin/sh\\necho item \${count.index}\\n"
}
`;

interface Captured {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs phoenix with stdout on a pipe read in small bites with pauses, after `holdOff` resolves. */
function runThroughSlowReader(ws: Workspace, args: string[], holdOff?: (pid: number, stderr: () => string) => Promise<void>): Promise<Captured> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ws.dir, env: envOf(ws), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return (async () => {
    if (holdOff) await holdOff(child.pid!, () => stderr);
    const chunks: Buffer[] = [];
    child.stdout.pause();
    for await (const chunk of child.stdout) {
      chunks.push(chunk as Buffer);
      await sleep(5);
    }
    const code = await exited;
    child.stdin.end();
    return { code, stdout: Buffer.concat(chunks), stderr };
  })();
}

/** The same run with stdout written to a file (synchronous writes: the reference bytes). */
function runToFile(ws: Workspace, args: string[], name: string): Promise<{ code: number | null; stdout: Buffer }> {
  const path = join(ws.dir, name);
  const fd = openSync(path, 'w');
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ws.dir, env: envOf(ws), stdio: ['ignore', fd, 'ignore'] });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      closeSync(fd);
      resolve({ code, stdout: readFileSync(path) });
    }),
  );
}

function envOf(ws: Workspace): NodeJS.ProcessEnv {
  return { ...process.env, PHOENIX_TEST_STORE: ws.storePath, NO_COLOR: '1' };
}

/** Event lines carry their emission time; everything else must be identical. */
const withoutTimestamps = (bytes: Buffer): string => bytes.toString().replace(/"@timestamp":"[^"]+"/g, '"@timestamp":"T"');

describe('output through a slow pipe', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace({ 'main.hcl': many(COUNT) });
  });
  afterAll(() => ws?.remove());

  it('delivers the whole multi-megabyte human plan, byte for byte', async () => {
    const reference = await runToFile(ws, ['plan', '-detailed-exitcode'], 'plan.txt');
    expect(reference.stdout.length).toBeGreaterThan(2_000_000);
    const piped = await runThroughSlowReader(ws, ['plan', '-detailed-exitcode']);
    expect(piped.code).toBe(2);
    expect(piped.stdout.length).toBe(reference.stdout.length);
    expect(piped.stdout.equals(reference.stdout)).toBe(true);
  });

  it('delivers the whole JSON plan of a saved plan file and the whole -json event stream', async () => {
    const saved = await ws.run(['plan', '-out=plan.bin']);
    expect(saved.code).toBe(0);
    const reference = await runToFile(ws, ['show', '-json', 'plan.bin'], 'plan.json');
    const piped = await runThroughSlowReader(ws, ['show', '-json', 'plan.bin']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.equals(reference.stdout)).toBe(true);
    expect((JSON.parse(piped.stdout.toString()) as { resource_changes: unknown[] }).resource_changes).toHaveLength(COUNT);

    const events = await runToFile(ws, ['plan', '-json'], 'events.jsonl');
    const pipedEvents = await runThroughSlowReader(ws, ['plan', '-json']);
    expect(pipedEvents.code).toBe(0);
    expect(pipedEvents.stdout.length).toBe(events.stdout.length);
    expect(withoutTimestamps(pipedEvents.stdout)).toBe(withoutTimestamps(events.stdout));
    const lines = pipedEvents.stdout.toString().trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'change_summary' });
  });

  it('delivers everything printed before an error exit', async () => {
    // The plan is printed, then apply fails on one object: the exit code is 1 and the output complete.
    const failing = workspace({ 'main.hcl': `${many(APPLIED)}\nresource "test_resource" "broken" {\n  name    = "broken"\n  fail_on = "create"\n}\n` });
    try {
      const piped = await runThroughSlowReader(failing, ['apply', '-auto-approve', '-parallelism=50']);
      expect(piped.code).toBe(1);
      const text = piped.stdout.toString();
      expect(text).toContain(`Plan: ${APPLIED + 1} to add, 0 to change, 0 to destroy.`);
      expect(text.match(/: Creation complete after/g)).toHaveLength(APPLIED);
      expect(text.trimEnd().split('\n').at(-1)).toContain(`Apply failed. Resources: ${APPLIED} added, 0 changed, 0 destroyed; 1 failed`);
      expect(piped.stderr).toContain('fail_on = "create"');
      expect(piped.stdout.length).toBeGreaterThan(128 * 1024); // more than a pipe buffer was still queued
    } finally {
      failing.remove();
    }
  }, 120_000);

  it('delivers the whole plan when an interrupt stops the run at the approval prompt', async () => {
    const reference = await runToFile(ws, ['plan'], 'plan-for-interrupt.txt');
    const planText = reference.stdout.toString();
    const planBody = planText.slice(0, planText.indexOf('Plan: ')).trimEnd();
    // Nothing is read until phoenix holds the state lock (its interrupt handling is installed by then)
    // and has been interrupted; everything it printed is still queued when it decides to exit.
    const piped = await runThroughSlowReader(ws, ['apply'], async (_pid, stderr) => {
      await until(() => existsSync(join(ws.dir, 'phoenix.state.json.lock')));
      process.kill(_pid, 'SIGINT');
      await until(() => stderr().includes('Interrupt received.'));
    });
    expect(piped.code).toBe(1);
    const text = piped.stdout.toString();
    expect(text.startsWith(planBody)).toBe(true);
    expect(text).toContain(`Plan: ${COUNT} to add, 0 to change, 0 to destroy.`);
  });
});
