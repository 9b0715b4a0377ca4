import fs from 'node:fs';
import { z } from 'zod';
import { assetPath } from '../paths';

export const STEP_IDS = ['why', 'install', 'register', 'approve', 'verify'] as const;
export type StepId = (typeof STEP_IDS)[number];

const StepSchema = z.object({
  id: z.enum(STEP_IDS),
  title: z.string().min(1),
  paragraphs: z.array(z.string().min(1)),
  links: z.array(z.object({ title: z.string().min(1), url: z.url() })),
  next: z.string().min(1),
  /** Knowledge base articles for "I'm stuck" at this step, most likely first. */
  stuck: z.array(z.string().min(1)).min(1),
});

const NoteSchema = z.object({
  steps: z.array(z.enum(STEP_IDS)).min(1),
  /** Shown to members of these role groups (names as in ROLE_GROUPS). */
  roles: z.array(z.string()).optional(),
  /** Shown when the job title contains one of these words. */
  jobTitleContains: z.array(z.string()).optional(),
  text: z.string().min(1),
});

const ContentSchema = z.object({
  steps: z.array(StepSchema).length(STEP_IDS.length),
  notes: z.array(NoteSchema),
  notYetFixes: z.array(z.string().min(1)).min(1),
});

export type OnboardingContent = z.infer<typeof ContentSchema>;

/** The walkthrough's words, from content/onboarding/steps.json; refuses to start if malformed. */
export function loadOnboardingContent(
  file = assetPath('content', 'onboarding', 'steps.json'),
): OnboardingContent {
  const parsed = ContentSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${file}: ${first.path.join('.')}: ${first.message}`);
  }
  const ids = parsed.data.steps.map((s) => s.id);
  STEP_IDS.forEach((id, i) => {
    if (ids[i] !== id) throw new Error(`${file}: steps.${i}: expected step "${id}"`);
  });
  return parsed.data;
}

/** Notes for one person at one step, chosen by data (role groups, job title), not by code. */
export function notesFor(
  content: OnboardingContent,
  step: StepId,
  person: { roles: string[]; jobTitle: string | null },
): string[] {
  const title = (person.jobTitle ?? '').toLowerCase();
  return content.notes
    .filter((n) => n.steps.includes(step))
    .filter(
      (n) =>
        (n.roles?.some((r) => person.roles.includes(r)) ?? false) ||
        (n.jobTitleContains?.some((w) => title.includes(w.toLowerCase())) ?? false),
    )
    .map((n) => n.text);
}
