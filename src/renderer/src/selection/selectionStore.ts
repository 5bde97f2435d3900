import { type ReactNode, useSyncExternalStore } from 'react'

const NONE: readonly string[] = Object.freeze([])

/** A right-click on the canvas with the select tool: where, and the locked element under it, if any. */
export interface MenuRequest {
  /** Page coordinates. */
  x: number
  y: number
  lockedId?: string
}

/**
 * The ids this person has selected, outside React (the canvas reads and writes it on every pointer event) with a
 * hook for the panels that show it. Peers see it outlined (presence/PeerSelections.tsx) but never change it.
 */
export class SelectionStore {
  private ids: readonly string[] = NONE
  private openMenu: MenuRequest | null = null
  private readonly listeners = new Set<() => void>()

  get(): readonly string[] {
    return this.ids
  }

  has(id: string): boolean {
    return this.ids.includes(id)
  }

  set(ids: Iterable<string>): void {
    const next = [...new Set(ids)]
    if (next.length === this.ids.length && next.every((id, i) => id === this.ids[i])) return
    this.ids = next.length === 0 ? NONE : Object.freeze(next)
    for (const fn of this.listeners) fn()
  }

  clear(): void {
    this.set([])
  }

  /** The context menu asked for, if it is open. */
  menu(): MenuRequest | null {
    return this.openMenu
  }

  setMenu(menu: MenuRequest | null): void {
    if (menu === this.openMenu) return
    this.openMenu = menu
    for (const fn of this.listeners) fn()
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
}

/** The open context menu, re-rendering when it opens or closes. */
export function useSelectionMenu(store: SelectionStore): MenuRequest | null {
  return useSyncExternalStore(store.subscribe, () => store.menu())
}

/** The current selection, re-rendering when it changes. */
export function useSelection(store: SelectionStore): readonly string[] {
  return useSyncExternalStore(store.subscribe, () => store.get())
}

/** Renders its child with the current selection, so that only it (not its parent) re-renders when that changes. */
export function WithSelection({
  store,
  children,
}: {
  store: SelectionStore
  children: (selected: readonly string[]) => ReactNode
}) {
  return children(useSelection(store))
}
