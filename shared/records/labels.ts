/**
 * The seam between exports (and the records table) and the form definition: given an optional
 * lookup of a form's choice lists, map a stored choice name to the label people read. Without a
 * lookup, or for a name the form does not list, the name itself is shown.
 */
export type Choice = { name: string; label: string }

/** Choice lists by field path (as in RecordValues, repeats included: `members/crops`). */
export type FormLookup = {
  choices: (path: string) => readonly Choice[] | undefined
}

export function choiceLabel(path: string, name: string, lookup?: FormLookup): string {
  return lookup?.choices(path)?.find((choice) => choice.name === name)?.label ?? name
}

export function lookupFromMap(map: ReadonlyMap<string, readonly Choice[]>): FormLookup {
  return { choices: (path) => map.get(path) }
}
