// How to run this Dockhand's command line from outside this process: the root helper and a scheduled prune need it.
// Nothing heavy here: the CLI computes defaults from it at start-up.
import path from 'node:path';

/**
 * How to run this Dockhand's command line from outside this process: the argv prefix the helper is started with (as
 * root), and the one absolute path a scheduled prune runs. `ok: false` says why this Dockhand cannot (an AppImage, a
 * bundle started some other way).
 */
export type SelfCommand = { ok: true; argv: string[]; path: string } | { ok: false; why: string };

/** This dockhand as a scheduled job or the elevated helper would run it: the bin it was started as (a symlink on PATH stays one). */
function selfPath(argv: readonly string[] = process.argv): string | null {
  const bin = argv[1];
  return bin && /dockhand(\.c?js)?$/.test(bin) ? path.resolve(bin) : null;
}

/**
 * The command-line Dockhand: this Node running its bin (the helper must be the same Dockhand that made the plan, and
 * pkexec's and sudo's PATH may not find the user's node). The desktop app's `dockhand` launcher runs the same bin under
 * the app's own Electron and names itself in DOCKHAND_SELF: then the launcher is what a scheduled job and the helper run.
 */
export function cliSelf(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
  execPath = process.execPath,
): SelfCommand {
  const launcher = env.DOCKHAND_SELF;
  if (launcher && path.isAbsolute(launcher)) return { ok: true, argv: [launcher], path: launcher };
  const bin = selfPath(argv);
  return bin
    ? { ok: true, argv: [execPath, bin], path: bin }
    : { ok: false, why: 'this Dockhand was not started as the `dockhand` command, so it cannot start its helper' };
}
