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

  it('removes disguised secrets from the text as typed, and only them', () => {
    assert.equal(redact('my code is ４８２９１３, thanks'), 'my code is [removed], thanks');
    assert.equal(redact('p a s s w o r d is Summer2024'), 'p a s s w o r d is [removed]');
    assert.equal(redact('code four seven two nine one three please'), 'code [removed] please');
    assert.equal(
      redact('open https://evil.example/?otp=482913 now'),
      'open https://evil.example/?otp=[removed] now',
    );
    assert.equal(redact('born on the third of January 1980'), 'born on the [removed]');
    assert.equal(redact('4\u200b8\u200b2\u200b9\u200b1\u200b3 ok'), '[removed] ok');
    assert.equal(redact('ticket ＭＦＡ－００１２'), 'ticket ＭＦＡ－００１２');
  });

  it('leaves none of the spans found in labelled messages', () => {
    const sets = [
      ...loadSet('labelled'),
      ...loadSet('holdout'),
      ...loadSet('adversarial'),
      ...loadSet('adversarial-holdout'),
    ];
    for (const { text } of sets) {
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
