/**
 * Ownership proof on objects whose only free text is a one-line comment (a vzdump job, a firewall alias,
 * IP set or security group): the create writes the comment followed by a marker naming the create's proof
 * token and the object it was written for,
 *
 *     nightly apps [phoenix-owner 5b0c…-uuid backup_job/nightly]
 *
 * Proxmox keeps the comment verbatim (jobs.cfg, cluster.fw / <vmid>.fw after `#`), so the marker survives
 * every read. A copy of the comment on another object names another object and proves nothing. The marker
 * is never part of the `comment` attribute: reads strip it, writes append it again.
 */
import type { Attrs } from '../../config/values.js';
import { ownerOf } from './ownership.js';

const MARKER = /(?:^| )\[phoenix-owner (\S+) (\S+)\]$/;

/** The comment without the marker, and the token it proves for `object` (null: none). */
export function splitCommentMarker(comment: string | null, object: string): { comment: string | null; owner: string | null } {
  if (comment === null) return { comment, owner: null };
  const match = MARKER.exec(comment);
  if (!match) return { comment, owner: null };
  const rest = comment.slice(0, match.index).trim();
  return { comment: rest === '' ? null : rest, owner: match[2] === object ? match[1]! : null };
}

/** The comment as written to the host: the attribute's text, then the marker when the object has a proof token. */
export function withCommentMarker(comment: string | null | undefined, attrs: Attrs, object: string): string | undefined {
  const owner = ownerOf(attrs);
  const text = comment?.trim() ? comment.trim() : undefined;
  if (owner === undefined) return text;
  const marker = `[phoenix-owner ${owner} ${object}]`;
  return text === undefined ? marker : `${text} ${marker}`;
}
