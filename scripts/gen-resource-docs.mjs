// Regenerates docs/resources.md from the built-in providers' schemas, so the reference never drifts from
// the code. Run after `npm run build`: node scripts/gen-resource-docs.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { builtinProviders } = await import(join(root, 'dist/resources/builtin.js'));
const { typeToString } = await import(join(root, 'dist/config/values.js'));

const lines = [
  '# Resource types',
  '',
  'Generated from the provider schemas by `scripts/gen-resource-docs.mjs` — do not edit by hand.',
  '',
  'Change behaviour: **replace** = a change destroys and recreates the object; **restart** = applied in place,',
  'takes effect when the guest restarts (the plan says so); otherwise changes apply in place.',
  '',
];
for (const provider of builtinProviders().filter((p) => p.type !== 'test_resource')) {
  lines.push(`## \`${provider.type}\``, '', provider.schema.description, '');
  lines.push('| attribute | type | | on change | description |', '|---|---|---|---|---|');
  for (const [name, a] of Object.entries(provider.schema.attributes)) {
    const presence = a.required ? 'required' : a.computed && !a.optional ? 'computed' : a.computed ? 'optional, computed' : 'optional';
    const extra = [a.sensitive ? 'sensitive' : '', a.sensitiveFields ? `sensitive: ${a.sensitiveFields.map((f) => `\`${f}\``).join(', ')}` : '', a.block ? `also as \`${name} { }\` block${a.block === 'list' ? 's' : ''}` : '']
      .filter(Boolean)
      .join(', ');
    const change = a.forceNew ? 'replace' : a.restart ? 'restart' : a.computed && !a.optional ? '—' : 'in place';
    const defaultText = a.default !== undefined && a.default !== null ? ` Default: \`${JSON.stringify(a.default)}\`.` : '';
    const description = `${a.description}${defaultText}`.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    lines.push(`| \`${name}\` | \`${typeToString(a.type)}\` | ${presence}${extra ? `, ${extra}` : ''} | ${change} | ${description} |`);
  }
  lines.push('');
}
writeFileSync(join(root, 'docs/resources.md'), lines.join('\n'));
console.log('wrote docs/resources.md');
