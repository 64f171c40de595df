import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { can } from '../../../../shared/api'
import { useAuthStore } from '../../stores/use-auth-store'
import { useNavStore, type View } from '../../stores/use-nav-store'
import { ChangePasswordDialog } from './ChangePasswordDialog'

type Item = { key: string; label: string; run: () => void }

/** Who is signed in, Lock, Change password, and the supervisor's screens (a menu: arrows, Escape). */
export function UserMenu() {
  const { t } = useTranslation()
  const user = useAuthStore((s) => s.status?.user ?? null)
  const lock = useAuthStore((s) => s.lock)
  const go = useNavStore((s) => s.go)
  const [open, setOpen] = useState(false)
  const [changing, setChanging] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLUListElement>(null)

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    window.addEventListener('pointerdown', onPointer)
    return () => window.removeEventListener('pointerdown', onPointer)
  }, [open])
  if (!user) return null

  const visit = (view: View) => () => go(view)
  const items: Item[] = [
    ...(can(user.role, 'users.manage')
      ? [{ key: 'users', label: t('users.title'), run: visit({ name: 'users' }) }]
      : []),
    ...(can(user.role, 'sync.manage')
      ? [{ key: 'sync', label: t('auth.menuSync'), run: visit({ name: 'sync' }) }]
      : []),
    ...(can(user.role, 'sync.manage')
      ? [{ key: 'packages', label: t('auth.menuPackages'), run: visit({ name: 'packages' }) }]
      : []),
    { key: 'password', label: t('auth.changePassword'), run: () => setChanging(true) },
    { key: 'lock', label: t('auth.lockNow'), run: () => void lock() },
  ]
  const close = () => {
    setOpen(false)
    button.current?.focus()
  }
  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const at = entries.indexOf(document.activeElement as HTMLElement)
    const moveTo = (index: number) => entries[(index + entries.length) % entries.length]?.focus()
    if (event.key === 'ArrowDown') moveTo(at + 1)
    else if (event.key === 'ArrowUp') moveTo(at - 1)
    else if (event.key === 'Home') moveTo(0)
    else if (event.key === 'End') moveTo(entries.length - 1)
    else if (event.key === 'Escape' || event.key === 'Tab') close()
    else return
    if (event.key !== 'Tab') event.preventDefault()
  }

  return (
    <div className="user-menu">
      <button
        type="button"
        className="user-lock"
        onClick={() => void lock()}
        title={t('auth.lockShortcut')}
        aria-keyshortcuts="Control+L"
      >
        {t('auth.lock')}
      </button>
      <button
        ref={button}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="user-menu-list"
        onClick={() => setOpen((v) => !v)}
        data-testid="user-menu"
      >
        <span className="user-name">{user.displayName}</span>
        <span className="user-role">{t(`users.role_${user.role}`)}</span>
      </button>
      {open && (
        <ul
          ref={menu}
          id="user-menu-list"
          role="menu"
          className="user-menu-list"
          aria-label={user.displayName}
          onKeyDown={onMenuKey}
        >
          {items.map((item) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  setOpen(false)
                  item.run()
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {changing && <ChangePasswordDialog onClose={() => setChanging(false)} />}
    </div>
  )
}
