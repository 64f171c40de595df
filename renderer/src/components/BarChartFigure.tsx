import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useTranslation } from 'react-i18next'

export type BarDatum = { key: string; label: string; value: number }

type Props = {
  title: string
  data: BarDatum[]
  labelHeader: string
  valueHeader: string
  testId?: string
}

/**
 * A bar chart with its numbers as a table beside it: the chart is for the eye (hidden from
 * screen readers), the table for everyone. Animation is off: a dashboard is read, not watched.
 */
export function BarChartFigure({ title, data, labelHeader, valueHeader, testId }: Props) {
  const { t, i18n } = useTranslation()
  const rtl = i18n.dir() === 'rtl'
  const id = `chart-${title.replace(/\W+/g, '-')}`
  return (
    <figure className="chart-figure" aria-labelledby={id} data-testid={testId}>
      <figcaption id={id}>{title}</figcaption>
      {data.length === 0 ? (
        <p className="chart-empty">{t('dashboard.noData')}</p>
      ) : (
        <div className="chart-body">
          <div className="chart-canvas" aria-hidden="true">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis
                  dataKey="label"
                  reversed={rtl}
                  tick={{ fontSize: 12 }}
                  interval="preserveStartEnd"
                />
                <YAxis
                  allowDecimals={false}
                  orientation={rtl ? 'right' : 'left'}
                  width={40}
                  tick={{ fontSize: 12 }}
                />
                <Tooltip />
                <Bar dataKey="value" name={valueHeader} fill="#0b5cad" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="chart-table">
            <thead>
              <tr>
                <th scope="col">{labelHeader}</th>
                <th scope="col">{valueHeader}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((d) => (
                <tr key={d.key}>
                  <th scope="row">
                    <bdi>{d.label}</bdi>
                  </th>
                  <td>{d.value.toLocaleString(i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  )
}
