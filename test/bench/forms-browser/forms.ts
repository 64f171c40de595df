// The two benchmark forms of issue 4, compiled from XLSForm Markdown by our compiler.
import { compileWorkbook, readMarkdown } from '../../../shared/xlsform/index'

const row = (cells: string[]) => `| | ${cells.join(' | ')} |`

function compile(md: string): string {
  const result = compileWorkbook(readMarkdown(md), { formName: 'data' })
  if (!result.xml) throw new Error(result.errors.map((e) => e.message).join('\n'))
  return result.xml
}

/** 1,000 questions: q1 drives 200 relevance expressions and a chain of 100 calculates. */
export function bigForm(): string {
  const lines = ['| survey |', row(['type', 'name', 'label', 'relevant', 'calculation'])]
  lines.push(row(['integer', 'q1', 'Q1', '', '']))
  for (let i = 2; i <= 900; i++) lines.push(row(['integer', `q${i}`, `Q${i}`, i <= 201 ? `\${q1} > ${i % 50}` : '', '']))
  for (let i = 1; i <= 100; i++) lines.push(row(['calculate', `c${i}`, '', '', i === 1 ? '${q1} * 2' : `\${c${i - 1}} + \${q${i + 1}}`]))
  return compile(lines.join('\n'))
}

/** A select of 20,000 villages filtered by one of 200 districts. */
export function cascadeForm(): string {
  const lines = ['| survey |', row(['type', 'name', 'label', 'choice_filter'])]
  lines.push(row(['select_one district', 'district', 'District', '']))
  lines.push(row(['select_one village', 'village', 'Village', 'district = ${district}']))
  lines.push('| choices |', row(['list_name', 'name', 'label', 'district']))
  for (let d = 0; d < 200; d++) lines.push(row(['district', `d${d}`, `District ${d}`, '']))
  for (let v = 0; v < 20_000; v++) lines.push(row(['village', `v${v}`, `Village ${v}`, `d${v % 200}`]))
  return compile(lines.join('\n'))
}
