import { lazy, Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitcher } from './components/LanguageSwitcher'
import { Toasts } from './components/Toasts'
import { FillScreen } from './screens/FillScreen'
import { HomeScreen } from './screens/HomeScreen'
import { RecordsScreen } from './screens/RecordsScreen'
import { UserMenu } from './screens/auth/UserMenu'
import { UsersScreen } from './screens/auth/UsersScreen'
import { PackagesScreen } from './screens/packages/PackagesScreen'
import { ConflictsScreen } from './screens/sync/ConflictsScreen'
import { SyncScreen } from './screens/sync/SyncScreen'
import { SyncStatusLine } from './screens/sync/SyncStatusLine'
import { useNavStore } from './stores/use-nav-store'
import { getApi } from './api/outpost'
import { useAppStore } from './stores/use-app-store'

// The chart library is most of the bundle's weight; only the dashboard needs it.
const DashboardScreen = lazy(() => import('./screens/DashboardScreen').then((m) => ({ default: m.DashboardScreen })))

export function App() {
  const { t } = useTranslation()
  const info = useAppStore((state) => state.info)
  const start = useAppStore((state) => state.start)
  const applySettings = useAppStore((state) => state.applySettings)
  const view = useNavStore((state) => state.view)

  useEffect(() => {
    void start()
    // Another window or the CLI may change settings; follow the core's event.
    return getApi().on('settings.changed', (settings) => void applySettings(settings))
  }, [start, applySettings])

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <SyncStatusLine />
        <LanguageSwitcher />
        <UserMenu />
      </header>
      <main className="app-main">
        {view.name === 'home' && <HomeScreen />}
        {view.name === 'records' && <RecordsScreen formId={view.formId} />}
        {view.name === 'dashboard' && (
          <Suspense fallback={null}>
            <DashboardScreen />
          </Suspense>
        )}
        {view.name === 'users' && <UsersScreen />}
        {view.name === 'sync' && <SyncScreen />}
        {view.name === 'conflicts' && <ConflictsScreen recordId={view.recordId} />}
        {view.name === 'packages' && <PackagesScreen />}
        {view.name === 'fill' && <FillScreen key={`${view.formId}:${view.recordId ?? 'new'}`} formId={view.formId} recordId={view.recordId} />}
      </main>
      <footer className="app-footer" data-testid="app-footer">
        {info && t('app.footer', { version: info.version, device: info.deviceId.slice(-8), schema: info.schemaVersion })}
      </footer>
      <Toasts />
    </div>
  )
}
