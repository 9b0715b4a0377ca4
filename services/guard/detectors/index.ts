import type { Scan } from '../scan';
import type { Span } from '../types';
import { findCredentials } from './credentials';
import { findDatesOfBirth } from './date-of-birth';
import { findLinkSecrets } from './link-parameters';
import { findPatientNames } from './names';
import { findOneTimeCodes } from './one-time-code';
import { findPaymentCards } from './payment-card';
import { findRecordNumbers } from './record-number';
import { findSsns } from './ssn';

export type Detector = (scan: Scan) => Span[];

export const DETECTORS: readonly Detector[] = [
  findOneTimeCodes,
  findCredentials,
  findSsns,
  findPaymentCards,
  findRecordNumbers,
  findDatesOfBirth,
  findPatientNames,
  findLinkSecrets,
];
