import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { toAppError } from '../../shared/errors'
import { App } from './App'
import { AuthGate } from './screens/auth/AuthGate'
import { installApi } from './api/outpost'
import { initI18n } from './i18n'
import './styles.css'

async function boot(): Promise<void> {
  await initI18n()
  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root element')
  try {
    installApi()
  } catch (error) {
    // Without the API nothing works; say why in plain words instead of showing a blank window.
    root.textContent = toAppError(error).message
    return
  }
  createRoot(root).render(
    <StrictMode>
      <AuthGate>
        <App />
      </AuthGate>
    </StrictMode>,
  )
}

void boot()
