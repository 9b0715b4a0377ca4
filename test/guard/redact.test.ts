import assert from 'node:assert/strict';
import { findSensitiveSpans, redact } from '../../services/guard/guard';
import { loadSet } from './sets';

describe('guard: redact', () => {
  it('replaces what was found and keeps the rest', () => {
    assert.equal(
      redact('my code is 123 456, ticket MFA-0042'),
      'my code is [removed], ticket MFA-0042',
    );
    assert.equal(
      redact('patient Mary Jones in room 4 needs her meds'),
      'patient [removed] in room 4 needs her meds',
    );
    assert.equal(redact('John Smith DOB 03/14/1962'), '[removed] DOB [removed]');
    assert.equal(redact('it shows 42'), 'it shows 42');
  });

  it('leaves none of the spans found in labelled messages', () => {
    for (const { text } of [...loadSet('labelled'), ...loadSet('holdout')]) {
      const redacted = redact(text);
      assert.deepEqual(findSensitiveSpans(redacted), [], redacted);
      for (const span of findSensitiveSpans(text)) {
        const secret = text.slice(span.start, span.end);
        assert.ok(!redacted.includes(secret), `${secret} left in: ${redacted}`);
      }
    }
  });

  it('removes every repeat of a secret it found', () => {
    assert.equal(redact('pw: hunter2 (yes hunter2)'), 'pw: [removed] (yes [removed])');
  });

  it('does not treat its own placeholder as a secret', () => {
    assert.equal(redact("password is 'fluffy'"), "password is '[removed]'");
    assert.equal(redact('pw: [removed]'), 'pw: [removed]');
  });
});
