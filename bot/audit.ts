import type { TurnContext } from 'botbuilder';
import type { AuditEntry, AuditLog } from '../services/audit/log';

export type AuditFields = Omit<AuditEntry, 'actor' | 'activityId'>;

/** Writes audit entries for one turn: who acted and the Teams activity id are filled in. */
export function auditFor(
  audit: AuditLog,
  turn: TurnContext,
  actorId: string,
): (entry: AuditFields) => Promise<void> {
  return async (entry) => {
    await audit.append({ ...entry, actor: actorId || 'unknown', activityId: turn.activity.id });
  };
}
