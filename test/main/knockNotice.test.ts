import { describe, expect, it } from 'vitest'
import { KnockNotices, knockText, parseKnocks } from '../../src/main/knockNotice'

describe('a notification when someone knocks (src/main/knockNotice.ts)', () => {
  const ada = { id: 'k1', name: 'Ada' }
  const bo = { id: 'k2', name: 'Bo' }

  it('tells a knock only while the window is not in front, and each knocker once', () => {
    const notices = new KnockNotices()
    expect(notices.notice(1, [ada], false, 'Plan')).toEqual({
      title: 'Ada wants to join',
      body: 'Ada is knocking on “Plan”. Open Lanvas to let them in.',
    })
    expect(notices.notice(1, [ada], false, 'Plan')).toBeUndefined()
    expect(notices.notice(1, [ada, bo], false, 'Plan')).toEqual({
      title: 'Bo wants to join',
      body: 'Bo is knocking on “Plan”. Open Lanvas to let them in.',
    })
  })

  it('says nothing while the window is in front (the knock cards show it), nor later for that knock', () => {
    const notices = new KnockNotices()
    expect(notices.notice(1, [ada], true, 'Plan')).toBeUndefined()
    expect(notices.notice(1, [ada], false, 'Plan')).toBeUndefined()
  })

  it('tells a knocker again who knocks again after an answer, and keeps windows apart', () => {
    const notices = new KnockNotices()
    notices.notice(1, [ada], false, 'Plan')
    notices.notice(1, [], false, 'Plan')
    expect(notices.notice(1, [ada], false, 'Plan')?.title).toBe('Ada wants to join')
    expect(notices.notice(2, [ada], false, 'Other')?.body).toContain('“Other”')
    notices.forget(1)
    expect(notices.notice(1, [ada], false, 'Plan')?.title).toBe('Ada wants to join')
  })

  it('names two knockers, then counts the rest', () => {
    expect(knockText(['Ada', 'Bo'], 'Plan')).toEqual({
      title: '2 people want to join',
      body: 'Ada and Bo are knocking on “Plan”. Open Lanvas to let them in.',
    })
    expect(knockText(['Ada', 'Bo', 'Cy', 'Di'], '')).toEqual({
      title: '4 people want to join',
      body: 'Ada, Bo and 2 more are knocking on “your board”. Open Lanvas to let them in.',
    })
  })

  it("checks the page's report: a list of knocks, names on one short line", () => {
    expect(parseKnocks([{ id: 'k', name: ' Ada\nLovelace ' }])).toEqual([{ id: 'k', name: 'Ada Lovelace' }])
    expect(parseKnocks([{ id: 'k', name: 'x'.repeat(500) }])?.[0]?.name).toHaveLength(64)
    expect(parseKnocks([{ id: 'k', name: '\u0007' }])).toEqual([{ id: 'k', name: 'Someone' }])
    expect(parseKnocks('Ada')).toBeUndefined()
    expect(parseKnocks([{ id: 1, name: 'Ada' }])).toBeUndefined()
    expect(parseKnocks(Array.from({ length: 65 }, (_, i) => ({ id: `${i}`, name: 'A' })))).toBeUndefined()
  })
})
