import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { ipcChannels } from '../../shared/api/channels'

type Listener = (payload: unknown) => void

// Exactly two functions reach the page; never the raw ipcRenderer. The types come from
// shared/api (OutpostApi); main validates every call, so nothing here needs to trust the page.
contextBridge.exposeInMainWorld('outpost', {
  invoke: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(ipcChannels.invoke, name, input),
  on: (name: string, listener: Listener): (() => void) => {
    const forward = (_event: IpcRendererEvent, message: { name: string; payload: unknown }) => {
      if (message.name === name) listener(message.payload)
    }
    ipcRenderer.on(ipcChannels.event, forward)
    return () => ipcRenderer.removeListener(ipcChannels.event, forward)
  },
})
