/** What a question type becomes in the XForm: its body control and its bind. */
export type TypeDef = {
  control?: 'input' | 'select1' | 'select' | 'odk:rank' | 'upload' | 'trigger' | 'range'
  bindType?: string
  mediatype?: string
  readonly?: boolean
  preload?: string
  preloadParams?: string
  /** Metadata-like types that have no label and no body control. */
  labelOptional?: boolean
}

const input = (bindType: string): TypeDef => ({ control: 'input', bindType })
const upload = (mediatype: string): TypeDef => ({
  control: 'upload',
  bindType: 'binary',
  mediatype,
})
const meta = (bindType: string, preload: string, preloadParams: string): TypeDef => ({
  bindType,
  preload,
  preloadParams,
  labelOptional: true,
})

/** The XLSForm question types pyxform knows, under their canonical names. */
export const questionTypes: Record<string, TypeDef> = {
  text: input('string'),
  integer: input('int'),
  decimal: input('decimal'),
  range: { control: 'range', bindType: 'int' },
  date: input('date'),
  time: input('time'),
  dateTime: input('dateTime'),
  geopoint: input('geopoint'),
  geotrace: input('geotrace'),
  geoshape: input('geoshape'),
  barcode: input('barcode'),
  image: upload('image/*'),
  audio: upload('audio/*'),
  video: upload('video/*'),
  file: upload('application/*'),
  osm: upload('osm/*'),
  note: { control: 'input', bindType: 'string', readonly: true },
  acknowledge: { control: 'trigger', bindType: 'string' },
  trigger: { control: 'trigger' },
  calculate: { bindType: 'string', labelOptional: true },
  hidden: { bindType: 'string', labelOptional: true },
  select_one: { control: 'select1', bindType: 'string' },
  select_multiple: { control: 'select', bindType: 'string' },
  rank: { control: 'odk:rank', bindType: 'odk:rank' },
  select_one_external: { control: 'input', bindType: 'string' },
  start: meta('dateTime', 'timestamp', 'start'),
  end: meta('dateTime', 'timestamp', 'end'),
  today: meta('date', 'date', 'today'),
  deviceid: meta('string', 'property', 'deviceid'),
  phonenumber: meta('string', 'property', 'phonenumber'),
  simserial: meta('string', 'property', 'simserial'),
  subscriberid: meta('string', 'property', 'subscriberid'),
  username: meta('string', 'property', 'username'),
  email: meta('string', 'property', 'email'),
  'uri:deviceid': meta('string', 'property', 'uri:deviceid'),
  'uri:phonenumber': meta('string', 'property', 'uri:phonenumber'),
  'uri:simserial': meta('string', 'property', 'uri:simserial'),
  'uri:subscriberid': meta('string', 'property', 'uri:subscriberid'),
  'uri:username': meta('string', 'property', 'uri:username'),
  'uri:email': meta('string', 'property', 'uri:email'),
  'start-geopoint': { bindType: 'geopoint', labelOptional: true },
  'background-geopoint': { bindType: 'geopoint', labelOptional: true },
  'background-audio': { bindType: 'binary', labelOptional: true },
  audit: { bindType: 'binary', labelOptional: true },
  'xml-external': { labelOptional: true },
  'csv-external': { labelOptional: true },
  entity: { labelOptional: true },
}

/** Other spellings pyxform accepts for the same types. */
const typeAliases: Record<string, string> = {
  string: 'text',
  int: 'integer',
  datetime: 'dateTime',
  'date time': 'dateTime',
  gps: 'geopoint',
  location: 'geopoint',
  photo: 'image',
  'q picture': 'image',
  imei: 'deviceid',
  'add image prompt': 'image',
  'add photo prompt': 'image',
  'add audio prompt': 'audio',
  'add video prompt': 'video',
  'add file prompt': 'file',
  'add text prompt': 'text',
  'add integer prompt': 'integer',
  'add decimal prompt': 'decimal',
  'add date prompt': 'date',
  'add note prompt': 'note',
  'add barcode prompt': 'barcode',
  'add location prompt': 'geopoint',
  'add calculate prompt': 'calculate',
  'add acknowledge prompt': 'acknowledge',
  'add dateTime prompt': 'dateTime',
  'get start time': 'start',
  'start time': 'start',
  'get end time': 'end',
  'end time': 'end',
  'get today': 'today',
  'device id': 'deviceid',
  'get device id': 'deviceid',
  'sim id': 'simserial',
  'get sim id': 'simserial',
  'subscriber id': 'subscriberid',
  'get subscriber id': 'subscriberid',
  'get phone number': 'phonenumber',
  'phone number': 'text',
  percentage: 'integer',
}

const selectAliases: Record<string, 'select_one' | 'select_multiple' | 'rank'> = {
  select_one: 'select_one',
  'select one': 'select_one',
  select1: 'select_one',
  'select one from': 'select_one',
  'add select one prompt using': 'select_one',
  'select one using': 'select_one',
  select_multiple: 'select_multiple',
  'select multiple': 'select_multiple',
  'select all that apply': 'select_multiple',
  'select all that apply from': 'select_multiple',
  'select multiple from': 'select_multiple',
  'select multiple using': 'select_multiple',
  'add select multiple prompt using': 'select_multiple',
  rank: 'rank',
}

export type ParsedType =
  | { kind: 'question'; type: string }
  | {
      kind: 'select'
      type: 'select_one' | 'select_multiple' | 'rank'
      listName: string
      orOther: boolean
      fromFile: boolean
    }
  | { kind: 'select_external'; listName: string }
  | { kind: 'osm'; listName: string }
  | { kind: 'begin'; section: 'group' | 'repeat' }
  | { kind: 'begin_loop'; listName: string }
  | { kind: 'end'; section: 'group' | 'repeat' | 'loop' }
  | { kind: 'unknown'; type: string }

const sectionWords: Record<string, 'group' | 'repeat' | 'loop'> = {
  group: 'group',
  repeat: 'repeat',
  loop: 'loop',
  lgroup: 'repeat',
  'looped group': 'repeat',
}

export function parseType(raw: string): ParsedType {
  const text = raw.trim().replace(/\s+/g, ' ')
  const section = /^(begin|end)[ _](.+)$/i.exec(text)
  if (section) {
    const [, verb = '', rest = ''] = section
    const loop = /^loop over (\S+)$/i.exec(rest)
    if (loop && verb.toLowerCase() === 'begin')
      return { kind: 'begin_loop', listName: loop[1] ?? '' }
    const word = sectionWords[rest.toLowerCase().replace(/_/g, ' ')]
    if (word && verb.toLowerCase() === 'end') return { kind: 'end', section: word }
    if (word && word !== 'loop') return { kind: 'begin', section: word }
  }
  const external = /^select_one_external (\S+)$/i.exec(text)
  if (external) return { kind: 'select_external', listName: external[1] ?? '' }
  const fromFile =
    /^(select_one_from_file|select_multiple_from_file|select one from file|select multiple from file) (\S+)( or[_ ]other)?$/i.exec(
      text,
    )
  if (fromFile) {
    const multiple = /multiple/i.test(fromFile[1] ?? '')
    return {
      kind: 'select',
      type: multiple ? 'select_multiple' : 'select_one',
      listName: fromFile[2] ?? '',
      orOther: fromFile[3] !== undefined,
      fromFile: true,
    }
  }
  for (const [alias, type] of Object.entries(selectAliases)) {
    const m = new RegExp(`^${alias} (\\S+)( or[_ ]other| or specify other)?$`, 'i').exec(text)
    if (m)
      return {
        kind: 'select',
        type,
        listName: m[1] ?? '',
        orOther: m[2] !== undefined,
        fromFile: false,
      }
  }
  const osm = /^osm (\S+)$/i.exec(text)
  if (osm) return { kind: 'osm', listName: osm[1] ?? '' }
  const canonical = typeAliases[text] ?? typeAliases[text.toLowerCase()] ?? text
  if (canonical in questionTypes) return { kind: 'question', type: canonical }
  const lower = Object.keys(questionTypes).find((t) => t.toLowerCase() === canonical.toLowerCase())
  return lower ? { kind: 'question', type: lower } : { kind: 'unknown', type: text }
}
