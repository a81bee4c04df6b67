import type { Check } from '../../shared/check';

export const IMAGE_CHECKS: readonly Check[] = [];
