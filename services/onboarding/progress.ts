import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { DocumentStore, StoredDoc } from '../storage/types';
import type { StepId } from './content';

const PROGRESS = 'onboarding';
const EVENTS = 'onboarding-events';

export interface OnboardingProgress {
  userId: string;
  step: StepId;
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
  snoozes: number;
  /** Failed verification checks since the last success or restart of the step. */
  checks: number;
}

export type OnboardingEventKind =
  'started' | 'step' | 'completed' | 'stuck' | 'snoozed' | 'check-failed' | 'asked-it';

export interface OnboardingEvent {
  userId: string;
  kind: OnboardingEventKind;
  step: StepId;
  at: string;
}

/** Where each person is in the walkthrough, and the events admins see. Survives restarts. */
export class OnboardingProgressStore {
  /** Orders events recorded within the same millisecond. */
  private sequence = 0;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  get(userId: string): Promise<StoredDoc<OnboardingProgress> | undefined> {
    return this.store.get<OnboardingProgress>(PROGRESS, userId);
  }

  async save(progress: OnboardingProgress, etag?: string): Promise<string> {
    const next = { ...progress, updatedAt: this.clock.now().toISOString() };
    return this.store.put(PROGRESS, progress.userId, next, {
      etag,
      ifAbsent: etag === undefined ? undefined : false,
      index: next.completedAt ? `done|${next.completedAt}` : `active|${next.updatedAt}`,
    });
  }

  async record(userId: string, kind: OnboardingEventKind, step: StepId): Promise<void> {
    const at = this.clock.now().toISOString();
    const event: OnboardingEvent = { userId, kind, step, at };
    const seq = String((this.sequence = (this.sequence + 1) % 1e9)).padStart(9, '0');
    await this.store.put(EVENTS, `${at}|${seq}|${randomUUID()}`, event, {
      index: `${userId}|${at}|${seq}`,
    });
  }

  async events(userId: string): Promise<OnboardingEvent[]> {
    return (await this.store.query<OnboardingEvent>(EVENTS, { indexPrefix: `${userId}|` })).map(
      (d) => d.value,
    );
  }
}
