import { expandCard, type CardJson } from '../../../cards/render';
import { isActive } from '../../../services/tickets/store';
import { requesterMayWithdraw, type Ticket } from '../../../services/tickets/model';

const STATUS_TEXT: Record<Ticket['status'], string> = {
  open: 'waiting for IT',
  assigned: 'IT is on it',
  verified: 'identity confirmed',
  resolved: 'resolved',
  withdrawn: 'withdrawn',
};

function explain(t: Ticket): string {
  if (t.status === 'withdrawn')
    return 'You withdrew this request. If you still need help, report it again.';
  if (t.status === 'resolved')
    return t.resolution ? `Resolved: ${t.resolution}.` : 'This request is resolved.';
  if (t.pass)
    return 'IT created a one-time pass for you. They will give it to you by phone callback or in person. Then set up Authenticator on your new phone.';
  if (t.status === 'verified')
    return 'IT confirmed it is you. Next they secure your account and help you set up your new phone.';
  if (t.assignee)
    return `${t.assignee.name} from IT is handling it. Expect a call back on the number the practice has on file, or come by in person.`;
  return 'IT has your request. Expect a call back on the number the practice has on file, or come by in person.';
}

export function lostStatusCard(t: Ticket, itPhone: string, notice = ''): CardJson {
  return expandCard('lost-status', {
    notice,
    id: t.id,
    v: t.version,
    statusText: STATUS_TEXT[t.status],
    explain: explain(t),
    itPhone,
    active: isActive(t.status),
    canWithdraw: requesterMayWithdraw(t),
    showSetup: Boolean(t.pass) || (t.status === 'resolved' && t.kind === 'lost-device'),
  });
}

export function intakeCard(notice = ''): CardJson {
  return expandCard('lost-intake', { notice });
}
