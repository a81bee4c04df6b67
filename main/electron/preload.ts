// The desktop app's preload: the only bridge between the sandboxed page and the main process. It exposes one object,
// built from the channel and event names of the contract; the page never sees ipcRenderer, an IPC event object, or any
// channel outside the map. Inputs are validated in the main process, which trusts nothing that comes from here.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAME_LIST, EVENT_NAME_LIST, IPC_EVENT_CHANNEL, IPC_PREFIX, PRELOAD_GLOBAL } from '../../shared/api-names';

const channels = new Set<string>(CHANNEL_NAME_LIST);
const events = new Set<string>(EVENT_NAME_LIST);

const bridge = {
  invoke(channel: string, input: unknown): Promise<unknown> {
    if (!channels.has(channel))
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-channel', message: `No such channel: ${String(channel).slice(0, 100)}` },
      });
    return ipcRenderer.invoke(`${IPC_PREFIX}${channel}`, input);
  },
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`No such event: ${String(event).slice(0, 100)}`);
    const handler = (_e: IpcRendererEvent, message: { event?: unknown; payload?: unknown }) => {
      if (message?.event === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);
