import type { Check } from '../../shared/check';
import { CONTAINER_CHECKS } from './containers';
import { DAEMON_CHECKS } from './daemon';

/** Every check, in catalogue order. The catalogue doc, the CLI and the UI are all derived from this list. */
export const CHECKS: readonly Check[] = [...DAEMON_CHECKS, ...CONTAINER_CHECKS];

