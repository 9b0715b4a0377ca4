import { describeStatus, type MonitorStatus } from '../../signins/status';
import { ENTRA_LINKS } from '../links';
import type { CheckResult } from '../report';

/**
 * Whether the bot's sign-in monitor can see push-bombing (MFA fatigue): on, or why not, in its
 * own words. Never a pass when it is blind or has not run. Not blocking: MFA can be enforced
 * without it, but IT should know an attack would go unnoticed.
 */

const GRANT = (permission: string) => [
  'App registrations → the app the bot reaches Microsoft Graph with → API permissions.',
  `Add a permission → Microsoft Graph → Application permissions → ${permission} → Add.`,
  'Grant admin consent. The monitor sees again at its next poll.',
];

function fixFor(status: MonitorStatus): Pick<CheckResult, 'fixUrl' | 'fix'> {
  switch (status.issue) {
    case 'no-permission':
      return {
        fixUrl: ENTRA_LINKS.appRegistrations,
        fix: { steps: GRANT('AuditLog.Read.All'), requests: [] },
      };
    case 'fraud-reports-unreadable':
      return {
        fixUrl: ENTRA_LINKS.appRegistrations,
        fix: { steps: GRANT('IdentityRiskEvent.Read.All'), requests: [] },
      };
    case 'no-licence':
      return {
        fixUrl: ENTRA_LINKS.licences,
        fix: {
          steps: [
            'The sign-in log can be read only with Microsoft Entra ID P1 or P2 (included in Microsoft 365 Business Premium).',
            'Billing → Licenses: buy or assign P1 for the practice. The monitor sees again at its next poll.',
          ],
          requests: [],
        },
      };
    case 'disabled':
      return {
        fixUrl: ENTRA_LINKS.signInLogs,
        fix: {
          steps: ["Set MONITOR_ENABLED=true in the bot's settings and restart the bot."],
          requests: [],
        },
      };
    default:
      return { fixUrl: ENTRA_LINKS.signInLogs };
  }
}

export function signInMonitor(status: MonitorStatus | undefined): CheckResult {
  const base = {
    id: 'signin-monitor',
    title: 'Sign-in monitor on',
    risk: 'Without it, push-bombing (a stream of sign-in prompts until someone approves one) and prompts people report as fraud go unnoticed until the attacker is in.',
  } as const;
  const reason = describeStatus(status);
  if (status?.state === 'on')
    return { ...base, status: 'pass', reason, fixUrl: ENTRA_LINKS.signInLogs };
  if (!status) return { ...base, status: 'attention', reason, fixUrl: ENTRA_LINKS.signInLogs };
  return { ...base, status: 'attention', reason, ...fixFor(status) };
}
