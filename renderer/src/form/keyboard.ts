import type { KeyboardEvent } from 'react'

const inputs = (root: HTMLElement): HTMLElement[] => [...root.querySelectorAll<HTMLElement>('[data-question-input]')]

function questionOf(element: Element | null): HTMLElement | null {
  return element?.closest<HTMLElement>('[data-question]') ?? null
}

/** Moves focus to the first input of the next (or previous) relevant question. */
export function focusQuestion(root: HTMLElement, from: Element | null, step: 1 | -1): boolean {
  const all = inputs(root)
  const current = questionOf(from)
  const index = all.findIndex((input) => questionOf(input) === current)
  let next = index + step
  while (all[next] && questionOf(all[next] ?? null) === current) next += step
  const target = all[next]
  if (!target) return false
  target.focus()
  target.scrollIntoView({ block: 'nearest' })
  return true
}

/** PageDown / PageUp: the first question of the next or previous group (page). */
function focusPage(root: HTMLElement, from: Element | null, step: 1 | -1): void {
  const pages = [...root.querySelectorAll<HTMLElement>('[data-page]')]
  const current = from?.closest<HTMLElement>('[data-page]')
  const index = current ? pages.indexOf(current) : -1
  const target = pages[index + step] ?? (step === 1 ? undefined : pages[0])
  target?.querySelector<HTMLElement>('[data-question-input]')?.focus()
}

/**
 * Keyboard-first entry: Enter commits and moves on (Tab and Shift+Tab as usual), PageDown and
 * PageUp move between groups, Ctrl+S saves. Enter inside a textarea or an open list is theirs.
 */
export function handleFormKeys(event: KeyboardEvent<HTMLElement>, root: HTMLElement | null, save: () => void): void {
  if (!root) return
  const target = event.target as HTMLElement
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
    event.preventDefault()
    save()
    return
  }
  if (event.key === 'PageDown' || event.key === 'PageUp') {
    event.preventDefault()
    focusPage(root, target, event.key === 'PageDown' ? 1 : -1)
    return
  }
  if (event.key !== 'Enter' || event.shiftKey || event.defaultPrevented) return
  if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON' || target.getAttribute('aria-expanded') === 'true') return
  if (!questionOf(target)) return
  event.preventDefault()
  focusQuestion(root, target, 1)
}
