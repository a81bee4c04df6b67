import type { Check } from '../../shared/check';

export const ACCESS_CHECKS: readonly Check[] = [];
