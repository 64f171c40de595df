import type { Build } from './build-context'
import type { QuestionNode } from './form-model'
import { readParameters } from './parameters'
import { el, type XmlNode } from './xml-node'

type Attrs = Record<string, string | undefined>

function rowError(build: Build, q: QuestionNode, message: string): void {
  build.diags.error(message, {
    sheet: 'survey',
    row: q.row.row,
    column: q.row.headers.parameters ?? 'parameters',
  })
}

const qualities = ['voice-only', 'low', 'normal']

function imageParams(build: Build, q: QuestionNode, attrs: Attrs): void {
  const p = readParameters(build.diags, q, ['app', 'max-pixels'])
  if (!p) return
  const maxPixels = p['max-pixels']
  if (maxPixels !== undefined) {
    if (/^\d+$/.test(maxPixels)) attrs['orx:max-pixels'] = maxPixels
    else rowError(build, q, 'Parameter max-pixels must have an integer value.')
  }
  const app = p.app
  // Only the plain and annotate widgets can hand off to another app; others ignore it.
  const appearance = (q.row.values['control::appearance'] ?? '').trim()
  if (app !== undefined && (appearance === '' || appearance === 'annotate')) {
    if (!/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/.test(app))
      rowError(
        build,
        q,
        "Parameter 'app' has an invalid Android package name - the package name must have at least one '.' separator.",
      )
    else attrs.intent = app
  }
}

function audioQuality(build: Build, q: QuestionNode, allowExternal: boolean): string | undefined {
  const p = readParameters(build.diags, q, ['quality'])
  const quality = p?.quality
  if (quality === undefined) return undefined
  if (qualities.includes(quality) || (allowExternal && quality === 'external')) return quality
  rowError(
    build,
    q,
    `Invalid value for quality. Use one of: ${[...qualities, ...(allowExternal ? ['external'] : [])].join(', ')}.`,
  )
  return undefined
}

function selectParams(build: Build, q: QuestionNode): void {
  const p = q.select?.fromFile ? undefined : readParameters(build.diags, q, ['randomize', 'seed'])
  if (!p) return
  if (p.randomize !== undefined && !/^(true|false|yes|no)$/i.test(p.randomize))
    rowError(
      build,
      q,
      `randomize must be set to true or false: '${p.randomize}' is an invalid value`,
    )
  if (p.seed !== undefined) {
    if (p.randomize === undefined || !/^(true|yes)$/i.test(p.randomize))
      rowError(build, q, 'Parameters must include randomize=true to use a seed.')
    else if (!/^-?\d+(\.\d+)?$/.test(p.seed) && !/^\$\{[^}]+\}$/.test(p.seed))
      rowError(build, q, 'seed value must be a number or a reference to another field.')
  }
}

function textParams(build: Build, q: QuestionNode, attrs: Attrs): void {
  const p = readParameters(build.diags, q, ['rows'])
  if (p?.rows === undefined) return
  if (/^\d+$/.test(p.rows)) attrs.rows = p.rows
  else rowError(build, q, 'Parameter rows must have an integer value.')
}

/** Type-specific `parameters` (and their checks) that shape the body control. Returns extra children. */
export function questionParams(build: Build, q: QuestionNode, attrs: Attrs): XmlNode[] {
  if (q.row.values.parameters === undefined) return []
  if (q.type === 'image') imageParams(build, q, attrs)
  else if (q.type === 'audio') {
    const quality = audioQuality(build, q, true)
    if (quality)
      build.bindExtras.set(q.path, { ...build.bindExtras.get(q.path), 'odk:quality': quality })
  } else if (q.type === 'text') textParams(build, q, attrs)
  else if (q.select && !q.select.fromFile) selectParams(build, q)
  return []
}

/** background-audio records from load to finalisation; its quality goes on the action. */
export function backgroundAudio(build: Build, q: QuestionNode): void {
  const quality = q.row.values.parameters === undefined ? undefined : audioQuality(build, q, false)
  build.modelActions.push(
    el('odk:recordaudio', { event: 'odk-instance-load', ref: q.path, 'odk:quality': quality }),
  )
}

const priorities = ['no-power', 'low-power', 'balanced', 'high-accuracy']

/** The audit log's parameters become odk:… attributes on its bind. */
export function auditBind(build: Build, q: QuestionNode): void {
  if (q.name !== 'audit') rowError(build, q, "Audits must always be named 'audit.'")
  const p = readParameters(build.diags, q, [
    'location-priority',
    'location-min-interval',
    'location-max-age',
    'track-changes',
    'identify-user',
    'track-changes-reasons',
  ])
  if (!p) return
  const attrs: Record<string, string> = {}
  const loc = ['location-priority', 'location-min-interval', 'location-max-age']
  if (loc.some((k) => p[k] !== undefined)) {
    if (!loc.every((k) => p[k] !== undefined))
      rowError(
        build,
        q,
        "'location-priority', 'location-min-interval', and 'location-max-age' are required parameters",
      )
    else if (!priorities.includes(p['location-priority'] ?? ''))
      rowError(
        build,
        q,
        'location-priority must be set to no-power, low-power, balanced, or high-accuracy',
      )
    else if (Number(p['location-min-interval']) < 0)
      rowError(build, q, 'location-min-interval must be greater than or equal to zero')
    else if (Number(p['location-max-age']) < Number(p['location-min-interval']))
      rowError(build, q, 'location-max-age must be greater than or equal to location-min-interval')
    else for (const k of loc) attrs[`odk:${k}`] = p[k] ?? ''
  }
  for (const k of ['track-changes', 'identify-user']) {
    const v = p[k]
    if (v === undefined) continue
    if (/^(true|false)$/.test(v)) attrs[`odk:${k}`] = v
    else rowError(build, q, `${k} must be set to true or false`)
  }
  const reasons = p['track-changes-reasons']
  if (reasons !== undefined) {
    if (reasons === 'on-form-edit') attrs['odk:track-changes-reasons'] = reasons
    else rowError(build, q, 'track-changes-reasons must be set to on-form-edit')
  }
  build.bindExtras.set(q.path, { ...build.bindExtras.get(q.path), ...attrs })
}
