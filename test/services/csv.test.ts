import assert from 'node:assert/strict';
import { toCsv } from '../../services/campaigns/export';
import type { OutboxRow } from '../../services/campaigns/model';
import { csvField } from '../../services/csv';
import { peopleCsv } from '../../services/dashboard/csv';

/** CSV cells a spreadsheet would run as formulas stay text, in every export the bot writes. */

/** A field as a spreadsheet reads it: unquoted per RFC 4180. */
const read = (field: string) =>
  field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;

describe('CSV fields', () => {
  describe('keep cells that a spreadsheet would run as a formula as text', () => {
    const dangerous: Array<[string, string]> = [
      ['leading spaces before =', '  =HYPERLINK("http://x.example","click")'],
      ['a leading tab before +', '\t+1+cmd'],
      ['a no-break space before -', '\u00a0-2+3'],
      ['an ideographic space before @', '\u3000@SUM(1)'],
      ['a newline before =', '\n=1+1'],
      ['full-width equals', '＝HYPERLINK("http://x.example")'],
      ['full-width plus', '＋1+1'],
      ['full-width minus', '－1+1'],
      ['full-width at', '＠SUM(1)'],
      ['spaces before full-width equals', ' ＝1+1'],
      ['small equals', '﹦1+1'],
      ['a leading tab', '\tplain'],
      ['a leading carriage return', '\rplain'],
      ['a leading NUL', '\u0000=1'],
    ];
    for (const [what, value] of dangerous) {
      it(`with ${what}`, () => {
        assert.equal(read(csvField(value)), `'${value}`);
      });
    }
    it('and leave ordinary names, inner signs and email-like text alone', () => {
      for (const value of [
        'Kevin Park',
        'Anne-Marie Dubois',
        'Smith, J. (=MD)',
        'a@b.example',
        '5-0100',
      ])
        assert.equal(read(csvField(value)), value);
    });
  });

  it('are written the same way by the campaign export and the dashboard list', () => {
    const name = ' ＝HYPERLINK("http://x.example")';
    const campaign = toCsv([
      {
        recipient: { id: 'id-1', upn: 'a@b.example', name, groups: [] },
        state: 'sent',
        totalAttempts: 1,
        round: 1,
        clicks: { setup: 0, snooze: 0, help: 0 },
      } as unknown as OutboxRow,
    ]);
    const dashboard = peopleCsv({
      computedAt: '2026-03-02T09:00:00.000Z',
      notRegistered: [{ id: 'id-1', upn: 'a@b.example', name, groups: [], standing: 'none' }],
    });
    const cell = csvField(name);
    assert.equal(cell, `"' ＝HYPERLINK(""http://x.example"")"`);
    assert.ok(campaign.split('\r\n')[1]!.startsWith(`id-1,a@b.example,${cell},`));
    assert.ok(dashboard.split('\r\n')[1]!.startsWith(`${cell},a@b.example,`));
  });
});
