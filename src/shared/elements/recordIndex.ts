/**
 * What a root list of records (move records, ./moves.ts; style records, ./styles.ts) gives each element id, per
 * document: rebuilt when the list changes, and read as the list is now inside the transaction that changes it. A
 * board that never held a record pays nothing: its list is only watched once it has entries.
 */
import type * as Y from 'yjs'

/** Folds a list's records, oldest first, into what they give each element id. */
export type RecordFold<T> = (records: readonly Uint8Array[]) => Map<string, T>

class RecordIndex<T> {
  private readonly list: Y.Array<unknown>
  private byId = new Map<string, T>()
  private stale = true
  /** The transaction (and list length) the index was last rebuilt in, while it changes the list. */
  private rebuiltIn: { tr: Y.Transaction; length: number } | null = null

  constructor(
    private readonly doc: Y.Doc,
    root: string,
    private readonly fold: RecordFold<T>,
  ) {
    this.list = doc.getArray(root)
    // Before any observer runs, so that every observer (the scene's among them) reads the new values.
    doc.on('beforeObserverCalls', (tr: Y.Transaction) => {
      if (tr.changed.has(this.list)) this.stale = true
      this.rebuiltIn = null
    })
  }

  get(id: string): T | undefined {
    // Inside the transaction that changes the list (a move and the arrows that follow it), read it as it is now.
    const tr = this.doc._transaction
    if (tr?.changed.has(this.list)) {
      if (this.rebuiltIn?.tr !== tr || this.rebuiltIn.length !== this.list.length) {
        this.rebuild()
        this.rebuiltIn = { tr, length: this.list.length }
      }
    } else if (this.stale) this.rebuild()
    return this.byId.get(id)
  }

  private rebuild(): void {
    this.stale = false
    const records: Uint8Array[] = []
    for (const entry of this.list) if (entry instanceof Uint8Array) records.push(entry)
    this.byId = this.fold(records)
  }
}

/** A reader of what the records of the root list `root` of a document give an element id (undefined: nothing). */
export function recordReader<T>(
  root: string,
  fold: RecordFold<T>,
): (doc: Y.Doc | null | undefined, id: string) => T | undefined {
  const ofDoc = new WeakMap<Y.Doc, RecordIndex<T>>()
  return (doc, id) => {
    if (!doc) return undefined
    let index = ofDoc.get(doc)
    if (!index) {
      if (!doc.share.has(root) || doc.getArray(root).length === 0) return undefined
      index = new RecordIndex(doc, root, fold)
      ofDoc.set(doc, index)
    }
    return index.get(id)
  }
}
