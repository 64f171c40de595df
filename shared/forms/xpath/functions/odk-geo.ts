import { argStringsFlat, fn, type FunctionTable } from './helpers'

/** JavaRosa's GeoUtils radius; ODK Collect and Web Forms both use it, so results match to the cm. */
const EARTH_RADIUS_M = 6_378_100

type Point = { readonly lat: number; readonly lon: number }

const parsePoint = (text: string): Point | null => {
  const parts = text.trim().split(/\s+/)
  if (parts.length < 2 || parts.length > 4) return null
  const lat = Number(parts[0])
  const lon = Number(parts[1])
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return null
  return { lat, lon }
}

/** One argument is a geotrace or geoshape (`lat lon alt acc; ...`); several are geopoints. */
const parsePoints = (values: readonly string[]): Point[] | null => {
  const texts =
    values.length === 1
      ? values[0]!
          .trim()
          .replace(/(\s*;)+$/, '')
          .split(/\s*;\s*/)
      : values
  const points = texts.map(parsePoint)
  if (points.length < 2 || points.some((p) => p === null)) return null
  return points.filter((p): p is Point => p !== null)
}

const radians = (degrees: number): number => (degrees * Math.PI) / 180
const toCentimetres = (value: number): number =>
  value === 0 ? 0 : Math.abs(Math.round(value * 100) / 100)

const segment = (a: Point, b: Point): number => {
  const cosine =
    Math.sin(radians(a.lat)) * Math.sin(radians(b.lat)) +
    Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.cos(radians(a.lon - b.lon))
  return Math.acos(Math.min(1, Math.max(-1, cosine))) * EARTH_RADIUS_M
}

const distance = (points: readonly Point[]): number => {
  let total = 0
  for (let i = 1; i < points.length; i += 1) total += segment(points[i - 1]!, points[i]!)
  return toCentimetres(total)
}

/** Spherical polygon area (Chamberlain and Duquette), closing the ring when the shape is open. */
const area = (points: readonly Point[]): number => {
  const first = points[0]
  const last = points[points.length - 1]
  if (first === undefined || last === undefined) return 0
  const ring = first.lat === last.lat && first.lon === last.lon ? points : [...points, first]
  let total = 0
  for (let i = 1; i < ring.length; i += 1) {
    const a = ring[i - 1]!
    const b = ring[i]!
    total += radians(b.lon - a.lon) * (2 + Math.sin(radians(b.lat)) + Math.sin(radians(a.lat)))
  }
  return toCentimetres((total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2)
}

/** Ray casting in degrees, as JavaRosa does; the shape must be closed. */
const insideShape = (point: Point, shape: readonly Point[]): boolean => {
  const first = shape[0]
  const last = shape[shape.length - 1]
  if (first === undefined || last === undefined || first.lat !== last.lat || first.lon !== last.lon)
    return false
  let inside = false
  for (let i = 1; i < shape.length; i += 1) {
    const a = shape[i - 1]!
    const b = shape[i]!
    const crosses = b.lat > point.lat !== a.lat > point.lat
    if (crosses && point.lon < ((a.lon - b.lon) * (point.lat - b.lat)) / (a.lat - b.lat) + b.lon)
      inside = !inside
  }
  return inside
}

export const geoFunctions: FunctionTable = {
  distance: fn(1, Infinity, (args, f) => {
    const points = parsePoints(argStringsFlat(args, f))
    return points === null ? NaN : distance(points)
  }),
  area: fn(1, 1, (args, f) => {
    const points = parsePoints(argStringsFlat(args, f))
    return points === null ? 0 : area(points)
  }),
  geofence: fn(2, 2, (args, f) => {
    const [pointText = '', shapeText = ''] = argStringsFlat(args, f)
    const point = parsePoint(pointText)
    const shape = parsePoints([shapeText])
    return point !== null && shape !== null && insideShape(point, shape)
  }),
}
