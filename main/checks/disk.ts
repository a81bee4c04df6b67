import type { Check } from '../../shared/check';

export const DISK_CHECKS: readonly Check[] = [];
