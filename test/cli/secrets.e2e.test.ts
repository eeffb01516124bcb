/**
 * One unique secret fed through every kind of attribute (a sensitive variable used in a description, in
 * tags through a function, in feature inputs, as the lxc password, a cloud-init password set literally),
 * host commands failing with the secret in their stderr (the simulator's fault injection), a type error
 * on a sensitive variable — and then every output stream and every file phoenix writes is searched for
 * it. The state (and its backup) and a saved plan file hold the values by design (Terraform's do too);
 * the simulated node's directory is the host.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFaults } from '../acceptance/harness.js';
import { workspace, type RunResult, type Workspace } from './harness.js';

const SECRET = `Zq${randomBytes(6).toString('hex')}Secret`;
const CLOUD_INIT_SECRET = `Ci${randomBytes(6).toString('hex')}Pw`;
/** What the config derives from the secret: every form must stay hidden. */
const FORMS = [SECRET, SECRET.toLowerCase(), CLOUD_INIT_SECRET];

const CONFIG = `
variable "secret" {
  type      = string
  sensitive = true
}
variable "port" {
  type      = number
  sensitive = true
  default   = 8080
}
resource "lxc" "app" {
  vmid        = 120
  hostname    = "app"
  ostemplate  = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  password    = var.secret
  description = "note: \${var.secret}"
  tags        = ["t\${lower(var.secret)}"]
  state       = "running"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
}
resource "feature" "app" {
  guest  = lxc.app.vmid
  name   = "demo"
  script = "echo installing"
  inputs = { token = var.secret, port = tostring(var.port) }
}
resource "vm" "web" {
  vmid = 130
  name = "web"
  cloud_init {
    user     = "admin"
    password = "${CLOUD_INIT_SECRET}"
  }
}
output "note" {
  value     = lxc.app.description
  sensitive = true
}
`;

/** Files the run wrote that may not hold the secret: everything but the state, its backup, plan files and the host. */
function writtenFiles(ws: Workspace): string[] {
  const allowed = new Set(['phoenix.state.json', 'phoenix.state.json.backup', 'plan.bin', 'main.hcl']);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === '.phoenix-sim') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (!allowed.has(relative(ws.dir, path))) files.push(path);
    }
  };
  walk(ws.dir);
  return files;
}

function leaks(text: string): string[] {
  return FORMS.filter((form) => text.includes(form));
}

describe('a sensitive value is never printed or written', () => {
  let ws: Workspace;
  const runs: { args: string[]; result: RunResult }[] = [];
  const env = { PHOENIX_VAR_secret: SECRET };
  const run = async (args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> => {
    const result = await ws.run(args, { env: { ...env, ...extraEnv } });
    runs.push({ args, result });
    return result;
  };

  beforeAll(async () => {
    ws = workspace({ 'main.hcl': CONFIG });
    // The VM's create fails with the cloud-init secret in stderr; the feature's script fails printing the secret.
    injectFaults(join(ws.dir, '.phoenix-sim'), [
      { match: 'qm create', action: 'fail', stderr: `cannot set cipassword ${CLOUD_INIT_SECRET}` },
      { match: '/pct exec 120 .*-- env .* sh/', action: 'fail', stderr: `token ${SECRET} rejected` },
    ]);
    await run(['validate']);
    await run(['plan']);
    await run(['plan', '-json']);
    await run(['plan', '-out=plan.bin']);
    await run(['show', 'plan.bin']);
    await run(['show', '-format=markdown', 'plan.bin']);
    await run(['show', '-json', 'plan.bin']);
    await run(['apply', '-auto-approve']);
    await run(['apply', '-auto-approve', '-json']);
    await run(['show']);
    await run(['state', 'show', 'lxc.app']);
    await run(['output']);
    await run(['plan', '-var', `port=${SECRET}`]);
    await run(['plan', '-var', `port=${SECRET}`, '-json']);
  }, 180_000);
  afterAll(() => ws.remove());

  it('the runs did what the test needs (failures included)', () => {
    const apply = runs.find((r) => r.args.join(' ') === 'apply -auto-approve')!.result;
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Command: qm create 130');
    expect(apply.stderr).toMatch(/feature\.app/);
    expect(apply.stderr).toContain('(sensitive value)');
    const typeError = runs.find((r) => r.args.join(' ') === `plan -var port=${SECRET}`)!.result;
    expect(typeError.code).toBe(1);
    expect(typeError.stderr).toContain('Invalid value for input variable');
    // The state does hold the values: the search below is not vacuous.
    expect(ws.read('phoenix.state.json')).toContain(SECRET);
  });

  it('no stdout or stderr of any command contains the secret in any form', () => {
    const found = runs.flatMap(({ args, result }) =>
      [...leaks(result.stdout).map((f) => `stdout of "${args.join(' ')}": ${f}`), ...leaks(result.stderr).map((f) => `stderr of "${args.join(' ')}": ${f}`)],
    );
    expect(found).toEqual([]);
  });

  it('no file phoenix wrote (other than the state and the plan file) contains it', () => {
    const found = writtenFiles(ws).filter((path) => leaks(readFileSync(path, 'utf8')).length > 0);
    expect(found).toEqual([]);
  });

  it('the failing command line keeps the arguments that are not secret', () => {
    const apply = runs.find((r) => r.args.join(' ') === 'apply -auto-approve')!.result;
    // The password goes as one `--cipassword=VALUE` word (a value starting with `-` is no option): redacted whole.
    expect(apply.stderr).toMatch(/Command: qm create 130 .*--ciuser admin .*\(sensitive value\)/);
  });
});
