import type { FormParts } from './oracle'

/** The data every differential expression reads: /data/s in the primary instance, and two lists. */
export const ORACLE_FORM: FormParts = {
  sample: [
    '<name>Amina</name><age>34</age><empty/><fruits>apple banana  cherry</fruits>',
    '<dob>1990-05-17</dob><district>d2</district><dec>3.75</dec><neg>-2</neg>',
    '<txt>  hello   world </txt><when>2020-02-29T13:45:10.257+03:00</when><time>14:30:00</time>',
    '<pt>1.5 36.8 1200 5</pt><pt2>1.6 36.9 1200 5</pt2>',
    '<shape>0 0 0 0; 0 1 0 0; 1 1 0 0; 1 0 0 0; 0 0 0 0</shape>',
    '<b64>SGVsbG8sIHfDtnJsZCE=</b64><flag>true</flag><zero>0</zero><big>123456789</big>',
    '<member><m_name>Ali</m_name><m_age>10</m_age></member>',
    '<member><m_name>Sara</m_name><m_age>7</m_age></member>',
    '<member><m_name>Omar</m_name><m_age>x</m_age></member>',
  ].join(''),
  body: '<repeat nodeset="/data/s/member"><input ref="/data/s/member/m_name"/></repeat>',
  instances: [
    '<instance id="villages"><root>',
    '<item><name>v1</name><label>Village 1</label><district>d1</district><pop>120</pop></item>',
    '<item><name>v2</name><label>Village 2</label><district>d2</district><pop>80</pop></item>',
    '<item><name>v3</name><label>Village 3</label><district>d2</district><pop>300</pop></item>',
    '<item><name>v4</name><label>Village 4</label><district>d3</district><pop></pop></item>',
    '</root></instance>',
    '<instance id="d"><root><group kind="a"><item a="x">1</item><item a="y">2</item><item>3</item></group>',
    '<group kind="b"><item a="x">4</item><sub><item>5</item></sub></group><word>Zebra</word></root></instance>',
  ].join(''),
}

const S = '/data/s'
const V = "instance('villages')/root/item"
const D = "instance('d')/root"

/** One or more expressions per function both engines know, and the tricky XPath 1.0 corners. */
export const HAND_WRITTEN: readonly string[] = [
  // paths and axes
  `${S}/name`, `${S}/member[2]/m_name`, `${S}/member[last()]/m_name`, `${S}/member[m_age > 8]/m_name`,
  `count(${S}/member)`, `count(${S}/*)`, `count(${D}//item)`, `count(${D}/group/item)`, `${D}/group[2]/@kind`,
  `count(${D}//@a)`, `${D}//item[@a = 'y']`, `count(${D}/group[@kind = 'a']/item[@a])`, `${D}/group/item[3]`,
  `name(${D}/*[last()])`, `local-name(${D}/group[1]/item[1]/@a)`, `count(${D}/group[1]/item[2]/following-sibling::item)`,
  `${D}/group[1]/item[3]/preceding-sibling::item[1]`, `count(${D}/group/item/ancestor::*)`, `name(${D}/group/sub/item/..)`,
  `count(${D}/descendant::item)`, `count(${D}/group/descendant-or-self::*)`, `${D}/group[2]/sub/item/ancestor::group/@kind`,
  `count(${D}/group/self::group)`, `count(${D}/group/item | ${D}//item)`, `(${D}//item)[4]`, `(${D}//item)[last()]`,
  `count(${V}[district = ${S}/district])`, `${V}[district = ${S}/district][2]/label`, `${V}[name = 'v3']/pop`,
  `${V}[pop > 100][1]/name`, `count(${V}[pop != ''])`, `${V}[position() = 2]/label`, `current()/../../s/age`, '../../s/name',
  `count(${V}[district = current()/../../s/district])`, `count(${V}[${S}/district = district])`, `${V}[3]/name = 'v3'`,
  // comparisons
  `${S}/age = 34`, `${S}/age = '34'`, `${S}/age = '34.0'`, `${S}/member/m_age = 7`, `${S}/member/m_age != 7`,
  `${S}/member/m_age > 9`, `${S}/member/m_age < ${S}/age`, `${S}/nothing = ''`, `${S}/nothing != ''`, `${S}/empty = ''`,
  `${S}/nothing = false()`, `${S}/empty = true()`, `${S}/member/m_name = ${S}/name`, `'abc' < 'abd'`, `'2' < '10'`,
  `true() = 'false'`, `0 = ''`, `'1' = 1.0`, `1 div 0 = 2 div 0`, `0 div 0 = 0 div 0`, `${S}/dob < today()`,
  `${S}/dob = '1990-05-17'`, `${S}/zero = false()`, `${S}/flag = 'true'`, `${V}/pop > 200`, `${V}/pop = 80`,
  // arithmetic and numbers
  '7 mod 3', '-7 mod 3', '5 div 2', '1 div 0', '-1 div 0', `${S}/age * 2`, `- ${S}/age`, `${S}/dec + ${S}/neg`,
  '0.1 + 0.2', '1.0', '3 - 1 - 1', '2 * 3 + 4', '2 + 3 * 4', '(2 + 3) * 4', '10 div 4 mod 2', `${S}/big * 10`,
  '100000000000000000000 + 0', '0.000001', '0.5 * 0.5 * 0.5', `${S}/age div 0`, `number(${S}/name)`, `number(${S}/age)`,
  "number(' 12 ')", "number('-3.5')", "number('.5')", "number('abc')", 'number(true())', `number(${S}/dec)`,
  `sum(${V}/pop[. != ''])`, `sum(${S}/member/m_age[. != 'x'])`, 'floor(-1.5)', 'ceiling(-1.5)', 'floor(2.7)',
  'round(2.5)', 'round(2.4)', 'round(-2.5)', 'round(1.005, 2)', `sum(${S}/member/m_age)`, `max(${S}/member/m_age)`,
  "number('1,5')", "coalesce(number('x'), 'b')", 'date-time(18262.5)', "boolean-from-string('TRUE')", 'round(1.2345, 2)', 'round(1234.5, -2)', `round(${S}/dec, 1)`, 'int(-1.7)', 'int(1.7)',
  `int(${S}/age div 10)`, 'pow(2, 10)', 'pow(4, 0.5)', 'abs(-3)', 'sqrt(16)', 'exp10(2)', 'log10(1000)', 'log(1)',
  'exp(0)', 'round(pi(), 4)', 'round(sin(1), 6)', 'round(cos(1), 6)', 'round(tan(1), 6)', 'round(asin(0.5), 6)',
  'round(acos(0.5), 6)', 'round(atan(1), 6)', 'round(atan2(1, 2), 6)', 'min(3, 1, 2)', 'max(1, 5, 3)',
  `max(${V}/pop[. != ''])`, `min(${S}/age, 20)`, `max(${S}/member/m_age[. != 'x'])`,
  // strings
  `string(${S}/age)`, 'string(1 div 0)', 'string(true())', `string(${S}/nothing)`, `concat('a', 1, true(), ${S}/name)`,
  `concat(${S}/member/m_name)`, "substring-before('1999/04/01', '/')", "substring-after('1999/04/01', '/')",
  "substring('12345', 2, 3)", "substring('12345', 2)", "substring('12345', 1.5, 2.6)", "substring('12345', 0, 3)",
  "substring('12345', -42, 1 div 0)", `normalize-space(${S}/txt)`, "translate('bar', 'abc', 'ABC')",
  "translate('--aaa--', 'abc-', 'ABC')", "starts-with('abc', 'ab')", "ends-with('abc', 'bc')", "contains('abc', 'd')",
  `contains(${S}/fruits, 'banana')`, `string-length(${S}/name)`, "string-length('')", "substr('abcdef', 1, 3)",
  "substr('abcdef', 2)", `join(', ', ${S}/member/m_name)`, `join('-', ${V}/name)`, `coalesce(${S}/empty, 'fallback')`,
  `coalesce(${S}/name, 'fallback')`, "regex('abc123', '[0-9]+')", "regex('abc', '^[0-9]+$')", `regex(${S}/name, '^A')`,
  // booleans and control
  'not(0)', "boolean('')", "boolean('false')", `boolean(${S}/empty)`, `boolean(${S}/nothing)`, 'true() and not(false())',
  "boolean-from-string('true')", "boolean-from-string('1')", "boolean-from-string('yes')", `if(${S}/age > 18, 'adult', 'child')`,
  "if('', 'yes', 'no')", 'checklist(2, 3, true(), false(), 1, "x")', 'checklist(-1, 1, true(), true())',
  'weighted-checklist(3, -1, true(), 2, false(), 5, 1, 1)', `count-non-empty(${V}/pop)`, `position(${S}/member[3])`,
  // select
  `selected(${S}/fruits, 'banana')`, `selected(${S}/fruits, 'ban')`, `count-selected(${S}/fruits)`,
  `selected-at(${S}/fruits, 1)`, `selected-at(${S}/fruits, 5)`, "count-selected('')",
  `pulldata('villages', 'label', 'name', 'v2')`, `pulldata('villages', 'pop', 'district', ${S}/district)`,
  // dates
  `format-date(today(), '%Y') = format-date(now(), '%Y')`, "date('2020-01-31')", "date('2020-1-5')", 'date(0)',
  'date(18262.5)', "date('2020-01-01') + 1", "format-date('2020-03-07', '%Y/%m/%d %y %n %e %b %a')",
  "format-date-time('2020-03-07T09:05:04.007Z', '%H:%M:%S.%3 %h')", "format-date('not a date', '%Y')",
  `format-date(${S}/dob, '%d %b %Y')`, `format-date-time(${S}/when, '%Y-%m-%d %H:%M')`, "decimal-date-time('1970-01-02T06:00:00Z')",
  "decimal-date-time('2020-01-01')", `decimal-date-time(${S}/when)`, "decimal-time('12:00:00Z')", `decimal-time(${S}/time)`,
  `int((date('2024-03-15') - date(${S}/dob)) div 365.25)`, `date(${S}/dob) < date('2000-01-01')`, `today() > ${S}/dob`,
  "date-time('2020-01-01T10:00:00+02:00')", "string(date-time('2020-01-01T10:00:00.250Z'))",
  "format-date('2024-03-10', '%a')", "date('2021-02-29')", "format-date('2021-13-01', '%Y')", "date(/data/s/when) - date('2020-02-29')", "format-date(date('2020-01-01') + 31, '%d %b')",
  // geo, digest, misc
  `distance(${S}/shape)`, `distance(${S}/pt, ${S}/pt2)`, `area(${S}/shape)`, `geofence('0.5 0.5', ${S}/shape)`,
  `geofence('2 2', ${S}/shape)`, "digest('abc', 'MD5', 'hex')", "digest('abc', 'SHA-1', 'hex')", "digest('abc', 'SHA-256')",
  "digest('', 'SHA-384', 'hex')", "digest('é', 'SHA-512', 'base64')", `base64-decode(${S}/b64)`, "base64-decode('not base64!')",
  'string-length(uuid())', 'string-length(uuid(12))', 'random() < 1', `count(randomize(${V}))`,
  `join(' ', randomize(${V}/name, 42))`, `join(' ', randomize(${V}/name, 7))`,
  `indexed-repeat(${S}/member/m_name, ${S}/member, 2)`, `indexed-repeat(${S}/member/m_name, ${S}/member, 9)`,
]
