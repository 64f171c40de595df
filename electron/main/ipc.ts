import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { ipcChannels } from '../../shared/api/channels'
import { appError, type Result } from '../../shared/errors'
import type { Dispatch } from '../core/dispatch'
import { isAppUrl } from './security'

type InvokeRegistrar = Pick<IpcMain, 'handle'>

/**
 * Registers the one IPC entry point. Every call is checked, in order: the sender frame is the
 * app's own page (not an iframe or a page that navigated elsewhere), then the dispatcher checks
 * the name and the input against the contract and calls the core.
 */
export function registerIpc(ipc: InvokeRegistrar, dispatch: Dispatch, appOrigin: string): void {
  ipc.handle(ipcChannels.invoke, (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Result<unknown>> => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null || !isAppUrl(frame.url, appOrigin)) {
      return Promise.resolve({
        ok: false,
        error: appError('forbidden', 'This call did not come from the Outpost window and was refused.'),
      })
    }
    return dispatch(name, input)
  })
}
