/**
 * Backup jobs (`/cluster/backup`), kept in etc/pve/jobs.cfg as section config (`vzdump: ID` + tab-indented
 * options), after pve-manager PVE/API2/Backup.pm (create_job, update_job, delete_job, index) and
 * PVE::VZDump::verify_vzdump_parameters (pve-manager PVE/VZDump.pm). Options and formats follow
 * pve-guest-common PVE/VZDump/Common.pm. Resource pools are not modelled, so `--pool` is not checked for existence.
 */
import { parseArgs } from '../core/args.js';
import { arg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import type { SimEnv } from '../core/env.js';
import { SimError, verificationError } from '../core/errors.js';
import { readTextOrNull, writeFileAtomic } from '../core/fsutil.js';
import { withNodeLock } from '../core/node-lock.js';
import { parsePropString, type ParamSpec } from '../core/schema.js';
import { parseStorageConfig, renderStorageConfig, type StorageEntry } from '../storage/config.js';

const KEEP: ParamSpec = { type: 'integer', min: 0 };
const PRUNE_FORMAT = { keys: { 'keep-all': { type: 'boolean' as const }, 'keep-last': KEEP, 'keep-hourly': KEEP, 'keep-daily': KEEP, 'keep-weekly': KEEP, 'keep-monthly': KEEP, 'keep-yearly': KEEP } };

/** pve-configid (JSONSchema.pm $CONFIGID_RE). */
const CONFIG_ID: ParamSpec = { type: 'string', maxLength: 64, check: (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`) };

/**
 * pve-calendar-event (CalendarEvent.pm, parsed by proxmox-time in Rust): weekdays, optional date, time with
 * lists, ranges and repetitions, or the keywords. The Rust parser's own error detail is not in the sources
 * at hand; the prefix is CalendarEvent.pm's.
 */
function calendarEventProblem(text: string): string | undefined {
  const event = text.trim();
  if (event === '') return `invalid calendar event '${text}' - unable to parse calendar event - event is empty`;
  const keywords = ['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'quarterly', 'semiannually'];
  const day = '(mon|tue|wed|thu|fri|sat|sun)';
  const days = `${day}(\\.\\.${day})?(,${day}(\\.\\.${day})?)*`;
  const field = '(\\*|\\d{1,2}(\\.\\.\\d{1,2})?(/\\d{1,2})?)(,\\d{1,2}(\\.\\.\\d{1,2})?)*';
  const time = `${field}(:${field}){1,2}`;
  const date = '(\\*|\\d{4})-(\\*|\\d{1,2})-(\\*|\\d{1,2})';
  const pattern = new RegExp(`^(${days})?\\s*(${date}\\s+)?(${time})?$`, 'i');
  const ok = keywords.includes(event.toLowerCase()) || (pattern.test(event) && /\d|\*|mon|tue|wed|thu|fri|sat|sun/i.test(event));
  return ok ? undefined : `invalid calendar event '${text}' - unable to parse calendar event`;
}

const SCHEDULE: ParamSpec = { type: 'string', maxLength: 128, check: calendarEventProblem };
const VMID_LIST: ParamSpec = { type: 'string', check: (v) => (v.split(/[,;\s]+/).filter(Boolean).every((id) => /^\d+$/.test(id) && Number(id) >= 100) ? undefined : `value '${v}' does not look like a valid VMID list`) };

/** The options create and set share (json_config_properties plus the job's own). */
const JOB_OPTIONS: Record<string, ParamSpec> = {
  schedule: SCHEDULE,
  storage: { type: 'string', check: (v) => (/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? undefined : `storage ID '${v}' contains illegal characters`) },
  vmid: VMID_LIST,
  all: { type: 'boolean' },
  pool: { type: 'string' },
  exclude: VMID_LIST,
  mode: { type: 'string', enum: ['snapshot', 'suspend', 'stop'] },
  compress: { type: 'string', enum: ['0', '1', 'gzip', 'lzo', 'zstd'] },
  'prune-backups': { type: 'string' },
  enabled: { type: 'boolean' },
  'repeat-missed': { type: 'boolean' },
  comment: { type: 'string', maxLength: 512 },
  mailto: { type: 'string' },
  node: { type: 'string' },
  'notes-template': { type: 'string', maxLength: 1024 },
  protected: { type: 'boolean' },
};

const FORMAT_OPTIONS: Record<string, ParamSpec> = {
  'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] },
  noborder: { type: 'boolean' },
  noheader: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'human-readable': { type: 'boolean' },
};

function jobsPath(env: SimEnv): string {
  return env.path('etc/pve/jobs.cfg');
}

export function loadJobs(env: SimEnv): StorageEntry[] {
  return parseStorageConfig(readTextOrNull(jobsPath(env)) ?? '');
}

function saveJobs(env: SimEnv, jobs: StorageEntry[]): void {
  writeFileAtomic(jobsPath(env), renderStorageConfig(jobs));
}

/** verify_vzdump_parameters: one selection, prune-backups parsable, and (with check_missing) a selection at all. */
function verifyJob(props: Record<string, string>, checkMissing: boolean): void {
  if (props.all === '1' && props.vmid) throw verificationError({ all: "option conflicts with option 'vmid'" });
  if (props.exclude && props.vmid) throw verificationError({ exclude: "option conflicts with option 'vmid'" });
  if (props.pool && props.vmid) throw verificationError({ pool: "option conflicts with option 'vmid'" });
  if (props['prune-backups'] !== undefined) {
    const errors: Record<string, string> = {};
    parsePropString('prune-backups', props['prune-backups'], PRUNE_FORMAT, errors);
    if (Object.keys(errors).length > 0) throw verificationError(errors);
  }
  if (props.exclude !== undefined && !props.pool) props.all = '1';
  if (checkMissing && !(props.all === '1' || props.pool) && !props.vmid) throw verificationError({ vmid: 'property is missing' });
}

export async function createJob(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'pvesh create <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options: { id: CONFIG_ID, ...JOB_OPTIONS, ...FORMAT_OPTIONS } }, args);
  const { id, ...rest } = parsed.options;
  const props = Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in FORMAT_OPTIONS)));
  // $schedule_param_check with $required.
  if (props.schedule === undefined) throw verificationError({ schedule: "neither 'starttime' nor 'schedule' were set" });
  props.enabled ??= '1';
  const jobId = id ?? `backup-${Date.now().toString(16)}`;
  await withNodeLock(ctx.env, () => {
    const jobs = loadJobs(ctx.env);
    if (jobs.some((j) => j.id === jobId)) throw new SimError(`Job '${jobId}' already exists`);
    verifyJob(props, true);
    jobs.push({ type: 'vzdump', id: jobId, props });
    saveJobs(ctx.env, jobs);
  });
}

export async function updateJob(ctx: CommandContext, id: string, args: string[]): Promise<void> {
  const parsed = parseArgs(
    { usage: 'pvesh set <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options: { ...JOB_OPTIONS, delete: { type: 'string' }, ...FORMAT_OPTIONS } },
    args,
  );
  const { delete: deleteList, ...rest } = parsed.options;
  const params = Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in FORMAT_OPTIONS)));
  const deleted = (deleteList ?? '').split(/[,;\s]+/).filter(Boolean);
  await withNodeLock(ctx.env, () => {
    const jobs = loadJobs(ctx.env);
    if (Object.keys(params).length === 0 && deleted.length === 0) throw new SimError('no options specified');
    verifyJob({ ...params }, false);
    const job = jobs.find((j) => j.id === id);
    if (!job || job.type !== 'vzdump') throw new SimError('no such vzdump job');
    for (const key of deleted) {
      if (!(key in JOB_OPTIONS)) throw verificationError({ delete: `unknown option '${key}'` });
      delete job.props[key];
    }
    Object.assign(job.props, params);
    if (job.props.exclude !== undefined && job.props.pool === undefined) job.props.all = '1';
    // update_job: a new selection replaces the old one.
    if (params.vmid !== undefined) for (const k of ['all', 'exclude', 'pool']) delete job.props[k];
    else if (params.all === '1') for (const k of ['vmid', 'pool']) delete job.props[k];
    else if (job.props.pool !== undefined) for (const k of ['vmid', 'all', 'exclude']) delete job.props[k];
    verifyJob(job.props, true);
    saveJobs(ctx.env, jobs);
  });
}

export async function deleteJob(ctx: CommandContext, id: string): Promise<void> {
  await withNodeLock(ctx.env, () => {
    const jobs = loadJobs(ctx.env);
    if (!jobs.some((j) => j.id === id)) throw verificationError({ id: `No such job '${id}'` });
    saveJobs(ctx.env, jobs.filter((j) => j.id !== id));
  });
}

const NUMERIC = new Set(['all', 'enabled', 'repeat-missed', 'protected']);

/** One job as GET /cluster/backup returns it: booleans as integers, prune-backups as an object. */
export function jobRecord(job: StorageEntry): Record<string, unknown> {
  const record: Record<string, unknown> = { id: job.id, type: job.type };
  for (const [key, value] of Object.entries(job.props)) {
    if (key === 'prune-backups') record[key] = Object.fromEntries(Object.entries(parsePropString(key, value, PRUNE_FORMAT, {})).map(([k, v]) => [k, Number(v)]));
    else record[key] = NUMERIC.has(key) ? Number(value) : value;
  }
  return record;
}
