/** Hostile argument strings, shared by the exec tests and the hostile-input campaign (src/bench/hostile-campaign.ts). */
/** Arguments that would do damage if any shell ever interpreted them; `canary` names a file they try to create. */
export function hostileArguments(canary: string): string[] {
  return [
    `; rm -rf /tmp/x`,
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `"; touch ${canary}; echo "`,
    `'; touch ${canary}; echo '`,
    `it's`,
    `'`,
    `''`,
    `\\'`,
    `"double" and 'single'`,
    `line one\nline two\n`,
    `\n`,
    `*`,
    `/*`,
    `~`,
    `~root/x`,
    `a && touch ${canary}`,
    `a || touch ${canary}`,
    `| touch ${canary}`,
    `> ${canary}`,
    `-n`,
    `--help`,
    `-`,
    `$HOME`,
    `\${HOME}`,
    `!!`,
    `#comment`,
    `a\tb`,
    `\\`,
    `%s%d`,
    `ünïcødé ✓`,
    `   padded   `,
    ``,
  ];
}

/** Split `printf '%s\0' ARGS...` output back into the arguments. */
export function splitNulTerminated(output: string): string[] {
  return output.split('\0').slice(0, -1);
}

/** An HCL quoted-string literal holding exactly `text`; `${` and `%{` stay literal (replacer functions,
 * because `$$` means `$` in a replacement string). */
export function hclString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${escaped}"`;
}
