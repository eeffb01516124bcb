/**
 * Raw `lxc.*` lines (lxc_raw and the lines `gpus` expands into). Proxmox's API cannot write them, so
 * phoenix edits the guest config file under the same per-guest lock `pct` takes
 * (`/run/lock/lxc/pve-config-ID.lock`), with a constant Perl script that swaps the lines phoenix wrote
 * before for the ones it wants now, atomically (temp file + rename), and keeps every other line: raw lines
 * someone else added, `lxc.environment.runtime` (that is the `env` option: pve-container
 * src/PVE/LXC/Config.pm parse_pct_config / write_pct_config) and all sections.
 */
import type { Value } from '../../config/values.js';
import { hostPath, type NodeHandle } from '../provider.js';
import { guestConfigPath } from '../proxmox/inventory.js';
import { runOnHost } from '../proxmox/host.js';
import { idMapsFromLines, idMapLines } from './idmap.js';

/** Seconds to wait for the guest's config lock, as Proxmox's own tools do. */
const LOCK_WAIT_SECONDS = '10';

/**
 * argv: CONFFILE N OLD1..OLDn NEW... — before the first `[section]`, drops the `lxc.*` lines equal to one
 * of the OLD lines (compared as `key: value`, so `lxc.x = v` matches too; never lxc.environment.runtime),
 * appends the NEW lines not already there, writes a temp file next to the config and renames it over it.
 */
export const REWRITE_RAW_LINES_SCRIPT = [
  'use strict; use warnings;',
  'my ($file, $count, @args) = @ARGV;',
  'my %old = map { $_ => 1 } @args[0 .. $count - 1]; my @lines = @args[$count .. $#args];',
  'sub canon { my ($l) = @_; chomp(my $c = $l); return $c =~ /^(lxc\\.[^\\s:=]+)\\s*[:=]\\s*(.*?)\\s*$/ ? "$1: $2" : $c }',
  'open(my $in, "<", $file) or die "unable to open $file: $!\\n";',
  'my @all = <$in>; close($in);',
  'for (@all) { $_ .= "\\n" unless /\\n\\z/ }',
  'my (@main, @rest); my $in_main = 1;',
  'for my $l (@all) { $in_main = 0 if $l =~ /^\\[/; if (!$in_main) { push @rest, $l } elsif ($l !~ /^lxc\\.environment\\.runtime\\b/ && $l =~ /^lxc\\./ && $old{canon($l)}) { next } else { push @main, $l } }',
  'my %have = map { canon($_) => 1 } @main;',
  'pop @main while @main && $main[-1] =~ /^\\s*$/;',
  'push @main, map { "$_\\n" } grep { !$have{$_} } @lines;',
  'my $tmp = "$file.tmp.$$";',
  'open(my $out, ">", $tmp) or die "unable to write $tmp: $!\\n";',
  'print $out @main; print $out "\\n", @rest if @rest;',
  'close($out) or die "unable to write $tmp: $!\\n";',
  'rename($tmp, $file) or die "unable to rename $tmp: $!\\n";',
].join(' ');

const NVIDIA_MAJOR = 195;

/** Lines for passing NVIDIA GPUs: per-GPU device mounts, then the shared control/UVM devices and the cgroup rule. */
export function gpuLines(gpus: number[]): string[] {
  if (gpus.length === 0) return [];
  const mount = (dev: string) => `lxc.mount.entry: /dev/${dev} dev/${dev} none bind,optional,create=file`;
  return [
    `lxc.cgroup2.devices.allow: c ${NVIDIA_MAJOR}:* rwm`,
    ...gpus.map((i) => mount(`nvidia${i}`)),
    mount('nvidiactl'),
    mount('nvidia-uvm'),
    mount('nvidia-uvm-tools'),
  ];
}

/** `apparmor_profile` as the raw line pve-container reads it (LXC.pm make_apparmor_config: an explicit profile wins). */
export function apparmorLines(profile: Value | undefined): string[] {
  return typeof profile === 'string' ? [`lxc.apparmor.profile: ${profile}`] : [];
}

/** The lines phoenix writes: lxc_raw first, then the AppArmor profile, the id map ranges and the GPU lines. */
export function managedRawLines(lxcRaw: string[], gpus: number[], apparmorProfile?: Value, idMaps?: Value): string[] {
  return [...lxcRaw, ...apparmorLines(apparmorProfile), ...idMapLines(idMaps), ...gpuLines(gpus)];
}

/** `lxc.environment.runtime` lines are the container's `env` option, not raw lines. */
function isEnvironmentLine(line: string): boolean {
  return line.startsWith('lxc.environment.runtime:');
}

/**
 * The raw lines of the host config that are phoenix's: those it wrote (the prior `lxc_raw` and `gpus`
 * lines), or all of them when nothing is known yet (an import adopts what it finds). Lines someone else
 * added stay theirs: not shown, not removed.
 */
export function ownedRawLines(
  hostLines: string[],
  priorLxcRaw: Value | undefined,
  priorGpus: Value | undefined,
  priorApparmor?: Value,
  priorIdMaps?: Value,
): string[] {
  const lines = hostLines.filter((line) => !isEnvironmentLine(line));
  if (!Array.isArray(priorLxcRaw)) return lines;
  const strings = (v: Value | undefined) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const numbers = (v: Value | undefined) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
  const owned = new Set(managedRawLines(strings(priorLxcRaw), numbers(priorGpus), priorApparmor, priorIdMaps));
  return lines.filter((line) => owned.has(line));
}

/** Every raw line of a host config but the `env` ones: what a new clone inherited and phoenix now owns. */
export function inheritedRawLines(hostLines: string[]): string[] {
  return hostLines.filter((line) => !isEnvironmentLine(line));
}

/**
 * Splits the `lxc.*` lines found on the host into `gpus` and `lxc_raw`: GPUs are recognised by their
 * `/dev/nvidiaN` mounts; if every line those GPUs need is present they are removed from `lxc_raw`,
 * otherwise everything stays in `lxc_raw` (so the drift shows as a diff and the next apply rewrites it).
 */
export function splitRawLines(lines: string[]): { lxcRaw: string[]; gpus: number[] } {
  const gpus = lines
    .map((l) => /^lxc\.mount\.entry: \/dev\/nvidia(\d+) /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const expected = gpuLines(gpus);
  if (gpus.length === 0 || !expected.every((l) => lines.includes(l))) return { lxcRaw: lines, gpus: [] };
  return { lxcRaw: lines.filter((l) => !expected.includes(l)), gpus };
}

/**
 * Splits the AppArmor profile and the id map ranges out of the raw lines phoenix owns into `apparmor_profile`
 * and `id_map`. Lines the prior `lxc_raw` holds stay there (a config that writes them as raw lines keeps
 * doing so, without a diff); an import takes them as the first-class attributes.
 */
export function splitSecurityLines(lines: string[], priorLxcRaw: Value | undefined): { lxcRaw: string[]; apparmorProfile: string | null; idMaps: Value[] } {
  const raw = new Set(Array.isArray(priorLxcRaw) ? priorLxcRaw : []);
  const kept = lines.filter((l) => raw.has(l));
  const { idMaps, rest } = idMapsFromLines(lines.filter((l) => !raw.has(l)));
  const profiles = rest.filter((l) => l.startsWith('lxc.apparmor.profile: '));
  const apparmorProfile = profiles.length === 1 ? profiles[0]!.slice('lxc.apparmor.profile: '.length) : null;
  const others = apparmorProfile === null ? rest : rest.filter((l) => l !== profiles[0]);
  return { lxcRaw: lines.filter((l) => kept.includes(l) || others.includes(l)), apparmorProfile, idMaps };
}

/** Replaces the raw lines phoenix wrote before (`previous`) with `lines`. */
export function rewriteRawLinesArgv(node: NodeHandle, guestNode: string, vmid: number, previous: string[], lines: string[]): string[] {
  return [
    'flock',
    '-w',
    LOCK_WAIT_SECONDS,
    hostPath(node, `/run/lock/lxc/pve-config-${vmid}.lock`),
    'perl',
    '-e',
    REWRITE_RAW_LINES_SCRIPT,
    guestConfigPath(node, guestNode, 'lxc', vmid),
    String(previous.length),
    ...previous,
    ...lines,
  ];
}

export async function writeRawLines(node: NodeHandle, guestNode: string, vmid: number, previous: string[], lines: string[]): Promise<void> {
  await runOnHost(node, rewriteRawLinesArgv(node, guestNode, vmid, previous, lines), { what: `writing lxc.* lines of CT ${vmid}` });
}
