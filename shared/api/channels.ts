/** IPC channel names shared by the preload and main, kept apart so the preload bundle stays tiny. */
export const ipcChannels = { invoke: 'outpost:invoke', event: 'outpost:event' } as const
