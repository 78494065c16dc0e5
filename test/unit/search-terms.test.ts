// The contacts' search terms: what a search may type (each start of a name word from two letters, the
// whole email, the phone's digits, an import's key), stored only as keyed hashes.
import { MAX_SEARCH_TERMS, searchTerms } from '../../shared/store/contacts';
import { hasherOf } from '../../shared/store/search-hash';

describe('the terms of a household', () => {
  it("each start of each word of the name (two letters or more), the email and the phone's forms, the import's key", () => {
    expect(searchTerms({ name: "Zoë O'Brien", email: ' Zoe.OB@Example.org ', phone: '+44 7700 900123' }, 'ENQ/7')).toEqual([
      'x:enq/7',
      'e:zoe.ob@example.org',
      'p:447700900123',
      'p:07700900123',
      'n:zo',
      'n:zoe',
      'n:ob',
      'n:obr',
      'n:obri',
      'n:obrie',
      'n:obrien',
    ]);
  });

  it('a one-letter word is a term of its own; a long name stops at the most one transaction can write', () => {
    expect(searchTerms({ name: 'J Smith' })).toEqual(['n:j', 'n:sm', 'n:smi', 'n:smit', 'n:smith']);
    const long = searchTerms({ name: Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i).repeat(10)).join(' ') });
    expect(long).toHaveLength(MAX_SEARCH_TERMS);
  });
});

describe('the stored form of a term', () => {
  const hash = hasherOf('a-key');

  it('keeps its kind and hides its value', () => {
    const stored = hash('n:zoe');
    expect(stored).toMatch(/^n:[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('zoe');
  });

  it('is the same for the same term and key, and another under another key', () => {
    expect(hash('e:zoe@example.org')).toBe(hash('e:zoe@example.org'));
    expect(hash('e:zoe@example.org')).not.toBe(hash('e:zoe@example.org '));
    expect(hasherOf('another-key')('e:zoe@example.org')).not.toBe(hash('e:zoe@example.org'));
  });
});
