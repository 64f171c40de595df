import { isBlankRow, parseCsv } from '../../csv'
import { parseXml, type XmlElement } from './xml'
import { FormLoadError } from './definition'

/** A CSV attachment as ODK exposes it: <root><item><col>value</col>…</item>…</root>. */
export function csvInstance(text: string): XmlElement {
  const [header = [], ...rows] = parseCsv(text).filter((row) => !isBlankRow(row))
  return {
    name: 'root',
    attrs: {},
    children: rows.map((row) => ({
      name: 'item',
      attrs: {},
      children: header.map((column, index) => ({ name: column.trim(), attrs: {}, children: [row[index] ?? ''] })),
    })),
  }
}

type Geometry = { type?: unknown; coordinates?: unknown }
type Feature = { id?: unknown; geometry?: Geometry; properties?: Record<string, unknown> | null }

const point = (coordinates: unknown): string => {
  const [longitude, latitude] = Array.isArray(coordinates) ? (coordinates as unknown[]) : []
  return `${String(latitude)} ${String(longitude)} 0 0`
}

/** A geometry as an ODK location text: Point a geopoint, LineString a geotrace, Polygon its outer ring. */
function geometryText(geometry: Geometry | undefined): string {
  const coordinates = Array.isArray(geometry?.coordinates) ? (geometry.coordinates as unknown[]) : []
  if (geometry?.type === 'Point') return point(coordinates)
  if (geometry?.type === 'LineString') return coordinates.map(point).join('; ')
  if (geometry?.type === 'Polygon') return (Array.isArray(coordinates[0]) ? (coordinates[0] as unknown[]) : []).map(point).join('; ')
  throw new FormLoadError(`The GeoJSON attachment has a geometry of type ${String(geometry?.type)}; only Point, LineString and Polygon can be used.`)
}

/**
 * A GeoJSON FeatureCollection as ODK exposes it (JavaRosa GeoJsonExternalInstance, ODK Web
 * Forms): one <item> per feature with <geometry> ("lat lon 0 0", points joined by "; "), <id>
 * (the feature's id, else its id property) and one child per other property.
 */
export function geojsonInstance(text: string): XmlElement {
  const collection = JSON.parse(text) as { type?: unknown; features?: unknown }
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new FormLoadError('The GeoJSON attachment is not a FeatureCollection with a list of features.')
  }
  const items = (collection.features as Feature[]).map((feature): XmlElement => {
    const { id: propertyId, ...others } = feature.properties ?? {}
    const id = feature.id ?? propertyId
    const field = (name: string, value: unknown): XmlElement => ({ name, attrs: {}, children: [typeof value === 'string' ? value : JSON.stringify(value)] })
    return {
      name: 'item',
      attrs: {},
      children: [
        { name: 'geometry', attrs: {}, children: [geometryText(feature.geometry)] },
        ...(id === undefined ? [] : [field('id', id)]),
        ...Object.entries(others).map(([name, value]) => field(name, value)),
      ],
    }
  })
  return { name: 'root', attrs: {}, children: items }
}

/** Builds the secondary instance for a `src` from the attachment's text, by its kind. */
export function externalInstance(src: string, text: string): XmlElement | undefined {
  if (src.startsWith('jr://file-csv/') || src.toLowerCase().endsWith('.csv')) return csvInstance(text)
  if (src.toLowerCase().endsWith('.geojson')) return geojsonInstance(text)
  if (src.toLowerCase().endsWith('.xml')) return parseXml(text)
  return undefined
}
