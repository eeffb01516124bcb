/** JSON as Perl's JSON->new->pretty->canonical prints it: 3-space indent, `"key" : value`, sorted keys. */
export function perlPrettyJson(value: unknown, indent = ''): string {
  const inner = indent + '   ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + perlPrettyJson(v, inner)).join(',\n')}\n${indent}]` + (indent ? '' : '\n');
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    const body = keys.map((k) => `${inner}${JSON.stringify(k)} : ${perlPrettyJson((value as Record<string, unknown>)[k], inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}` + (indent ? '' : '\n');
  }
  return JSON.stringify(value);
}
