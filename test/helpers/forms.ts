/** A small XLSForm in pyxform's Markdown layout, with the settings a test needs. */
export function makeFormMarkdown(options: { formId?: string; version?: string; title?: string; relevant?: string } = {}): string {
  const { formId = 'household', version = '1', title = 'Household survey', relevant = '${size} > 3' } = options
  return [
    '| survey |',
    '|        | type    | name    | label          | relevant |',
    '|        | text    | hh_name | Household head |          |',
    '|        | integer | size    | Household size |          |',
    `|        | text    | remark  | Remark         | ${relevant.replace(/\|/g, '\\|')} |`,
    '| settings |',
    '|          | form_id | version | form_title |',
    `|          | ${formId} | ${version} | ${title} |`,
    '',
  ].join('\n')
}

export const toBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')
