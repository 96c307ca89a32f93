/**
 * The Compute list `filter` language, as far as the fake understands it, on the fields `name`,
 * `status`, `zone` and `labels.<key>`: AIP-160 comparisons (`field = value`, `field != value`)
 * and regular-expression comparisons (`field eq "re"`, `field ne "re"`, matching the whole
 * value), grouped in parentheses, joined by `OR` (binds tighter) and `AND` (explicit or by
 * juxtaposition). Like the real API, the two syntaxes cannot be mixed; anything else is a 400.
 */

/** A parsed filter: tells whether a resource matches. */
export type FilterPredicate = (resource: Readonly<Record<string, unknown>>) => boolean;

/** Thrown for a filter the fake cannot parse. */
export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

type Token = { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'op'; text: string } | { kind: 'word' | 'string'; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < filter.length) {
    const char = filter[index] as string;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'lparen' : 'rparen', text: char });
      index += 1;
    } else if (char === '=' || (char === '!' && filter[index + 1] === '=')) {
      tokens.push({ kind: 'op', text: char === '=' ? '=' : '!=' });
      index += char === '=' ? 1 : 2;
    } else if (char === '"') {
      let value = '';
      index += 1;
      while (index < filter.length && filter[index] !== '"') {
        if (filter[index] === '\\') index += 1;
        value += filter[index] ?? '';
        index += 1;
      }
      if (filter[index] !== '"') throw new FilterSyntaxError('unterminated string');
      index += 1;
      tokens.push({ kind: 'string', text: value });
    } else {
      const match = /^[A-Za-z0-9_.\-*]+/.exec(filter.slice(index));
      if (!match) throw new FilterSyntaxError(`unexpected character ${JSON.stringify(char)}`);
      const word = match[0];
      index += word.length;
      if (word === 'AND') tokens.push({ kind: 'and', text: word });
      else if (word === 'OR') tokens.push({ kind: 'or', text: word });
      else tokens.push({ kind: 'word', text: word });
    }
  }
  return tokens;
}

function valueOf(resource: Readonly<Record<string, unknown>>, field: string): string | undefined {
  if (field.startsWith('labels.')) {
    const labels = resource.labels as Record<string, string> | undefined;
    return labels?.[field.slice('labels.'.length)];
  }
  const value = resource[field];
  if (typeof value !== 'string') return undefined;
  return field === 'zone' ? value.split('/').pop() : value;
}

const FIELDS = /^(name|status|zone|labels\.[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*)$/u;

/** Parses a filter expression into a predicate; an empty filter matches everything. */
export function parseFilter(filter: string | null | undefined): FilterPredicate {
  if (!filter || filter.trim() === '') return () => true;
  const tokens = tokenize(filter);
  const syntaxes = new Set<'regex' | 'aip160'>();
  let position = 0;
  const peek = () => tokens[position];
  const take = () => {
    const token = tokens[position];
    if (!token) throw new FilterSyntaxError('unexpected end of filter');
    position += 1;
    return token;
  };

  function comparison(): FilterPredicate {
    const field = take();
    if (field.kind !== 'word' || !FIELDS.test(field.text)) throw new FilterSyntaxError(`unsupported field ${JSON.stringify(field.text)}`);
    const op = take();
    const regex = op.kind === 'word' && (op.text === 'eq' || op.text === 'ne');
    if (op.kind !== 'op' && !regex) throw new FilterSyntaxError(`expected =, !=, eq or ne after ${field.text}`);
    syntaxes.add(regex ? 'regex' : 'aip160');
    if (syntaxes.size > 1) throw new FilterSyntaxError('regular-expression and AIP-160 expressions cannot be mixed');
    const value = take();
    if (value.kind !== 'word' && value.kind !== 'string') throw new FilterSyntaxError(`expected a value after ${field.text} ${op.text}`);
    const expected = value.text;
    if (regex) {
      const pattern = new RegExp(`^(?:${expected})$`, 'u');
      const matches = (resource: Readonly<Record<string, unknown>>) => pattern.test(valueOf(resource, field.text) ?? '');
      return op.text === 'eq' ? matches : (resource) => !matches(resource);
    }
    return op.text === '='
      ? (resource) => valueOf(resource, field.text) === expected
      : (resource) => valueOf(resource, field.text) !== expected;
  }

  function primary(): FilterPredicate {
    if (peek()?.kind === 'lparen') {
      take();
      const inner = conjunction();
      if (take().kind !== 'rparen') throw new FilterSyntaxError('expected )');
      return inner;
    }
    return comparison();
  }

  function disjunction(): FilterPredicate {
    const parts = [primary()];
    while (peek()?.kind === 'or') {
      take();
      parts.push(primary());
    }
    return parts.length === 1 ? (parts[0] as FilterPredicate) : (resource) => parts.some((part) => part(resource));
  }

  function conjunction(): FilterPredicate {
    const parts = [disjunction()];
    for (let next = peek(); next && next.kind !== 'rparen'; next = peek()) {
      if (next.kind === 'and') take();
      parts.push(disjunction());
    }
    return (resource) => parts.every((part) => part(resource));
  }

  const predicate = conjunction();
  if (position !== tokens.length) throw new FilterSyntaxError(`unexpected ${JSON.stringify(peek()?.text)}`);
  return predicate;
}
