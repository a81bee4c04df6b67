import type { Check } from '../../shared/check';
import { ACCESS_CHECKS } from './access';
import { CONTAINER_CHECKS } from './containers';
import { DAEMON_CHECKS } from './daemon';
import { DAEMON_DRIFT_CHECKS } from './daemon-drift';
import { DAEMON_HARDENING_CHECKS } from './daemon-hardening';
import { DESKTOP_CHECKS } from './desktop';
import { DISK_CHECKS } from './disk';
import { IMAGE_CHECKS } from './images';
import { NETWORK_CHECKS } from './network';
import { SECRET_CHECKS } from './secrets';
import { SYSTEMD_CHECKS } from './systemd';

/** Every check, in catalogue order. The catalogue doc, the CLI and the UI are all derived from this list. */
export const CHECKS: readonly Check[] = [
  ...DAEMON_CHECKS,
  ...DAEMON_DRIFT_CHECKS,
  ...SYSTEMD_CHECKS,
  ...DAEMON_HARDENING_CHECKS,
  ...NETWORK_CHECKS,
  ...ACCESS_CHECKS,
  ...CONTAINER_CHECKS,
  ...IMAGE_CHECKS,
  ...SECRET_CHECKS,
  ...DISK_CHECKS,
  ...DESKTOP_CHECKS,
];
