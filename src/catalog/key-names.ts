/**
 * Condition key names as the Service Authorization Reference writes them, some of them templates.
 * Its own module (not catalog.ts) so that the validator can read them without pulling the catalog
 * module into the page's first bundle (the editor loads the catalog lazily).
 */

/**
 * A condition key name of the reference as a pattern: `${Placeholder}` and `<placeholder>` stand for
 * any non-empty text, as does a trailing `tag-key` (`aws:PrincipalTag/tag-key`); the rest is literal,
 * compared case-insensitively.
 */
export function keyNamePattern(name: string): RegExp | undefined {
  const escape = (x: string): string => x.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  if (/\/tag-key$/i.test(name)) return new RegExp(`^${escape(name.slice(0, -'tag-key'.length))}.+$`, 'i');
  if (!/\$\{[^}]*\}|<[^>]*>/.test(name)) return undefined;
  const src = name
    .split(/(\$\{[^}]*\}|<[^>]*>)/)
    .map((part, i) => (i % 2 === 1 ? '.+' : escape(part)))
    .join('');
  return new RegExp(`^${src}$`, 'i');
}
