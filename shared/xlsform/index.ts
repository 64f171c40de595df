export { compileWorkbook, type CompileOptions, type CompileResult } from './compile'
export { formatDiagnostic, formInvalidError, type Diagnostic } from './diagnostics'
export { readCsv } from './read-csv'
export { readMarkdown } from './read-markdown'
export { readXls } from './read-xls'
export { readXlsx } from './read-xlsx'
export type { Sheet, SheetRow, Workbook } from './workbook'
export { formNameFromFile, readFormFile, type ReadResult } from './read-form'
export type {
  FormChoice,
  FormDefinition,
  FormField,
  FormItem,
  FormSection,
  Texts,
} from './form-definition'
