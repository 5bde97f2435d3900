import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { boardSchemaProblem } from '../../../src/shared/validate/boardFileCheck'
import { knownBoard } from '../exportFixtures'

describe('a whole board against the board schema (boards a page hands the app to host)', () => {
  it('passes a board the app made, however many elements it holds', () => {
    expect(boardSchemaProblem(Y.encodeStateAsUpdate(knownBoard().doc))).toBeUndefined()
    const big = new Board(new Y.Doc(), 'a')
    for (let i = 0; i < 300; i++) big.addShape('rect', { x: i, y: i, width: 10, height: 10 })
    expect(boardSchemaProblem(Y.encodeStateAsUpdate(big.doc))).toBeUndefined()
  })

  it('names what breaks the schema', () => {
    const doc = new Y.Doc()
    const element = new Y.Map<unknown>()
    doc.getMap('elements').set('a1', element)
    element.set('kind', 'rect')
    element.set('onclick', 'steal()')
    expect(boardSchemaProblem(Y.encodeStateAsUpdate(doc))).toMatch(/onclick/)
    const other = new Y.Doc()
    other.getMap('secrets').set('x', 1)
    expect(boardSchemaProblem(Y.encodeStateAsUpdate(other))).toBeDefined()
  })
})
