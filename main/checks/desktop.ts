import type { Check } from '../../shared/check';

export const DESKTOP_CHECKS: readonly Check[] = [];
