import type { Api } from './api';
import { announce, byId, h, plural, replace } from './dom';
import type { Me, NudgeConfirmation, NudgePreview, Person } from './types';

/**
 * Nudging ticked people, with the bot's rules: choose a message, preview exactly who gets it and
 * what they will read, confirm (twice for a large audience). The server checks everything again.
 */
export class NudgeDialog {
  private readonly dialog = byId<HTMLDialogElement>('nudge-dialog');
  private choices = { kind: 'friendly', deadline: '', note: '', everyDays: '', maxTimes: '' };

  constructor(
    private readonly api: Api,
    private readonly me: Me,
    private readonly ticked: () => Person[],
    private readonly launched: () => void,
  ) {
    this.dialog.addEventListener('close', () => document.getElementById('nudge-open')?.focus());
  }

  open(): void {
    this.showForm([]);
    if (!this.dialog.open) this.dialog.showModal();
    byId('nudge-title').focus();
  }

  private close(): void {
    this.dialog.close();
  }

  private showForm(problems: string[]): void {
    const people = this.ticked();
    const c = this.choices;
    const radio = (value: string, label: string) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'kind', value, checked: c.kind === value }),
        ` ${label}`,
      );
    const today = new Date().toISOString().slice(0, 10);
    const form = h(
      'form',
      { method: 'dialog', id: 'nudge-form', onsubmit: (e: Event) => this.preview(e) },
      h(
        'h2',
        { id: 'nudge-title', tabindex: '-1' },
        `Nudge ${plural(people.length, 'person', 'people')}`,
      ),
      problems.length
        ? h(
            'div',
            { class: 'banner problem', role: 'alert' },
            h('ul', {}, ...problems.map((p) => h('li', {}, p))),
          )
        : null,
      h(
        'fieldset',
        {},
        h('legend', {}, 'Message'),
        radio('friendly', 'Friendly first reminder'),
        radio('deadline', 'Deadline reminder'),
        radio('final', 'Final notice'),
      ),
      h(
        'label',
        { class: 'field' },
        'Set up by (needed for a deadline reminder)',
        h('input', { type: 'date', name: 'deadline', min: today, value: c.deadline }),
      ),
      h(
        'label',
        { class: 'field' },
        'A short note from you (optional; no patient details, codes or links)',
        h('textarea', { name: 'note', maxlength: '200', rows: '2' }, c.note),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Reminders until they register (optional)'),
        h(
          'label',
          { class: 'inline' },
          'Every ',
          h('input', {
            type: 'number',
            name: 'everyDays',
            min: '1',
            max: '30',
            inputmode: 'numeric',
            value: c.everyDays,
            size: '3',
          }),
          ' days',
        ),
        h(
          'label',
          { class: 'inline' },
          ', at most ',
          h('input', {
            type: 'number',
            name: 'maxTimes',
            min: '1',
            max: '10',
            inputmode: 'numeric',
            value: c.maxTimes,
            size: '3',
          }),
          ' times',
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Preview'),
        h('button', { type: 'button', onclick: () => this.close() }, 'Cancel'),
      ),
    );
    replace(this.dialog, form);
  }

  private async preview(event: Event): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    this.choices = {
      kind: text('kind') || 'friendly',
      deadline: text('deadline'),
      note: text('note'),
      everyDays: text('everyDays'),
      maxTimes: text('maxTimes'),
    };
    const whole = (v: string) => (v ? Number(v) : undefined);
    const body = {
      people: this.ticked().map((p) => p.id),
      kind: this.choices.kind,
      deadline: this.choices.deadline || undefined,
      note: this.choices.note || undefined,
      everyDays: whole(this.choices.everyDays),
      maxTimes: whole(this.choices.maxTimes),
    };
    if ((body.everyDays === undefined) !== (body.maxTimes === undefined)) {
      this.showForm([
        'For reminders, fill in both boxes: every 1 to 30 days, at most 1 to 10 times.',
      ]);
      return;
    }
    try {
      const result = await this.api.post<NudgePreview>('/api/tab/nudge/preview', body);
      if (result.kind === 'problems') return this.showForm(result.problems);
      if (result.kind === 'nobody')
        return this.showResult(
          'Nobody to nudge',
          'Everyone you ticked is on Authenticator now (or has left). Nothing was saved or sent.',
        );
      this.showPreview(result, false);
    } catch (err) {
      this.showForm([err instanceof Error ? err.message : 'Could not prepare the nudge.']);
    }
  }

  private showPreview(p: Extract<NudgePreview, { kind: 'preview' }>, second: boolean): void {
    const people = plural(p.recipients, 'person', 'people');
    const more = p.recipients - p.names.length;
    replace(
      this.dialog,
      h(
        'h2',
        { id: 'nudge-title', tabindex: '-1' },
        second ? 'Confirm a large send' : 'Check before sending',
      ),
      second
        ? h(
            'div',
            { class: 'banner warn', role: 'alert' },
            `This goes to ${people}, more than ${this.me.confirmThreshold}. Please check and confirm once more.`,
          )
        : null,
      h('p', {}, `Goes to ${people}: ${p.names.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`),
      p.notNeeded > 0
        ? h(
            'p',
            { class: 'subtle' },
            `${plural(p.notNeeded, 'person you ticked needs', 'people you ticked need')} no nudge any more (on Authenticator now, or gone).`,
          )
        : null,
      ...p.summary.map((line) => h('p', { class: 'subtle' }, line)),
      h(
        'figure',
        { class: 'message-preview' },
        h('figcaption', {}, `What ${p.names[0]?.split(/\s+/)[0] ?? 'they'} will see in Teams`),
        h('p', { class: 'strong' }, p.message.title),
        ...p.message.lines.map((line) => h('p', {}, line)),
        h(
          'p',
          { class: 'subtle small' },
          'Buttons: Set up now · Remind me in 3 days · I need help',
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            id: 'nudge-send',
            onclick: () => void this.confirm(p, second),
          },
          second ? `Yes, send to ${people}` : `Send to ${people}`,
        ),
        h('button', { type: 'button', onclick: () => this.showForm([]) }, 'Change the message'),
        h('button', { type: 'button', onclick: () => this.close() }, 'Cancel'),
      ),
    );
    byId('nudge-title').focus();
  }

  private async confirm(
    p: Extract<NudgePreview, { kind: 'preview' }>,
    final: boolean,
  ): Promise<void> {
    const send = byId<HTMLButtonElement>('nudge-send');
    send.disabled = true;
    let result: NudgeConfirmation;
    try {
      result = await this.api.post<NudgeConfirmation>('/api/tab/nudge/confirm', {
        draftId: p.draftId,
        final,
      });
    } catch (err) {
      this.showResult(
        'Not sent',
        err instanceof Error ? err.message : 'Something went wrong. Nothing was sent.',
      );
      return;
    }
    switch (result.kind) {
      case 'confirm-again':
        return this.showPreview(p, true);
      case 'launched':
      case 'already':
        this.launched();
        announce(`Nudge ${result.campaignId} is on its way.`);
        return this.showResult(
          'Sending now',
          `Nudge ${result.campaignId} is on its way to ${plural(result.recipients, 'person', 'people')}. Its progress shows under Campaigns.`,
        );
      case 'expired':
        return this.showResult(
          'Not sent',
          'That preview has expired, so nothing was sent. Please preview again.',
        );
      case 'not-yours':
        return this.showResult(
          'Not sent',
          'Another admin prepared that nudge, so only they can send it.',
        );
      case 'no-chat':
        return this.showResult(
          'Not sent yet',
          'The bot sends nudges from your chat with it, and it has not met you yet. Open MFA Helper in Teams and say hi, then try again. Nothing was sent.',
        );
    }
  }

  private showResult(title: string, text: string): void {
    replace(
      this.dialog,
      h('h2', { id: 'nudge-title', tabindex: '-1' }, title),
      h('p', { role: 'status' }, text),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => this.close() }, 'Close'),
      ),
    );
    byId('nudge-title').focus();
  }
}
