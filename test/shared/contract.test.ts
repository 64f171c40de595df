import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { callNames, calls, eventNames } from '../../shared/api'
import { defineCalls, joinDomains } from '../../shared/api/define'
import { AppFailure, toAppError } from '../../shared/errors'
import { directionOf } from '../../shared/text-direction'

describe('the contract', () => {
  it('names every call domain.verb and gives each an input and an output schema', () => {
    expect(callNames.length).toBeGreaterThan(0)
    for (const name of callNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/)
      expect(calls[name].input).toBeInstanceOf(z.ZodType)
      expect(calls[name].output).toBeInstanceOf(z.ZodType)
    }
    expect(eventNames).toContain('settings.changed')
  })

  it('refuses a call defined twice when domains are joined', () => {
    const a = defineCalls({ 'x.get': { input: z.object({}), output: z.string() } })
    const b = defineCalls({ 'x.get': { input: z.object({}), output: z.number() } })
    expect(() => joinDomains(a, b)).toThrow(/defined twice/)
  })

  it('turns unknown errors into internal ones without leaking their text', () => {
    const error = toAppError(new Error('ENOENT /home/secret/path'))
    expect(error.code).toBe('internal')
    expect(error.message).not.toContain('secret')
    expect(toAppError(new AppFailure('not_found', 'No such record.'))).toEqual({ code: 'not_found', message: 'No such record.' })
  })
})

describe('text direction', () => {
  it.each([
    ['ar', 'rtl'],
    ['fa-IR', 'rtl'],
    ['Urdu (ur)', 'rtl'],
    ['French (fr)', 'ltr'],
    ['en', 'ltr'],
  ])('%s is %s', (language, direction) => {
    expect(directionOf(language)).toBe(direction)
  })
})
