// The Chromium side of the forms benchmark: fetches the two forms from the bench server, runs
// the same measurements as Node with the browser's own DOM for ODK's engine, posts the result.
import { measureAll, type Env, type OdkNode } from './measure'

type Memory = { usedJSHeapSize: number }
type OdkModule = { createInstance: (xml: string, options: object) => Promise<{ root: OdkNode }> }

const heapMb = (): number | null => {
  const scope = globalThis as { gc?: () => void; performance: { memory?: Memory } }
  scope.gc?.()
  const memory = scope.performance.memory
  return memory ? memory.usedJSHeapSize / 1024 / 1024 : null
}

async function main(): Promise<void> {
  const [big, cascade] = await Promise.all(['big.xml', 'cascade.xml'].map(async (name) => (await fetch(name)).text()))
  const odk = (await import('@getodk/xforms-engine')) as unknown as OdkModule
  const env: Env = { heapMb, createOdk: async (xml) => (await odk.createInstance(xml, {})).root }
  try {
    const result = await measureAll({ big: big ?? '', cascade: cascade ?? '' }, env)
    await fetch('result', { method: 'POST', body: JSON.stringify({ ok: true, result, userAgent: navigator.userAgent }) })
  } catch (error) {
    await fetch('result', { method: 'POST', body: JSON.stringify({ ok: false, error: String(error) }) })
  }
}

void main()
