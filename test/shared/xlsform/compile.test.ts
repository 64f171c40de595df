import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from '../../../shared/xlsform/index'
import { compileMd, count } from './helpers'

describe('XLSForm compiler: questions', () => {
  it('emits instance, bind and body control for each basic type', () => {
    const r = compileMd(`
      | survey |
      | | type     | name | label |
      | | text     | t    | T     |
      | | integer  | i    | I     |
      | | decimal  | d    | D     |
      | | date     | dt   | Date  |
      | | geopoint | g    | G     |
      | | image    | img  | Img   |
      | | note     | n    | Note  |
      | | acknowledge | a | Ack   |
      | | start    | s    |       |
    `)
    expect(r.errors).toEqual([])
    const xml = r.xml ?? ''
    expect(count(xml, "/h:html/h:head/x:model/x:bind[@nodeset='/data/i' and @type='int']")).toBe(1)
    expect(
      count(xml, "/h:html/h:head/x:model/x:bind[@nodeset='/data/n' and @readonly='true()']"),
    ).toBe(1)
    expect(count(xml, "/h:html/h:body/x:upload[@ref='/data/img' and @mediatype='image/*']")).toBe(1)
    expect(count(xml, "/h:html/h:body/x:trigger[@ref='/data/a']")).toBe(1)
    expect(
      count(
        xml,
        "/h:html/h:head/x:model/x:bind[@nodeset='/data/s' and @jr:preload='timestamp' and @jr:preloadParams='start']",
      ),
    ).toBe(1)
    expect(count(xml, "/h:html/h:body/*[@ref='/data/s']")).toBe(0)
    expect(
      count(
        xml,
        "/h:html/h:head/x:model/x:bind[@nodeset='/data/meta/instanceID' and @jr:preload='uid']",
      ),
    ).toBe(1)
  })

  it('turns required, relevant, constraint and their messages into bind attributes', () => {
    const r = compileMd(`
      | survey |
      | | type    | name | label | required | relevant   | constraint | constraint_message | required_message |
      | | integer | age  | Age   | yes      |            | . < 150    | Too old            | Please answer    |
      | | text    | why  | Why   |          | \${age} > 5 |           |                    |                  |
    `)
    const xml = r.xml ?? ''
    expect(
      count(
        xml,
        "//x:bind[@nodeset='/data/age' and @required='true()' and @constraint='. < 150' and @jr:constraintMsg='Too old' and @jr:requiredMsg='Please answer']",
      ),
    ).toBe(1)
    expect(count(xml, "//x:bind[@nodeset='/data/why' and @relevant=' /data/age  > 5']")).toBe(1)
  })

  it('writes selects as itemsets over a secondary instance, with choice_filter as a predicate', () => {
    const r = compileMd(`
      | survey |
      | | type               | name  | label | choice_filter   |
      | | select_one states  | state | State |                 |
      | | select_one cities  | city  | City  | st = \${state}   |
      | choices |
      | | list_name | name | label | st |
      | | states    | a    | A     |    |
      | | cities    | x    | X     | a  |
    `)
    const xml = r.xml ?? ''
    expect(
      count(
        xml,
        "//x:instance[@id='cities']/x:root/x:item[x:name='x' and x:label='X' and x:st='a']",
      ),
    ).toBe(1)
    expect(
      count(
        xml,
        "//x:select1[@ref='/data/city']/x:itemset[@nodeset=\"instance('cities')/root/item[st =  /data/state ]\"]",
      ),
    ).toBe(1)
  })

  it('makes references relative inside a repeat and uses current() in instance predicates', () => {
    const r = compileMd(`
      | survey |
      | | type          | name | label | relevant    | choice_filter |
      | | begin_repeat  | r    | R     |             |               |
      | | integer       | a    | A     |             |               |
      | | text          | b    | B     | \${a} > 1    |               |
      | | select_one l  | c    | C     |             | name = \${a}   |
      | | end_repeat    |      |       |             |               |
      | choices |
      | | list_name | name | label |
      | | l         | 1    | One   |
    `)
    const xml = r.xml ?? ''
    expect(count(xml, "//x:bind[@nodeset='/data/r/b' and @relevant=' ../a  > 1']")).toBe(1)
    expect(
      count(xml, '//x:itemset[@nodeset="instance(\'l\')/root/item[name =  current()/../a ]"]'),
    ).toBe(1)
    expect(count(xml, "/h:html/h:head/x:model/x:instance/x:data/x:r[@jr:template='']")).toBe(1)
  })

  it('puts translated labels and media in itext', () => {
    const r = compileMd(`
      | survey |
      | | type | name | label::English (en) | label::French (fr) | media::image |
      | | text | q    | Name                | Nom                | a.png        |
      | settings |
      | | default_language |
      | | English (en)     |
    `)
    const xml = r.xml ?? ''
    expect(
      count(
        xml,
        "//x:translation[@lang='English (en)' and @default='true()']/x:text[@id='/data/q:label']/x:value[.='Name']",
      ),
    ).toBe(1)
    expect(
      count(
        xml,
        "//x:translation[@lang='French (fr)']/x:text[@id='/data/q:label']/x:value[.='Nom']",
      ),
    ).toBe(1)
    expect(
      count(xml, "//x:text[@id='/data/q:label']/x:value[@form='image' and .='jr://images/a.png']"),
    ).toBeGreaterThan(0)
  })

  it('sets dynamic defaults at load and in new repeats, and static ones in the instance', () => {
    const r = compileMd(`
      | survey |
      | | type         | name | label | default |
      | | integer      | s    | S     | 5       |
      | | begin_repeat | r    | R     |         |
      | | date         | d    | D     | today() |
      | | end_repeat   |      |       |         |
    `)
    const xml = r.xml ?? ''
    expect(count(xml, "//x:instance/x:data/x:s[.='5']")).toBe(1)
    expect(
      count(
        xml,
        "/h:html/h:head/x:model/x:setvalue[@event='odk-instance-first-load' and @ref='/data/r/d' and @value='today()']",
      ),
    ).toBe(1)
    expect(count(xml, "//x:repeat/x:setvalue[@event='odk-new-repeat' and @ref='/data/r/d']")).toBe(
      1,
    )
  })

  it('recomputes a triggered calculation inside the trigger question', () => {
    const r = compileMd(`
      | survey |
      | | type     | name | label | calculation | trigger |
      | | text     | a    | A     |             |         |
      | | dateTime | b    |       | now()       | \${a}    |
    `)
    const xml = r.xml ?? ''
    expect(
      count(
        xml,
        "//x:input[@ref='/data/a']/x:setvalue[@event='xforms-value-changed' and @ref='/data/b' and @value='now()']",
      ),
    ).toBe(1)
    expect(count(xml, "//x:bind[@nodeset='/data/b' and @calculate]")).toBe(0)
  })

  it('validates range parameters', () => {
    const ok = compileMd(`
      | survey |
      | | type  | name | label | parameters           |
      | | range | r    | R     | start=0 end=5 step=0.5 |
    `)
    expect(count(ok.xml ?? '', "//x:range[@start='0' and @end='5' and @step='0.5']")).toBe(1)
    expect(count(ok.xml ?? '', "//x:bind[@nodeset='/data/r' and @type='decimal']")).toBe(1)
    const bad = compileMd(`
      | survey |
      | | type  | name | label | parameters |
      | | range | r    | R     | step=0     |
    `)
    expect(bad.ok).toBe(false)
  })
})

describe('XLSForm compiler: problems', () => {
  it('reports every problem at once, each located by sheet, row and column', () => {
    const r = compileMd(`
      | survey |
      | | type      | name | label           |
      | | integer   | age  | Age             |
      | | text      | q    | You are \${agee} |
      | | wibble    | w    | W               |
      | | select_one nope | s | S            |
    `)
    expect(r.ok).toBe(false)
    const lines = r.errors.map(formatDiagnostic)
    expect(lines).toContainEqual(
      expect.stringMatching(/^survey row 3, column label: .*'agee'.*Did you mean `\$\{age\}`\?/),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(/^survey row 4, column type: Unknown question type 'wibble'/),
    )
    expect(lines.some((l) => l.includes('choices sheet'))).toBe(true)
  })

  it('rejects unmatched groups and duplicate names', () => {
    const r = compileMd(`
      | survey |
      | | type        | name | label |
      | | begin_group | g    | G     |
      | | text        | a    | A     |
      | | text        | a    | A2    |
    `)
    const messages = r.errors.map((e) => e.message)
    expect(messages.some((m) => m.includes("Unmatched 'begin_group'"))).toBe(true)
    expect(messages.some((m) => m.includes("'name' value 'a' is invalid"))).toBe(true)
  })

  it('needs a survey sheet and names the near misses', () => {
    const r = compileMd(`
      | surveys |
      | | type | name | label |
      | | text | a    | A     |
      | choices |
      | | list_name | name | label |
    `)
    expect(r.errors[0]?.message).toMatch(/You must have a sheet named 'survey'.*'surveys'/)
  })
})

describe('XLSForm compiler: JSON form definition', () => {
  it('describes the same questions, binds and choices as the XForm', () => {
    const r = compileMd(`
      | survey |
      | | type            | name  | label | relevant     |
      | | begin_group     | g     | G     |              |
      | | select_one yn   | ok    | OK?   |              |
      | | integer         | n     | N     | \${ok} = 'y'  |
      | | end_group       |       |       |              |
      | choices |
      | | list_name | name | label |
      | | yn        | y    | Yes   |
      | | yn        | n    | No    |
    `)
    const group = r.form?.items[0]
    expect(group).toMatchObject({ kind: 'group', name: 'g', path: '/data/g' })
    expect(group?.kind === 'group' ? group.children[1] : undefined).toMatchObject({
      kind: 'question',
      type: 'integer',
      dataType: 'int',
      bind: { relevant: " /data/g/ok  = 'y'" },
      label: { default: 'N' },
    })
    expect(r.form?.choices.yn?.map((c) => c.name)).toEqual(['y', 'n'])
    expect(JSON.parse(JSON.stringify(r.form))).toEqual(r.form)
  })
})
