import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES, type Envelope, IPC_EVENT_CHANNEL, IPC_PREFIX } from '../../shared/api';
import type { Api } from '../api/index';
import { type SenderInfo, senderProblem } from './policy';

function senderOf(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): SenderInfo {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame === event.sender.mainFrame, webContentsId: event.sender.id };
}

/**
 * One IPC call: the sender is checked before the input is even looked at, then the dispatcher validates the input
 * against the channel map and the output on the way back. Always an envelope, never a rejected promise (Electron
 * would hand the renderer an error string with main-process details in it).
 */
export async function handleInvoke(
  api: Pick<Api, 'dispatch'>,
  sender: SenderInfo,
  trusted: ReadonlySet<number>,
  channel: string,
  input: unknown,
): Promise<Envelope<unknown>> {
  const problem = senderProblem(sender, trusted);
  if (problem) return { ok: false, error: { code: 'forbidden', message: `Refused a call to ${channel} from ${problem}.` } };
  return api.dispatch(channel, input);
}

/** Registers one ipcMain handler per channel of the map, and forwards the API's events to the app's windows. */
export function registerIpc(ipcMain: IpcMain, api: Api, windows: () => WebContents[]): () => void {
  const trusted = () => new Set(windows().map((w) => w.id));
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(`${IPC_PREFIX}${channel}`, (event, input: unknown) => handleInvoke(api, senderOf(event), trusted(), channel, input));
  }
  const unsubscribe = api.events.subscribe((message) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, message);
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(`${IPC_PREFIX}${channel}`);
  };
}
