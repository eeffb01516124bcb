/**
 * The `backup_job` resource type: vzdump schedules through `pvesh` on /cluster/backup. The job's comment
 * carries phoenix's ownership proof (proxmox/comment-marker.ts), written by the create itself.
 */
import type { Diagnostic } from '../../config/diagnostics.js';
import { containsUnknown, isObject, valuesEqual, type Attrs, type Value } from '../../config/values.js';
import { OWNER_KEY, type NodeHandle, type ProviderContext, type ResourceProvider } from '../provider.js';
import { numList, str } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { requireNode, runOnHost } from '../proxmox/host.js';
import { splitCommentMarker, withCommentMarker } from '../proxmox/comment-marker.js';
import { formatPruneBackups, pruneBackupsProblem } from '../proxmox/prune-backups.js';
import { backupJobSchema } from './schema.js';

const rules: DiffRules = { schema: backupJobSchema, createOnly: [] };

/** phoenix attribute → /cluster/backup option. */
const OPTION: Record<string, string> = {
  schedule: 'schedule',
  storage: 'storage',
  vmids: 'vmid',
  all: 'all',
  pool: 'pool',
  exclude: 'exclude',
  mode: 'mode',
  compress: 'compress',
  prune_backups: 'prune-backups',
  enabled: 'enabled',
  comment: 'comment',
};

type JobRecord = Record<string, Value>;

/** Every vzdump job of the cluster: one `pvesh get`. */
async function readJobs(node: NodeHandle): Promise<Map<string, JobRecord>> {
  const result = await runOnHost(node, ['pvesh', 'get', '/cluster/backup', '--output-format', 'json'], { what: 'reading backup jobs' });
  const jobs = JSON.parse(result.stdout || '[]') as JobRecord[];
  return new Map(jobs.filter((j) => j.type === undefined || j.type === 'vzdump').map((j) => [String(j.id), j]));
}

const ids = (text: Value | undefined): number[] => (typeof text === 'string' ? text.split(/[,;\s]+/).filter(Boolean).map(Number) : typeof text === 'number' ? [text] : []);

const markerObject = (id: string) => `backup_job/${id}`;

function jobAttrs(job: JobRecord, nodeName: string): Attrs {
  const text = (key: string) => (job[key] === undefined || job[key] === null ? null : String(job[key]));
  const { comment, owner } = splitCommentMarker(text('comment'), markerObject(String(job.id)));
  return {
    id: String(job.id),
    node: nodeName,
    schedule: text('schedule'),
    storage: text('storage'),
    vmids: ids(job.vmid),
    all: Number(job.all ?? 0) === 1,
    pool: text('pool'),
    exclude: ids(job.exclude),
    mode: text('mode') ?? 'snapshot',
    compress: text('compress'),
    prune_backups: isObject(job['prune-backups']) ? job['prune-backups'] : null,
    enabled: Number(job.enabled ?? 1) === 1,
    comment,
    [OWNER_KEY]: owner,
  };
}

/** `--option value` for the named attributes (unset ones left out); the comment carries the proof marker. */
function optionArgs(attrs: Attrs, names: string[]): string[] {
  const args: string[] = [];
  for (const name of names) {
    const value = name === 'comment' ? (withCommentMarker(str(attrs, 'comment'), attrs, markerObject(str(attrs, 'id')!)) ?? null) : attrs[name];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) args.push(`--${OPTION[name]}`, numList(attrs, name).join(','));
    } else if (typeof value === 'boolean') {
      if (name !== 'all' || value) args.push(`--${OPTION[name]}`, value ? '1' : '0');
    } else if (isObject(value)) {
      const text = formatPruneBackups(value);
      if (text !== undefined) args.push(`--${OPTION[name]}`, text);
    } else args.push(`--${OPTION[name]}`, String(value));
  }
  return args;
}

async function readBack(ctx: ProviderContext, id: string): Promise<Attrs> {
  const node = requireNode(ctx);
  const job = (await readJobs(node)).get(id);
  if (!job) throw diagnosticError(`Backup job ${id} disappeared during apply`);
  return jobAttrs(job, node.name);
}

function validate(attrs: Attrs): Diagnostic[] {
  const problems: string[] = [];
  const id = str(attrs, 'id');
  if (id !== undefined && !/^[a-z][a-z0-9_-]+$/i.test(id)) problems.push(`Job ID "${id}" is invalid: a letter, then letters, digits, "-" or "_" (at least 2 characters).`);
  if (!containsUnknown(attrs.vmids ?? null)) {
    const selections = [numList(attrs, 'vmids').length > 0, attrs.all === true, typeof attrs.pool === 'string'].filter(Boolean).length;
    if (selections !== 1) problems.push('Select the guests with exactly one of `vmids`, `all = true` or `pool` (vzdump: "option conflicts with option \'vmid\'").');
    if (numList(attrs, 'exclude').length > 0 && numList(attrs, 'vmids').length > 0) problems.push('`exclude` goes with `all` or `pool`, not with `vmids`.');
  }
  const mode = str(attrs, 'mode');
  if (mode !== undefined && !['snapshot', 'suspend', 'stop'].includes(mode)) problems.push(`mode "${mode}" is not one of snapshot, suspend, stop.`);
  const compress = str(attrs, 'compress');
  if (compress !== undefined && !['0', '1', 'gzip', 'lzo', 'zstd'].includes(compress)) problems.push(`compress "${compress}" is not one of 0, 1, gzip, lzo, zstd.`);
  const prune = containsUnknown(attrs.prune_backups ?? null) ? undefined : pruneBackupsProblem(isObject(attrs.prune_backups) ? attrs.prune_backups : null);
  if (prune) problems.push(`prune_backups: ${prune}.`);
  if (str(attrs, 'schedule')?.trim() === '') problems.push('schedule is empty.');
  // PVE/API2/Backup.pm: comment maxLength 512, and phoenix's ownership marker follows the text on the node.
  const room = 512 - (withCommentMarker('', { [OWNER_KEY]: '00000000-0000-0000-0000-000000000000' }, markerObject(id ?? '')) ?? '').length - 1;
  const comment = str(attrs, 'comment');
  if (comment !== undefined && comment.trim().length > room) problems.push(`comment is ${comment.trim().length} characters: at most ${room} fit beside phoenix's ownership marker (Proxmox allows 512).`);
  if (comment !== undefined && /[\r\n]/.test(comment)) problems.push('comment must be one line (jobs.cfg keeps one line per option).');
  return problems.map((detail) => ({ severity: 'error', summary: 'Invalid backup_job', detail }));
}

export const backupJobProvider: ResourceProvider = {
  type: 'backup_job',
  schema: backupJobSchema,
  validate,

  normalize: (planned) => ({
    ...planned,
    vmids: Array.isArray(planned.vmids) && !containsUnknown(planned.vmids) ? [...numList(planned, 'vmids')].sort((a, b) => a - b) : (planned.vmids ?? []),
    exclude: Array.isArray(planned.exclude) && !containsUnknown(planned.exclude) ? [...numList(planned, 'exclude')].sort((a, b) => a - b) : (planned.exclude ?? []),
    all: planned.all ?? false,
    mode: planned.mode ?? 'snapshot',
    enabled: planned.enabled ?? true,
  }),

  diff: (prior, planned, proposed) => refineDiff(rules, prior, withComputedFromPrior(backupJobSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: planned.id ?? null }),
  ownershipProof: 'token',
  // Backup job IDs are cluster-wide (/etc/pve/jobs.cfg).
  identityKeys: (planned) => (typeof planned.id === 'string' ? [{ key: `backup_job:${planned.id}`, attribute: 'id', label: `backup job ${planned.id}` }] : []),

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const jobs = await readJobs(node);
    return requests.map(({ prior }) => {
      const job = jobs.get(str(prior, 'id') ?? '');
      return job ? jobAttrs(job, node.name) : null;
    });
  },

  async create(ctx, planned) {
    const id = str(planned, 'id')!;
    ctx.progress(`creating backup job ${id}`);
    await refusedWhenTaken(() => runOnHost(requireNode(ctx), ['pvesh', 'create', '/cluster/backup', '--id', id, ...optionArgs(planned, Object.keys(OPTION))], { what: `creating backup job ${id}` }));
    return readBack(ctx, id);
  },

  async update(ctx, prior, planned) {
    const id = str(prior, 'id')!;
    const changed = Object.keys(OPTION).filter((name) => !valuesEqual(prior[name] ?? null, planned[name] ?? null));
    const empty = (v: Value | undefined) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === false;
    // Selection attributes need no --delete: the API drops the old selection when a new one is set.
    // A job with a proof token keeps its marker comment when the comment attribute is removed.
    const removed = changed.filter((n) => empty(n === 'comment' ? withCommentMarker(str(planned, 'comment'), planned, markerObject(id)) : planned[n]) && !['vmids', 'all', 'pool', 'enabled'].includes(n));
    const args = [...optionArgs(planned, changed.filter((n) => !removed.includes(n))), ...(removed.length ? ['--delete', removed.map((n) => OPTION[n]).join(',')] : [])];
    if (args.length > 0) await runOnHost(requireNode(ctx), ['pvesh', 'set', `/cluster/backup/${id}`, ...args], { what: `updating backup job ${id}` });
    return readBack(ctx, id);
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const id = str(prior, 'id')!;
    if (!(await readJobs(node)).has(id)) return; // already gone
    await runOnHost(node, ['pvesh', 'delete', `/cluster/backup/${id}`], { what: `deleting backup job ${id}` });
  },

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    const job = (await readJobs(node)).get(id);
    if (!job) throw diagnosticError(`Backup job ${id} does not exist`, `pvesh get /cluster/backup on node ${node.name} lists no job "${id}".`);
    const found = jobAttrs(job, node.name);
    if (owner === undefined) return found;
    const comment = withCommentMarker(str(found, 'comment'), { [OWNER_KEY]: owner }, markerObject(id))!;
    await runOnHost(node, ['pvesh', 'set', `/cluster/backup/${id}`, '--comment', comment], { what: `writing phoenix's ownership marker into backup job ${id}` });
    return { ...found, [OWNER_KEY]: owner };
  },
};
