import type { Knowledge, PropertyRegistry, Step } from './property'
import { createRecords, makeReplicas, random, randomStep } from './property'
import { checkInterleaving } from './property-check'

/** One session: a registry and three laptops that play `count` interleavings one after another. */
export async function runSession(
  seed: number,
  count: number,
  registry: PropertyRegistry,
): Promise<{ seed: number; problems: string[]; steps: Step[] } | null> {
  const next = random(seed)
  const replicas = await makeReplicas(registry, 3)
  try {
    for (const replica of replicas) await replica.client.syncNow() // the form
    for (let i = 0; i < count; i++) {
      const knowledge: Knowledge = new Map()
      const made: string[] = []
      const author = replicas[Math.floor(next() * 3)] ?? replicas[0]
      if (!author) throw new Error('no replicas')
      const records = await createRecords(
        author,
        registry.formVersionId,
        1 + Math.floor(next() * 2),
        knowledge,
        made,
      )
      await author.client.syncNow()
      for (const replica of replicas) if (replica !== author) await replica.client.syncNow()
      const steps: Step[] = []
      const length = 3 + Math.floor(next() * 8)
      for (let s = 0; s < length; s++)
        steps.push(await randomStep(next, registry, replicas, records, knowledge, made))
      registry.next = 'ok'
      // Everyone pushes and pulls, then the first two pull what the last one pushed.
      for (const replica of [...replicas, ...replicas.slice(0, -1)]) await replica.client.syncNow()
      const problems = checkInterleaving(
        await registry.snapshot(records),
        replicas,
        records,
        knowledge,
        made,
      )
      if (problems.length > 0) return { seed, problems, steps }
    }
    return null
  } finally {
    for (const replica of replicas) await replica.store.close()
    await registry.close()
  }
}
