import type { Check } from '../../shared/check';

export const NETWORK_CHECKS: readonly Check[] = [];
