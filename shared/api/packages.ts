import { z } from 'zod'
import { defineCalls } from './define'

/** Which of this laptop's changes an export carries (docs/packages.md). */
export const packageExportScopeSchema = z.discriminatedUnion('kind', [
  /** Everything the registry has not acknowledged (online or by a return package). */
  z.object({ kind: z.literal('unacknowledged') }).strict(),
  /** Everything after the last package written on this laptop. */
  z.object({ kind: z.literal('sinceLastPackage') }).strict(),
  /** A chosen range of this laptop's change numbers: (fromSeq, toSeq]. */
  z
    .object({
      kind: z.literal('range'),
      fromSeq: z.number().int().nonnegative(),
      toSeq: z.number().int().nonnegative(),
    })
    .strict(),
])
export type PackageExportScope = z.infer<typeof packageExportScopeSchema>

const path = z.string().trim().min(1).max(4096)

export const packageSummarySchema = z.object({
  packageId: z.string(),
  path: z.string(),
  records: z.number().int().nonnegative(),
  ops: z.number().int().nonnegative(),
  attachments: z.number().int().nonnegative(),
  attachmentBytes: z.number().int().nonnegative(),
  /** Size of the package file. */
  bytes: z.number().int().nonnegative(),
})
export type PackageSummary = z.infer<typeof packageSummarySchema>

const partySchema = z.object({
  kind: z.enum(['device', 'registry']),
  id: z.string(),
  officeId: z.string().nullable(),
})

/** What `inspect` shows: the signed manifest, checked whole, before anything is applied. */
export const packageInfoSchema = z.object({
  packageId: z.string(),
  format: z.number().int(),
  createdAt: z.number(),
  source: partySchema,
  destination: partySchema,
  feed: z.object({ from: z.string(), to: z.string() }),
  opRange: z.object({ fromSeq: z.number(), toSeq: z.number() }).nullable(),
  records: z.number().int().nonnegative(),
  ops: z.number().int().nonnegative(),
  changes: z.number().int().nonnegative(),
  forms: z.number().int().nonnegative(),
  attachments: z.number().int().nonnegative(),
  attachmentBytes: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Everything in it is already here: importing it would change nothing. */
  alreadyApplied: z.boolean(),
})
export type PackageInfo = z.infer<typeof packageInfoSchema>

export const packageImportResultSchema = z.object({
  packageId: z.string(),
  /** Ops this computer did not have, now applied. */
  newOps: z.number().int().nonnegative(),
  /** Ops in the package already here (from an earlier package or online sync). */
  knownOps: z.number().int().nonnegative(),
  forms: z.number().int().nonnegative(),
  /** This laptop's own changes the registry confirmed it holds: no longer waiting to be sent. */
  acknowledged: z.number().int().nonnegative(),
  /** This laptop's own changes the registry refused (set aside, listed on the sync screen). */
  refused: z.number().int().nonnegative(),
  attachments: z.number().int().nonnegative(),
})
export type PackageImportResult = z.infer<typeof packageImportResultSchema>

export const packagesProgressSchema = z.object({
  phase: z.enum(['export', 'verify', 'apply']),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
})
export type PackagesProgress = z.infer<typeof packagesProgressSchema>

export const packagesCalls = defineCalls({
  /** Writes a package for the registry to `path` (a file the person chose; the Electron dialog in the app). */
  'packages.export': {
    input: z
      .object({ path, scope: packageExportScopeSchema.default({ kind: 'unacknowledged' }) })
      .strict(),
    output: packageSummarySchema,
  },
  /** Decrypts and checks a package addressed to this laptop without applying it. */
  'packages.inspect': { input: z.object({ path }).strict(), output: packageInfoSchema },
  /** Checks, then applies a package in one transaction through the sync apply path. */
  'packages.import': { input: z.object({ path }).strict(), output: packageImportResultSchema },
})
