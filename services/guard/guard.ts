/**
 * The patient-data and credential guard every text path goes through before anything is stored,
 * logged or forwarded. `screenText` decides; `redact` keeps what is safe when some text must stay.
 */
export { findSensitiveSpans, redact, screenText } from './screen';
export { limits } from './limits';
export { evaluateGuard, misjudged, parseLabelledSet } from './evaluate';
export type { LabelledMessage } from './evaluate';
export { REASONS } from './reasons';
export { SENSITIVE_KINDS } from './types';
export type { ScreenResult, SensitiveKind } from './types';
export { normalise } from './normalise';
