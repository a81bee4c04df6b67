import type { ApiErrorShape } from '../../../shared/api';
import type { Report } from '../../../shared/report';

/** A problem the user can act on: what happened, what to do, and the detail for a bug report. */
export interface Guidance {
  kind:
    | 'daemon-down'
    | 'permission-denied'
    | 'timeout'
    | 'not-docker'
    | 'no-endpoint'
    | 'tls'
    | 'engine'
    | 'disconnected'
    | 'signed-out'
    | 'failed';
  title: string;
  steps: string[];
  detail: string;
}

/**
 * Why the last audit could not talk to the daemon, and what to do about it, read from the report's engineError and
 * endpointError (messages written by main/collect/engine-api.ts). Null when the daemon answered.
 */
export function engineGuidance(report: Report): Guidance | null {
  if (report.mode === 'offline-root') return null;
  const where = report.endpoint?.host ?? 'the Docker endpoint';
  if (report.endpointError) {
    return {
      kind: 'no-endpoint',
      title: 'No Docker endpoint could be chosen',
      steps: [
        'Set the endpoint in Settings (for example unix:///var/run/docker.sock), or fix DOCKER_HOST / the current docker context.',
        'Then re-run the audit.',
      ],
      detail: report.endpointError,
    };
  }
  const error = report.engineError;
  if (!error) return null;
  if (/permission denied/i.test(error)) {
    return {
      kind: 'permission-denied',
      title: `Permission denied on ${where}`,
      steps: [
        'Run Dockhand as a user allowed to use Docker: a member of the docker group (sudo usermod -aG docker $USER, then log out and in), or as root.',
        'Membership of the docker group is equivalent to root on this host; for a rootless daemon, choose its socket in Settings instead.',
        'Then re-run the audit.',
      ],
      detail: error,
    };
  }
  if (/did not answer|in time|timed? ?out|hung/i.test(error)) {
    return {
      kind: 'timeout',
      title: `The Docker daemon at ${where} is not answering`,
      steps: [
        'The daemon may be hung or overloaded: check it with `systemctl status docker` and its log (`journalctl -u docker`).',
        'A slow remote endpoint may need a longer time limit (Settings).',
        'Then re-run the audit.',
      ],
      detail: error,
    };
  }
  if (/not a Docker Engine|not as a Docker Engine|is it a Docker Engine/i.test(error)) {
    return {
      kind: 'not-docker',
      title: `Something other than Docker answers at ${where}`,
      steps: ['Check the endpoint in Settings: it should be the Docker daemon’s socket or address.', 'Then re-run the audit.'],
      detail: error,
    };
  }
  if (/TLS/i.test(error)) {
    return {
      kind: 'tls',
      title: `TLS to ${where} failed`,
      steps: ['Check DOCKER_CERT_PATH and the certificates of the docker context in use.', 'Then re-run the audit.'],
      detail: error,
    };
  }
  if (/does not exist|connection refused|not running|cannot reach|cannot resolve|no Docker endpoint/i.test(error)) {
    return {
      kind: 'daemon-down',
      title: `The Docker daemon is not running at ${where}`,
      steps: [
        'Start it: sudo systemctl start docker (or start Docker Desktop, or your rootless daemon with systemctl --user start docker).',
        'If Docker runs elsewhere, choose that endpoint in Settings.',
        'Then re-run the audit. Checks of files and configuration still ran; those that need the daemon show as errors.',
      ],
      detail: error,
    };
  }
  return {
    kind: 'engine',
    title: `The Docker daemon at ${where} could not be asked`,
    steps: ['Re-run the audit; if it persists, check the daemon’s log.'],
    detail: error,
  };
}

/** What to tell the user when a call to the main process itself failed. */
export function apiErrorGuidance(error: ApiErrorShape, transport: 'electron' | 'serve'): Guidance {
  if (error.code === 'transport') {
    return {
      kind: 'disconnected',
      title: transport === 'serve' ? 'Lost the connection to dockhand serve' : 'Lost the connection to the Dockhand main process',
      steps:
        transport === 'serve'
          ? ['Check that `dockhand serve` is still running (and the SSH tunnel, if you use one).', 'Then re-run the audit.']
          : ['Restart Dockhand.'],
      detail: error.message,
    };
  }
  if (error.code === 'unauthorized' || error.code === 'forbidden') {
    return {
      kind: 'signed-out',
      title: 'This page is not signed in to dockhand serve',
      steps: ['Open the link `dockhand serve` printed when it started (it holds the token); a restarted server prints a new one.'],
      detail: error.message,
    };
  }
  return {
    kind: 'failed',
    title: 'Dockhand could not do that',
    steps: ['Re-run the audit. If it keeps failing, the detail below helps a bug report.'],
    detail: error.message,
  };
}

/**
 * A fix, undo or prune call that failed: a daemon that stopped answering says what to do (start it, then try again);
 * a refusal (a plan for another daemon, another change still running) is shown as the engine worded it.
 */
function actionGuidance(error: ApiErrorShape, what: string, transport: 'electron' | 'serve'): Guidance {
  if (error.code !== 'failed') return apiErrorGuidance(error, transport);
  if (
    /could not be used|not running|connection refused|ENOENT|ECONNREFUSED|did not answer|timed? ?out|stopped answering/i.test(error.message)
  ) {
    return {
      kind: 'daemon-down',
      title: `The Docker daemon stopped answering: could not ${what}`,
      steps: [
        'Check the daemon: sudo systemctl status docker (or start Docker Desktop, or your rootless daemon).',
        'Once it answers again, try again: Dockhand re-checks every object and file before changing it, so nothing is done twice.',
      ],
      detail: error.message,
    };
  }
  return { kind: 'failed', title: `Could not ${what}`, steps: [error.message.replace(/^Cannot [^:]+: /, '')], detail: error.message };
}

/** actionGuidance for whatever a call threw: an ApiCallError's envelope error, or any other error as `failed`. */
export function thrownGuidance(e: unknown, what: string, transport: 'electron' | 'serve'): Guidance {
  const carried = (e as { error?: ApiErrorShape } | null)?.error;
  const shape =
    carried && typeof carried.message === 'string'
      ? carried
      : { code: 'failed' as const, message: e instanceof Error ? e.message : String(e) };
  return actionGuidance(shape, what, transport);
}
