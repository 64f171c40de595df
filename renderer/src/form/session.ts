import type { FormMediaFile, FormVersionDetail } from '../../../shared/api'
import type { RecordDetail } from '../../../shared/api/records'
import { parseXForm } from '../../../shared/forms/runtime/definition'
import { externalInstance } from '../../../shared/forms/runtime/external'
import { FormEngine } from '../../../shared/forms/runtime/engine'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'
import { projectInstance, serializeInstance } from '../../../shared/forms/runtime/serialize'
import { parseXml } from '../../../shared/forms/runtime/xml'
import { sameValue, type RecordValues } from '../../../shared/records/values'
import { call } from '../api/outpost'
import { hydrateFromValues } from './hydrate'

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed'

/** A form version to fill: the files it reads may be absent (tests, a form that reads none). */
export type FillableForm = Omit<FormVersionDetail, 'media' | 'missingMedia'> & Partial<Pick<FormVersionDetail, 'media' | 'missingMedia'>>

/** The runtime's loader for `jr://file/NAME` and `jr://file-csv/NAME` instances, from the files given. */
export function mediaLoader(media: readonly FormMediaFile[]): (src: string) => ReturnType<typeof externalInstance> {
  const byName = new Map(media.map((file) => [file.name, file.text]))
  return (src) => {
    const text = byName.get(src.replace(/^jr:\/\/file(?:-csv)?\//, ''))
    return text === undefined ? undefined : externalInstance(src, text)
  }
}

/** Typing pauses shorter than this are one edit: the op log gets words, not keystrokes. */
const typingPauseMs = 600

/**
 * One form being filled: the runtime plus the record it is saved to. Every change is saved as a
 * draft: at once for choices and repeats, after a short pause while typing, and immediately when
 * the person leaves the question, saves or closes (one save in flight, later ones coalesced).
 * A crash loses at most the last fraction of a second of typing.
 */
export class FormSession {
  readonly engine: FormEngine
  recordId: string | null
  saveState: SaveState = 'saved'
  lastError: unknown = null
  private saved: RecordValues
  /** Writes run one after another; a write reads the form's state when it starts. */
  private chain: Promise<void> = Promise.resolve()
  /** A write is queued and has not started: it will carry every change made until it does. */
  private queued = false
  /** Changed since the last write started. */
  private dirty = false
  private readonly listeners = new Set<() => void>()
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(readonly form: FillableForm, record: RecordDetail | null, env: { deviceId: string; username: string }) {
    const definition = parseXForm(form.xform)
    this.engine = new FormEngine(definition, {
      deviceId: env.deviceId,
      username: env.username,
      loadExternal: mediaLoader(form.media ?? []),
      ...(record?.instanceXml ? { instanceXml: parseXml(record.instanceXml) } : {}),
    })
    if (record && !record.instanceXml) hydrateFromValues(this.engine, record.values)
    this.recordId = record?.id ?? null
    this.saved = record ? record.values : {}
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private notify(): void {
    this.listeners.forEach((listener) => listener())
  }

  get language(): string | null {
    return this.engine.labels.language
  }

  /** Switches the form's language (labels, hints, choices, messages). */
  setLanguage(language: string): void {
    this.engine.labels.language = language
    this.notify()
  }

  setAnswer(node: InstanceNode, value: string, options: { typing?: boolean } = {}): void {
    if (!this.engine.setValue(node, value)) return
    this.dirty = true
    this.saveState = 'unsaved'
    this.notify()
    if (options.typing) this.schedule()
    else void this.save()
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.flush(), typingPauseMs)
  }

  /** Saves what is pending now (leaving a question, Ctrl+S, closing). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    return this.dirty ? this.save() : this.chain
  }

  addRepeat(path: string, parent: InstanceNode): InstanceNode {
    const created = this.engine.addRepeat(path, parent)
    this.dirty = true
    this.saveState = 'unsaved'
    this.notify()
    void this.save()
    return created
  }

  removeRepeat(instance: InstanceNode): void {
    this.engine.removeRepeat(instance)
    this.dirty = true
    this.saveState = 'unsaved'
    this.notify()
    void this.save()
  }

  instanceName(): string | null {
    const nameNode = this.engine.nodesAt(`${this.engine.root.path}/meta/instanceName`)[0]
    return nameNode?.value || null
  }

  /**
   * Saves now, or right after the write in progress; resolves once the store holds everything
   * changed before the call (so "Save and close" never leaves before its answers are saved).
   */
  save(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.queued) return this.chain
    this.queued = true
    this.chain = this.chain.then(() => {
      this.queued = false
      return this.write()
    })
    return this.chain
  }

  private async write(): Promise<void> {
    this.dirty = false
    this.saveState = 'saving'
    this.notify()
    const values = projectInstance(this.engine)
    const instanceXml = serializeInstance(this.engine, { keepIrrelevant: true })
    const instanceName = this.instanceName()
    try {
      if (!this.recordId) {
        const created = await call('records.create', { formVersionId: this.form.formVersionId, values, instanceXml, instanceName })
        this.recordId = created.id
      } else {
        // Only fields this form version has: a field it does not know (a newer version's, or
        // one HQ added) is never sent as a change, so it cannot be blanked from here.
        const changes = Object.keys(values)
          .filter((key) => !sameValue(values[key], this.saved[key]))
          .map((path) => ({ path, value: values[path] ?? null }))
        await call('records.update', { id: this.recordId, changes, instanceXml, instanceName })
      }
      this.saved = { ...this.saved, ...values }
      this.saveState = this.dirty ? 'unsaved' : 'saved'
      this.lastError = null
    } catch (error) {
      this.dirty = true // not saved: the next flush must try again
      this.saveState = 'failed'
      this.lastError = error
    }
    this.notify()
  }

  async attach(fieldPath: string, fileName: string, mediaType: string, contentBase64: string): Promise<void> {
    if (!this.recordId) throw new Error('Save the record before attaching a file.')
    await call('records.addAttachment', { recordId: this.recordId, fieldPath, fileName, mediaType, contentBase64 })
  }

  /** Finalises (end time, submission XML) and marks the record complete. */
  async complete(): Promise<void> {
    this.engine.finalize()
    await this.save()
    if (this.saveState === 'failed' || !this.recordId) {
      throw this.lastError instanceof Error ? this.lastError : new Error('The record could not be saved.')
    }
    await call('records.setStatus', { id: this.recordId, status: 'complete' })
  }
}
