import assert from 'node:assert/strict';
import { selectAudience } from '../../services/campaigns/audience';
import type { Scan } from '../../services/campaigns/coverage';
import { checkForm, type NudgeFormValues } from '../../services/campaigns/form';

/** The nudge rules as data: the form checks the bot and the tab share, and who a spec picks. */

const FORM: NudgeFormValues = {
  audience: 'no-authenticator',
  groups: '',
  exclude: '',
  kind: 'friendly',
  deadline: '',
  note: '',
  everyDays: '',
  maxTimes: '',
};
const ROLES = ['Nursing', 'Front Desk'];
const TODAY = '2026-03-02';

describe('nudge form rules', () => {
  it('turns a filled-in form into a campaign spec', () => {
    const checked = checkForm(
      {
        ...FORM,
        groups: 'Nursing, Front Desk',
        exclude: 'A@B.example; c@d.example',
        kind: 'deadline',
        deadline: '2026-03-20',
        note: 'Thanks for doing this before the audit.',
        everyDays: '3',
        maxTimes: '2',
      },
      ROLES,
      TODAY,
    );
    assert.deepEqual(checked, {
      spec: {
        audience: 'no-authenticator',
        groups: ['Nursing', 'Front Desk'],
        exclude: ['a@b.example', 'c@d.example'],
        kind: 'deadline',
        deadline: '2026-03-20',
        note: 'Thanks for doing this before the audit.',
        repeat: { everyDays: 3, maxTimes: 2 },
      },
    });
  });

  it('says what to fix: an unknown group, a past deadline, half a repeat, a link', () => {
    const checked = checkForm(
      {
        ...FORM,
        groups: 'Physio',
        kind: 'final',
        deadline: '2026-03-01',
        everyDays: '3',
        note: 'See www.example.org',
      },
      ROLES,
      TODAY,
    );
    assert.ok('problems' in checked);
    assert.deepEqual(checked.problems, [
      "I don't know the group Physio.",
      'The deadline is in the past. Please pick a later date.',
      'Please leave links out of the note: people should only follow links they can check. The buttons take them where they need to go.',
      'For reminders, fill in both boxes: every 1 to 30 days, at most 1 to 10 times.',
    ]);
  });

  it('takes a note with a code out of the form instead of echoing it', () => {
    const checked = checkForm({ ...FORM, note: 'Your code is 483920' }, ROLES, TODAY);
    assert.ok('problems' in checked);
    assert.match(checked.problems.join(' '), /took the note out of the form/);
    assert.equal(checked.values.note, '');
    assert.doesNotMatch(JSON.stringify(checked), /483920/);
  });
});

describe('audience: people picked one by one', () => {
  const person = (n: number, standing: 'authenticator' | 'other' | 'none', groups: string[]) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    upn: `p${n}@practice.example`,
    name: `Person ${n}`,
    groups,
    standing,
  });
  const scan: Scan = {
    entries: [
      person(1, 'none', ['Nursing']),
      person(2, 'other', ['Nursing']),
      person(3, 'none', []),
      person(4, 'authenticator', ['Nursing']),
      person(5, 'none', ['Front Desk']),
    ],
    guests: 1,
    excluded: 2,
    scannedAt: '2026-03-02T09:00:00.000Z',
    reportUpdatedAt: null,
  };
  const ids = (...n: number[]) => n.map((i) => `00000000-0000-4000-8000-00000000000${i}`);

  it('takes exactly those still not on Authenticator, across groups and none, whatever the case of the ids', () => {
    const audience = selectAudience(scan, {
      audience: 'no-authenticator',
      groups: [],
      exclude: [],
      only: [...ids(1, 3, 4), ids(5)[0]!.toUpperCase()],
    });
    assert.deepEqual(
      audience.recipients.map((r) => r.name),
      ['Person 1', 'Person 3', 'Person 5'],
    );
  });

  it('still applies the rest of the spec', () => {
    const audience = selectAudience(scan, {
      audience: 'no-mfa',
      groups: ['Nursing'],
      exclude: ['p1@practice.example'],
      only: ids(1, 2, 3),
    });
    assert.deepEqual(audience.recipients, []);
    assert.equal(audience.leftOut, 1);
  });

  it('without a pick, takes everyone the audience and groups match', () => {
    const audience = selectAudience(scan, {
      audience: 'no-authenticator',
      groups: ['Nursing'],
      exclude: [],
    });
    assert.deepEqual(
      audience.recipients.map((r) => r.name),
      ['Person 1', 'Person 2'],
    );
  });
});
