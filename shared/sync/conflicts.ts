import { deletedKey } from './ops'

/**
 * The key a resolution writes: the field itself, or `#deleted` for a delete-against-edit conflict
 * (whose field path is `#deleted:<the edited key>`).
 */
export function resolutionKey(conflictFieldPath: string): string {
  return conflictFieldPath.startsWith(`${deletedKey}:`) ? deletedKey : conflictFieldPath
}
