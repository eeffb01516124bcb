/**
 * Terminal colours for the human renderers. One place decides which colours mean what (Terraform's
 * palette: green create, yellow update, red destroy), and `color: false` turns every style into the
 * identity so the same rendering code produces plain text for -no-color, pipes and NO_COLOR.
 */
import { Chalk } from 'chalk';

export type Paint = (text: string) => string;

export interface Style {
  color: boolean;
  create: Paint;
  update: Paint;
  destroy: Paint;
  bold: Paint;
  dim: Paint;
  error: Paint;
  warning: Paint;
  note: Paint;
}

const identity: Paint = (text) => text;

export function createStyle(color: boolean): Style {
  if (!color) {
    return {
      color,
      create: identity,
      update: identity,
      destroy: identity,
      bold: identity,
      dim: identity,
      error: identity,
      warning: identity,
      note: identity,
    };
  }
  // Level 1 (16 colours) renders everywhere and keeps escape sequences short and predictable.
  const chalk = new Chalk({ level: 1 });
  return {
    color,
    create: (t) => chalk.green(t),
    update: (t) => chalk.yellow(t),
    destroy: (t) => chalk.red(t),
    bold: (t) => chalk.bold(t),
    dim: (t) => chalk.dim(t),
    error: (t) => chalk.red(t),
    warning: (t) => chalk.yellow(t),
    note: (t) => chalk.cyan(t),
  };
}
