import { stmt } from './statements'
import type { SyncProgress, SyncStatus } from '../../../shared/api/sync'
import { AppFailure, toAppError } from '../../../shared/errors'
import type { BatchLimits } from '../../../shared/sync/batch'
import { defaultBatchLimits } from '../../../shared/sync/batch'
import type { Store } from '../db/open'
import type { Device } from '../device'
import { countOpenConflicts } from './conflicts'
import type { SyncFaults } from './context'
import type { KeyStore } from './keystore'
import { countPending } from './local-ops'
import type { RunResult } from './run'
import { runSync } from './run'
import { readNumber, readState } from './state'
import type { Fetch } from './transport'
import { probe } from './transport'
import { indexWhenIdle } from '../records/index-backlog'

export type SyncClientOptions = {
  store: Store
  device: Device
  dataDir: string
  keyStore: KeyStore
  onStatus?: (status: SyncStatus) => void
  now?: () => number
  fetch?: Fetch
  limits?: BatchLimits
  pageSize?: number
  /** Between successful syncs. */
  intervalMs?: number
  /** Backoff after a failure: base doubling up to max, with full jitter. */
  backoff?: { baseMs: number; maxMs: number }
  /** How often to probe the registry while offline. */
  probeMs?: number
  random?: () => number
  faults?: SyncFaults
}

/**
 * Runs sync in the background of the core: on start, on a timer, when the registry answers again
 * after a failure (a cheap /health probe), with exponential backoff and jitter, and on demand.
 * One run at a time; `cancel` aborts it between (or inside) requests, and every step it took so
 * far is kept. Form filling never waits for it: work is cut in batches with yields between them.
 */
export class SyncClient {
  private running: Promise<RunResult | null> | null = null
  private controller: AbortController | null = null
  private timer: NodeJS.Timeout | null = null
  private failures = 0
  private online: boolean | null = null
  private lastError: SyncStatus['lastError'] = null
  private progress: SyncProgress = { phase: 'idle', done: 0, total: null }
  private nextAttemptAt: number | null = null
  private stopped = true
  private probing = false

  constructor(private readonly options: SyncClientOptions) {}

  private get now(): () => number {
    return this.options.now ?? Date.now
  }

  status(): SyncStatus {
    const sqlite = this.options.store.sqlite
    const url = readState(sqlite, 'registry_url') ?? null
    const last = readState(sqlite, 'last_success_at')
    const reconciledAt = readState(sqlite, 'last_reconcile_at')
    return {
      enrolled: url !== null,
      registryUrl: url,
      running: this.running !== null,
      online: this.online,
      lastSuccessAt: last ? Number(last) : null,
      lastError: this.lastError,
      waiting: countPending(sqlite, this.options.device.id, readNumber(sqlite, 'push_seq')),
      progress: this.progress,
      conflicts: countOpenConflicts(sqlite),
      rejections: (
        stmt(sqlite, 'SELECT count(DISTINCT record_id) AS n FROM sync_rejections').get() as {
          n: number
        }
      ).n,
      nextAttemptAt: this.nextAttemptAt,
      lastReconcile: reconciledAt
        ? {
            at: Number(reconciledAt),
            reason: readState(sqlite, 'last_reconcile_reason') ?? 'epoch',
          }
        : null,
    }
  }

  private emit(): void {
    this.options.onStatus?.(this.status())
  }

  /** Runs one sync now (or joins the one running) and resolves when it ends; never throws. */
  syncNow(): Promise<RunResult | null> {
    this.running ??= this.runOnce().finally(() => {
      this.running = null
      this.controller = null
      this.progress = { phase: 'idle', done: 0, total: null }
      this.schedule()
      this.emit()
    })
    return this.running
  }

  cancel(): void {
    this.controller?.abort(new AppFailure('offline', 'Sync was cancelled.', { cancelled: true }))
  }

  private async runOnce(): Promise<RunResult | null> {
    const url = readState(this.options.store.sqlite, 'registry_url')
    const secrets = await this.options.keyStore.load()
    if (!url || !secrets) return null
    this.controller = new AbortController()
    this.emit()
    try {
      const result = await runSync({
        sqlite: this.options.store.sqlite,
        selfId: this.options.device.id,
        clock: this.options.device.clock,
        registry: { url, token: secrets.token, fetch: this.options.fetch },
        dataDir: this.options.dataDir,
        limits: this.options.limits ?? defaultBatchLimits,
        // 200 changes per page keeps each apply transaction (the core's only pause) short.
        pageSize: this.options.pageSize ?? 200,
        now: this.now,
        signal: this.controller.signal,
        faults: this.options.faults,
        progress: (progress) => {
          this.progress = progress
          this.emit()
        },
      })
      this.failures = 0
      this.online = true
      this.lastError = null
      return result
    } catch (error) {
      const appError = toAppError(error)
      this.failures++
      this.online = appError.code === 'offline' ? false : this.online
      this.lastError = { code: appError.code, message: appError.message }
      return null
    } finally {
      // Pulled records (also of a run that broke off) wait in the search backlog; the core
      // indexes them when idle.
      indexWhenIdle(this.options.store)
    }
  }

  /** Starts background sync: a run now, then on the timer or the backoff. */
  start(): void {
    this.stopped = false
    void this.syncNow()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.cancel()
  }

  /** Waits for the run in flight, if any (tests, shutdown). */
  async idle(): Promise<void> {
    await this.running
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.stopped) return
    const random = this.options.random ?? Math.random
    const backoff = this.options.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 }
    const delay =
      this.failures === 0
        ? (this.options.intervalMs ?? 5 * 60_000)
        : random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(this.failures - 1, 20))
    this.nextAttemptAt = this.now() + delay
    this.timer = setTimeout(() => void this.wake(), delay)
    this.timer.unref()
    if (this.failures > 0) this.watchForNetwork()
  }

  /** While offline, a cheap probe notices the registry answering again and syncs at once. */
  private watchForNetwork(): void {
    const url = readState(this.options.store.sqlite, 'registry_url')
    if (!url || this.probing) return
    this.probing = true
    const every = this.options.probeMs ?? 15_000
    const tick = async (): Promise<void> => {
      if (this.stopped || this.failures === 0 || this.running) {
        this.probing = false
        return
      }
      if (await probe(url, this.options.fetch)) {
        this.probing = false
        this.online = true
        void this.syncNow()
        return
      }
      setTimeout(() => void tick(), every).unref()
    }
    setTimeout(() => void tick(), every).unref()
  }

  private async wake(): Promise<void> {
    this.timer = null
    await this.syncNow()
  }
}
