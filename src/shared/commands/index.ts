export * from './list'
export * from './shortcut'
