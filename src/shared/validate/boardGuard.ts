/**
 * Checks a Yjs update against the board schema before it touches a board: the update is decoded (never
 * applied), every struct is placed where Yjs would integrate it (its root, map key or list) and its content
 * checked against the slot there (./boardSchema.ts); list caps (points of a stroke) and the board's size are
 * tracked across updates. A peer's update is applied only after check() says ok. Over 400 lines: placing a
 * struct and checking it are one walk over the update, which is this file's one job.
 */
import * as Y from 'yjs'
import { errorMessage } from '../errors'
import { indexFrom } from '../sync/deleteRanges'
import { BOARD_ROOTS } from './boardSchema'
import type { Container, Context, ListCap, Slot } from './slots'

/** Caps on one update and on the board, in bytes and structs. */
export interface GuardLimits {
  /** Structs (items, GCs, skips) one update may carry. */
  maxStructs: number
  /** Ranges one update's delete set may carry. */
  maxDeleteRanges: number
  /** Encoded size of the whole board (what its file holds). */
  maxBoardBytes: number
  /**
   * Yjs structs the whole board may hold: each costs the host ~200 bytes of memory whatever its size, so a
   * board of tiny items would not fit in memory long before it reached maxBoardBytes.
   */
  maxItems: number
}

// A reconnecting client's SyncStep2 may carry a long offline session; undoing "erase everything" on a
// 10,000-stroke board re-creates ~120,000 structs.
/** Default caps: far above what people make, low enough that one update cannot stall the host for long. */
export const DEFAULT_GUARD_LIMITS: GuardLimits = {
  maxStructs: 250_000,
  maxDeleteRanges: 250_000,
  maxBoardBytes: 128 * 1024 * 1024,
  // ~400-600 MB of host memory; a 100,000-stroke board of finished strokes holds about 600,000 (ink records).
  maxItems: 2_500_000,
}

/** What check() decided. `missing`: the update builds on edits this board does not have (yet). */
export type Verdict =
  | { ok: true /** Records what the update added; call it after applying the update. */; commit(): void }
  | { ok: false; problem: 'invalid' | 'too-large' | 'missing' | 'foreign'; reason: string }

type Struct = Y.Item | Y.GC | Y.Skip
// biome-ignore lint/suspicious/noExplicitAny: Yjs types its shared types with any events
type AnyType = Y.AbstractType<any>

class Refusal extends Error {
  constructor(
    readonly problem: 'invalid' | 'too-large' | 'foreign',
    message: string,
  ) {
    super(message)
  }
}

const MISSING = Symbol('missing')
const DEAD = Symbol('dead')
type Missing = typeof MISSING
type Dead = typeof DEAD

/** A container (root or nested type) as placed in the board. */
interface Placed {
  /** 'root:NAME' or 'CLIENT:CLOCK' of the item that holds the type. */
  id: string
  shape: Container
  at: Context
  /** The live type, when the board already has it. */
  docType?: AnyType
  /** The id of the item that holds the type (none for a root). */
  holder?: Y.ID
}

/** Where an item is integrated: a container and the map key (null in a list). */
interface Place {
  container: Placed
  key: string | null
}

// Yjs client ids are uint32; clocks count one client's operations, far below this.
const MAX_CLIENT = 0xffff_ffff
const MAX_CLOCK = 2 ** 40
// Nesting deeper than the schema's deepest place (elements > element > points) is refused on the way up.
const MAX_DEPTH = 8
const ANY_CLIENT = (): boolean => true
// After an exact measure of the board, skip measuring again until this much more was accepted.
const MEASURE_SLACK = 1024 * 1024

/**
 * Guards one board document: check() each update a peer sends before applying it, then call the verdict's
 * commit(). Keeps the counts the caps need (points per stroke, entries of `order`, the board's size).
 */
export class BoardGuard {
  /** Units (points, entries, characters) each list holds, by Placed.id; counted from the doc when first seen. */
  readonly units = new Map<string, number>()
  private boardBytes: number | undefined
  private acceptedSinceMeasure = 0
  /** Structs the board holds (an upper bound: merged and collected ones are not subtracted). */
  items = 0

  constructor(
    readonly doc: Y.Doc,
    readonly limits: GuardLimits = DEFAULT_GUARD_LIMITS,
    readonly roots: Record<string, Container> = BOARD_ROOTS,
    /**
     * The board's encoded size when known without encoding it (the file it was opened from): the first edit
     * that adds then does not wait for a whole-board encode. An estimate: a refusal measures exactly first.
     */
    knownBytes?: number,
  ) {
    this.items = countItems(doc)
    if (knownBytes !== undefined) {
      this.boardBytes = knownBytes
      this.acceptedSinceMeasure = MEASURE_SLACK
    }
  }

  /**
   * Checks an update (Yjs v1 encoding) without applying it. Never throws. `mayWrite(client)`: whether the
   * sender may add edits under that Yjs client id beyond what the board has (refused as 'foreign'
   * otherwise), since whoever wrote an edit in another's name first would make the board skip that person's
   * real edit of the same clock as a duplicate.
   */
  check(update: Uint8Array, mayWrite: (client: number) => boolean = ANY_CLIENT): Verdict {
    try {
      return new UpdateCheck(this, update, mayWrite).run()
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, problem: error.problem, reason: error.message }
      return {
        ok: false,
        problem: 'invalid',
        reason: `the update cannot be read (${errorMessage(error)})`,
      }
    }
  }

  /** Whether `more` structs fit in the board; counts the board's structs exactly before saying no. */
  itemsFit(more: number): boolean {
    if (this.items + more <= this.limits.maxItems) return true
    this.items = countItems(this.doc)
    return this.items + more <= this.limits.maxItems
  }

  /** The board's encoded size as last measured plus everything accepted since (an upper bound). */
  estimatedBytes(): number {
    this.boardBytes ??= this.measure()
    return this.boardBytes
  }

  /** Whether `growth` more bytes fit; measures the board exactly before saying no. */
  fits(growth: number): boolean {
    if (this.estimatedBytes() + growth <= this.limits.maxBoardBytes) return true
    if (this.acceptedSinceMeasure < MEASURE_SLACK) return false
    this.boardBytes = this.measure()
    return this.boardBytes + growth <= this.limits.maxBoardBytes
  }

  /** Records bytes accepted into the board. */
  grow(bytes: number): void {
    this.boardBytes = this.estimatedBytes() + bytes
    this.acceptedSinceMeasure += bytes
  }

  private measure(): number {
    this.acceptedSinceMeasure = 0
    return Y.encodeStateAsUpdate(this.doc).byteLength
  }
}

/** The work of checking one update. */
class UpdateCheck {
  private readonly doc: Y.Doc
  private structs: Struct[] = []
  private readonly byClient = new Map<number, Struct[]>()
  private readonly indexOf = new Map<Struct, number>()
  /** Clock each client reaches once this update is applied. */
  private readonly known = new Map<number, number>()
  /** Element kinds this update sets, by the id of the element's item. */
  private readonly kinds = new Map<string, unknown>()
  private readonly places = new Map<number, Place | Dead | Missing>()
  private readonly placed = new Map<string, Placed | Dead | Missing>()
  private readonly docPlaced = new Map<AnyType, Placed | Dead>()
  /** Containers whose kind key this update sets (again). */
  private readonly kindsSet = new Set<string>()
  /** Units each capped list gains, by Placed.id. */
  private readonly gains = new Map<string, { placed: Placed; cap: ListCap; units: number }>()

  constructor(
    private readonly guard: BoardGuard,
    private readonly update: Uint8Array,
    private readonly mayWrite: (client: number) => boolean,
  ) {
    this.doc = guard.doc
  }

  run(): Verdict {
    const { structs, ds } = Y.decodeUpdate(this.update)
    const limits = this.guard.limits
    if (structs.length > limits.maxStructs)
      throw new Refusal(
        'too-large',
        `an update carries ${structs.length} structs; at most ${limits.maxStructs}`,
      )
    if (!this.guard.itemsFit(structs.length))
      throw new Refusal(
        'too-large',
        `the board is full: it holds ${this.guard.items} items and a board holds at most ${limits.maxItems}`,
      )
    let ranges = 0
    for (const list of ds.clients.values()) ranges += list.length
    if (ranges > limits.maxDeleteRanges)
      throw new Refusal('too-large', `an update deletes ${ranges} ranges; at most ${limits.maxDeleteRanges}`)
    this.structs = structs
    if (!this.indexStructs()) return missing('it builds on edits this board does not have')

    let adds = false
    for (let i = 0; i < structs.length; i++) {
      const s = structs[i] as Struct
      if (!(s instanceof Y.Item)) continue
      if (s.id.clock + s.length <= this.docState(s.id.client)) {
        // Wholly known already: Yjs does not integrate it, but it still creates the root it names and parks
        // the whole update as pending when one of its references is missing.
        if (!this.knownItemFits(s)) return missing('it builds on edits this board does not have')
        continue
      }
      const place = this.placeOf(i)
      if (place === MISSING) return missing('it builds on edits this board does not have')
      if (place === DEAD) continue
      this.checkContent(s, place)
      if (!(s.content instanceof Y.ContentDeleted)) adds = true
    }

    for (const [client, list] of ds.clients) {
      const known = this.known.get(client) ?? this.docState(client)
      let end = 0
      for (const range of list) {
        if (!(range.len > 0) || range.clock + range.len > MAX_CLOCK)
          throw invalid('a delete range is out of bounds')
        // Yjs writes a client's ranges in clock order, apart. Each range is walked over the board: one range over
        // the whole board, written again and again, would walk it once per copy.
        if (range.clock < end) throw invalid('delete ranges overlap or are out of order')
        end = range.clock + range.len
        if (range.clock + range.len > known) return missing('it builds on edits this board does not have')
      }
    }
    this.checkDeletes(ds)

    const counts = new Map<string, number>()
    for (const gain of this.gains.values()) {
      let has = this.unitsOf(gain.placed, gain.cap)
      if (has + gain.units > gain.cap.limit && this.guard.units.has(gain.placed.id)) {
        // The cached count never shrinks on deletes: count again before refusing.
        this.guard.units.delete(gain.placed.id)
        has = this.unitsOf(gain.placed, gain.cap)
      }
      counts.set(gain.placed.id, has + gain.units)
      if (has + gain.units > gain.cap.limit)
        throw new Refusal(
          'too-large',
          `${gain.placed.shape.name} would hold ${has + gain.units} ${gain.cap.what}; at most ${gain.cap.limit}`,
        )
    }

    const growth = adds ? this.update.byteLength : 0
    if (growth > 0 && !this.guard.fits(growth)) {
      const mb = (n: number) => Math.ceil(n / (1024 * 1024))
      throw new Refusal(
        'too-large',
        `the board is full: it holds about ${mb(this.guard.estimatedBytes())} MB and a board holds at most ${mb(this.guard.limits.maxBoardBytes)} MB`,
      )
    }
    return {
      ok: true,
      commit: () => {
        this.guard.items += structs.length
        // Counted before the update was applied: counting now would count its units twice.
        for (const [id, units] of counts) this.guard.units.set(id, units)
        if (growth > 0) this.guard.grow(growth)
      },
    }
  }

  /** Groups structs by client and finds where each client's run ends; false when a run has a gap. */
  private indexStructs(): boolean {
    let previous: number | undefined
    for (let i = 0; i < this.structs.length; i++) {
      const s = this.structs[i] as Struct
      const { client, clock } = s.id
      if (!Number.isInteger(client) || client < 0 || client > MAX_CLIENT)
        throw invalid('a client id is out of range')
      if (!(s.length > 0) || clock + s.length > MAX_CLOCK) throw invalid('a clock is out of range')
      if (clock + s.length > this.docState(client) && !this.mayWrite(client))
        throw new Refusal('foreign', "an edit in another participant's name")
      let list = this.byClient.get(client)
      if (!list) {
        list = []
        this.byClient.set(client, list)
      } else if (previous !== client) {
        // Yjs would keep only the last run of a client that appears twice; the rest would go unchecked.
        throw invalid('a client appears twice in one update')
      }
      previous = client
      list.push(s)
      this.indexOf.set(s, i)
      if (s instanceof Y.Item) {
        const kind = kindSet(s)
        if (kind) {
          const before = this.kinds.get(kind.element)
          if (before !== undefined && before !== kind.value) throw invalid("an element's kind set twice")
          this.kinds.set(kind.element, kind.value)
        }
      }
    }
    for (const [client, list] of this.byClient) {
      let known = this.docState(client)
      for (const s of list) {
        if (s instanceof Y.Skip) continue
        if (s.id.clock > known) return false
        known = Math.max(known, s.id.clock + s.length)
      }
      this.known.set(client, known)
    }
    return true
  }

  private docState(client: number): number {
    return Y.getState(this.doc.store, client)
  }

  /** The struct holding an id: the board's own, else this update's; MISSING when neither has it. */
  private lookup(id: Y.ID, from: Y.Item): Y.Item | Y.GC | Missing {
    // Yjs integrates one client's structs in clock order: a reference forward in the same client breaks it.
    if (id.client === from.id.client && id.clock >= from.id.clock)
      throw invalid('an item refers to a later item of its own')
    if (id.clock < this.docState(id.client)) {
      const list = this.doc.store.clients.get(id.client) as (Y.Item | Y.GC)[]
      return list[Y.findIndexSS(list, id.clock)] as Y.Item | Y.GC
    }
    const list = this.byClient.get(id.client)
    if (!list) return MISSING
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid] as Struct
      if (id.clock < s.id.clock) hi = mid - 1
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1
      else return s instanceof Y.Skip ? MISSING : s
    }
    return MISSING
  }

  private isUpdateItem(item: Y.Item): boolean {
    return this.indexOf.has(item)
  }

  /**
   * Where the update's i-th struct (an Item) is integrated. Items without a parent of their own take their
   * neighbour's; such chains can be as long as a list, so they are followed in a loop, not by recursion.
   */
  private placeOf(i: number, depth = 0): Place | Dead | Missing {
    if (depth > MAX_DEPTH) throw invalid('types nest deeper than a board has')
    const known = this.places.get(i)
    if (known !== undefined) return known
    // The common case (a key set on an element, an entry of a list): the parent is named, no chain to follow.
    const direct = this.structs[i] as Y.Item
    if (direct.parent instanceof Y.ID) {
      const result = this.placeUnder(direct.parent, direct, depth)
      this.places.set(i, result)
      return result
    }
    const chain: number[] = []
    const seen = new Set<number>()
    let at = i
    let result: Place | Dead | Missing
    for (;;) {
      const memo = this.places.get(at)
      if (memo !== undefined) {
        result = memo
        break
      }
      if (seen.has(at)) throw invalid('items refer to each other in a circle')
      seen.add(at)
      chain.push(at)
      const item = this.structs[at] as Y.Item
      const parent = item.parent as unknown
      if (typeof parent === 'string') {
        result = { container: this.root(parent), key: item.parentSub }
        break
      }
      if (parent instanceof Y.ID) {
        result = this.placeUnder(parent, item, depth)
        break
      }
      // No parent written: Yjs copies it from the left neighbour, else the right; a GC'd neighbour drops it.
      const left = item.origin ? this.lookup(item.origin, item) : null
      const right = item.rightOrigin ? this.lookup(item.rightOrigin, item) : null
      if (left === MISSING || right === MISSING) {
        result = MISSING
        break
      }
      if (left instanceof Y.GC || right instanceof Y.GC) {
        result = DEAD
        break
      }
      const neighbour = left ?? right
      if (!neighbour) {
        result = DEAD
        break
      }
      if (!this.isUpdateItem(neighbour)) {
        result = this.placeOfDocItem(neighbour, depth)
        break
      }
      at = this.indexOf.get(neighbour) as number
    }
    for (const j of chain) this.places.set(j, result)
    return result
  }

  /** Where an item whose parent is the type held by the item `parent` is integrated. */
  private placeUnder(parent: Y.ID, item: Y.Item, depth: number): Place | Dead | Missing {
    const holder = this.lookup(parent, item)
    if (holder === MISSING) return MISSING
    if (holder instanceof Y.GC) return DEAD
    const container = this.placedOfTypeItem(holder, depth + 1)
    return container === MISSING || container === DEAD ? container : { container, key: item.parentSub }
  }

  private placeOfDocItem(item: Y.Item, depth: number): Place | Dead {
    const container = this.placedOfDocType(item.parent as AnyType, depth + 1)
    return container === DEAD ? DEAD : { container, key: item.parentSub }
  }

  private root(name: string): Placed {
    const id = `root:${name}`
    const known = this.placed.get(id)
    if (known && typeof known === 'object') return known
    const shape = Object.hasOwn(this.guard.roots, name) ? this.guard.roots[name] : undefined
    if (!shape) throw invalid(`a board has no "${name.slice(0, 40)}"`)
    const placed: Placed = { id, shape, at: {}, docType: this.doc.share.get(name) }
    this.placed.set(id, placed)
    return placed
  }

  /** The container a live type of the board is. */
  private placedOfDocType(type: AnyType, depth: number): Placed | Dead {
    if (depth > MAX_DEPTH) throw invalid('types nest deeper than a board has')
    const memo = this.docPlaced.get(type)
    if (memo) return memo
    let result: Placed | Dead
    const holder = type._item
    if (holder === null) result = this.root(Y.findRootTypeKey(type))
    else if (holder.deleted) result = DEAD
    else {
      const place = this.placeOfDocItem(holder, depth)
      result = place === DEAD ? DEAD : this.enter(place, holder, type)
    }
    this.docPlaced.set(type, result)
    return result
  }

  /** The container an item holding a type is (the item is the board's own or this update's). */
  private placedOfTypeItem(item: Y.Item, depth: number): Placed | Dead | Missing {
    if (item.content instanceof Y.ContentDeleted) return DEAD
    if (!(item.content instanceof Y.ContentType))
      throw invalid('an item sits inside something that is no container')
    if (!this.isUpdateItem(item)) return this.placedOfDocType(item.content.type as AnyType, depth)
    const id = idKey(item.id)
    const memo = this.placed.get(id)
    if (memo !== undefined) return memo
    const place = this.placeOf(this.indexOf.get(item) as number, depth)
    const result = place === DEAD || place === MISSING ? place : this.enter(place, item, undefined)
    this.placed.set(id, result)
    return result
  }

  /** The container a type item makes at its place, after checking that the place holds that kind of type. */
  private enter(place: Place, item: Y.Item, docType: AnyType | undefined): Placed {
    const slot = this.slotAt(place)
    const shape = slot.type
    const type = (item.content as Y.ContentType).type
    if (!shape) throw invalid(`${describe(place)} holds no nested type`)
    const matches =
      (shape.yjs === 'map' && type instanceof Y.Map) ||
      (shape.yjs === 'array' && type instanceof Y.Array) ||
      (shape.yjs === 'text' && type instanceof Y.Text)
    if (!matches) throw invalid(`${describe(place)} must be a Y.${shape.yjs}`)
    const id = idKey(item.id)
    let at =
      shape.yjs === 'map' && shape.enter ? shape.enter(place.key, place.container.at) : place.container.at
    if (shape.yjs === 'map' && shape.kindKey) {
      const fromUpdate = this.kinds.get(id)
      const fromDoc = docType ? mapValue(docType, shape.kindKey) : undefined
      if (fromUpdate !== undefined && fromDoc !== undefined && fromUpdate !== fromDoc)
        throw invalid(`an element's ${shape.kindKey} cannot change`)
      const kind = fromUpdate ?? fromDoc
      at = { ...at, kind: typeof kind === 'string' ? kind : undefined }
    }
    if (shape.yjs === 'map' && shape.kindKey && !docType && this.kinds.get(id) === undefined)
      throw invalid(`an element without a ${shape.kindKey}`)
    return { id, shape, at, docType, holder: item.id }
  }

  /** The slot of a place: the map key's slot, or the entries' slot of a list. */
  private slotAt(place: Place): Slot {
    const shape = place.container.shape
    if (shape.yjs === 'map') {
      if (place.key === null) throw invalid(`${shape.name} is a map, not a list`)
      const slot = shape.child(place.key, place.container.at)
      if (typeof slot === 'string') throw invalid(slot)
      return slot
    }
    if (place.key !== null) throw invalid(`${shape.name} is a list and has no keys`)
    return shape.yjs === 'array' ? shape.item : { chars: true }
  }

  private checkContent(item: Y.Item, place: Place): void {
    const slot = this.slotAt(place)
    const content = item.content
    // Only a refusal says where: building the words for each of 20,000 accepted items would cost more than the check.
    const where = (): string => describe(place)
    const shape = place.container.shape
    if (content instanceof Y.ContentDeleted) return
    if (content instanceof Y.ContentAny) {
      if (!slot.value) throw invalid(`${where()} holds no plain values`)
      // A map key holds the last of its values; Yjs merges one client's overwritten values of a key into one item
      // (a flat stroke edited twice, x moved three times), which a full state (a SyncStep2) carries. Each is checked.
      if (shape.yjs === 'map' && content.arr.length === 0) throw invalid(`${where()} holds no value`)
      if (shape.yjs === 'map' && place.key === shape.kindKey && content.arr.some((v) => v !== content.arr[0]))
        throw invalid(`an element's ${shape.kindKey} cannot change`)
      for (const v of content.arr) {
        const problem = slot.value(v)
        if (problem) throw invalid(`${where()}: ${problem}`)
      }
      // A key that decides the other keys (an element's kind) is set once: changing it would unmoor them.
      const kind = place.container.at.kind
      if (shape.yjs === 'map' && place.key === shape.kindKey) {
        if (kind !== undefined && content.arr[0] !== kind)
          throw invalid(`an element's ${shape.kindKey} cannot change`)
        this.kindsSet.add(place.container.id)
      }
      this.gain(place, { values: content.arr })
    } else if (content instanceof Y.ContentBinary) {
      if (!slot.bytes) throw invalid(`${where()} holds no bytes`)
      const size = content.content.byteLength
      if (slot.maxBytes !== undefined && size > slot.maxBytes)
        throw new Refusal('too-large', `${where()}: ${size} bytes; at most ${slot.maxBytes}`)
      const problem = slot.bytes(content.content, place.container.at)
      if (problem) throw invalid(`${where()}: ${problem}`)
      this.gain(place, { bytes: content.content })
    } else if (content instanceof Y.ContentType) {
      // Checks the type against the slot; its entries are checked as items of their own.
      this.placedOfTypeItem(item, 0)
      this.gain(place, { values: [null] })
    } else if (content instanceof Y.ContentString) {
      if (!slot.chars) throw invalid(`${where()} holds no text`)
      this.gain(place, { chars: content.str })
    } else throw invalid(`${where()} cannot hold ${contentName(content)}`)
  }

  private gain(place: Place, entry: Parameters<ListCap['units']>[0]): void {
    const shape = place.container.shape
    if (shape.yjs === 'map' || !shape.cap) return
    const id = place.container.id
    const gain = this.gains.get(id) ?? { placed: place.container, cap: shape.cap, units: 0 }
    gain.units += shape.cap.units(entry)
    this.gains.set(id, gain)
  }

  /** A struct the board has already: the root it names exists in the schema and its references resolve. */
  private knownItemFits(item: Y.Item): boolean {
    const parent = item.parent as unknown
    if (typeof parent === 'string') this.root(parent)
    const refs = [item.origin, item.rightOrigin, parent instanceof Y.ID ? parent : null]
    return refs.every((ref) => !ref || this.lookup(ref, item) !== MISSING)
  }

  /**
   * Deletions: any edit may be erased, but an element's kind only with the element itself (or when the same
   * update sets it again); otherwise its keys would be left without the kind they were checked against.
   */
  private checkDeletes(ds: ReturnType<typeof Y.decodeUpdate>['ds']): void {
    // Each client's ranges are in clock order and apart (run() refuses others).
    const deleted = (id: Y.ID): boolean => {
      const ranges = ds.clients.get(id.client) ?? []
      let lo = 0
      let hi = ranges.length - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        const r = ranges[mid] as { clock: number; len: number }
        if (id.clock < r.clock) hi = mid - 1
        else if (id.clock >= r.clock + r.len) lo = mid + 1
        else return true
      }
      return false
    }
    const check = (item: Y.Item): void => {
      // Entries of a list never hold a kind: only map keys need placing.
      if (item.parentSub === null) return
      let container: Placed | Dead
      let key: string | null
      if (this.isUpdateItem(item)) {
        const place = this.placeOf(this.indexOf.get(item) as number)
        if (place === DEAD || place === MISSING) return
        container = place.container
        key = place.key
      } else {
        // The board's own item: placed by its container alone, no place built (a delete of 10,000 elements meets
        // 10,000 of them, each a key of `elements`).
        if (item.deleted) return
        container = this.placedOfDocType(item.parent as AnyType, 1)
        key = item.parentSub
      }
      if (container === DEAD) return
      const { shape, id, holder, docType } = container
      if (shape.yjs !== 'map' || key !== shape.kindKey || this.kindsSet.has(id)) return
      const gone = docType?._item?.deleted || (holder !== undefined && deleted(holder))
      if (!gone) throw invalid(`an element's ${shape.kindKey} cannot be removed from it`)
    }
    for (const [client, ranges] of ds.clients) {
      const state = this.docState(client)
      const board = (this.doc.store.clients.get(client) ?? []) as (Y.Item | Y.GC)[]
      // Where the last range began in the board's structs: sorted ranges (a delete of 10,000 elements is 20,000 of
      // them) walk the list forward once instead of searching all of it for each range.
      let at = 0
      for (const range of ranges) {
        const from = range.clock
        const to = range.clock + range.len
        if (from < state) {
          at = indexFrom(board, from, at)
          for (let i = at; i < board.length; i++) {
            const s = board[i] as Y.Item | Y.GC
            if (s.id.clock >= to) break
            if (s instanceof Y.Item) check(s)
          }
        }
        this.updateItemsIn(client, from, to, state, check)
      }
    }
  }

  /** Calls `f` with this update's items of a client in a clock range, beyond the board's `state` of that client. */
  private updateItemsIn(
    client: number,
    from: number,
    to: number,
    state: number,
    f: (item: Y.Item) => void,
  ): void {
    const list = this.byClient.get(client)
    if (!list) return
    const start = Math.max(from, state)
    // The first struct ending after `start` (a run's clocks ascend), then on while they begin before `to`.
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid] as Struct
      if (s.id.clock + s.length <= start) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < list.length; i++) {
      const s = list[i] as Struct
      if (s.id.clock >= to) break
      if (s instanceof Y.Item) f(s)
    }
  }

  /** Units a list holds now: cached, or counted from the board. */
  private unitsOf(placed: Placed, cap: ListCap): number {
    const cached = this.guard.units.get(placed.id)
    if (cached !== undefined) return cached
    let units = 0
    for (let n = placed.docType?._start ?? null; n !== null; n = n.right) {
      if (n.deleted) continue
      const c = n.content
      if (c instanceof Y.ContentAny) units += cap.units({ values: c.arr })
      else if (c instanceof Y.ContentBinary) units += cap.units({ bytes: c.content })
      else if (c instanceof Y.ContentString) units += cap.units({ chars: c.str })
      else if (c instanceof Y.ContentType) units += cap.units({ values: [null] })
    }
    this.guard.units.set(placed.id, units)
    return units
  }
}

function idKey(id: Y.ID): string {
  return `${id.client}:${id.clock}`
}

/** An item that sets the `kind` key of a map directly (the first, and only, time it is set). */
function kindSet(item: Y.Item): { element: string; value: unknown } | undefined {
  if (item.parentSub !== 'kind' || !(item.parent instanceof Y.ID) || !(item.content instanceof Y.ContentAny))
    return undefined
  return { element: idKey(item.parent), value: item.content.arr[0] }
}

/** A key's current plain value in a live map type. */
function mapValue(type: AnyType, key: string): unknown {
  const item = type._map.get(key)
  if (!item || item.deleted || !(item.content instanceof Y.ContentAny)) return undefined
  return item.content.arr.at(-1)
}

function describe(place: Place): string {
  const { shape, at } = place.container
  const name = shape.yjs === 'map' && shape.kindKey && at.kind ? `a ${at.kind}` : shape.name
  return place.key === null ? `an entry of ${name}` : `"${place.key.slice(0, 40)}" of ${name}`
}

function contentName(content: Y.Item['content']): string {
  if (content instanceof Y.ContentFormat) return 'text formatting'
  if (content instanceof Y.ContentEmbed) return 'an embed'
  if (content instanceof Y.ContentDoc) return 'a subdocument'
  if (content instanceof Y.ContentJSON) return 'legacy JSON'
  return 'this content'
}

function invalid(message: string): Refusal {
  return new Refusal('invalid', message)
}

function missing(reason: string): Verdict {
  return { ok: false, problem: 'missing', reason }
}

/** The structs a document holds (what its memory grows with). */
function countItems(doc: Y.Doc): number {
  let n = 0
  for (const structs of doc.store.clients.values()) n += structs.length
  return n
}
