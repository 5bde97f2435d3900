/**
 * The wire protocol between a board's host and its clients (docs/protocol.md). One WebSocket per board;
 * every frame is binary: a varuint message type, then that message's body.
 */
export const PROTOCOL_VERSION = 3

/** The WebSocket path of a board: /sync/<boardId>?v=<PROTOCOL_VERSION>. */
export const SYNC_PATH = '/sync/'

/** Message types; Sync and Awareness carry y-protocols' own encodings, as y-websocket does. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  /** A session control message: a JSON object (src/shared/session.ts) as a lib0 varstring. */
  Control: 2,
  /**
   * Host -> client: a varuint N, "the first N update frames (Update, SyncStep2) you sent on this socket are
   * on the host's disk" (journal fsynced): they survive a crash of the host. Clients never send it.
   */
  Saved: 3,
  /**
   * Presence delta: where one person's pointer is, in a few bytes (frames.ts cursorFrame), instead of their
   * whole awareness state. Clients send their own (client 0); the host relays it with their client id.
   */
  Cursor: 4,
  /**
   * Host -> client: one part of a SyncStep2 the host streams to a joining client (docs/protocol.md, "Streamed
   * join"): a varuint, the bytes of the whole answer (every part and the SyncStep2 that ends them), then the
   * part, a Yjs update that applies on its own. The SyncStep2 comes last. Clients never send it.
   */
  SyncPart: 5,
  /**
   * Live ink: an Update that appends points to a stroke being drawn, in a few bytes (liveInk.ts): the points as
   * differences from the last Ink frame on the same socket, which it continues. Both ways; the host relays it with
   * its own frames to each peer.
   */
  Ink: 6,
  /**
   * Host -> client: a view preview (docs/protocol.md, "View first"): finished strokes whose bounds meet the view the
   * client named in its hello (`preview`), as their flat records, sent before the first SyncPart so that a page
   * draws what is in view before the board has come. A varuint count, then per stroke its id (varstring) and its
   * record (lib0 `writeAny`). Only to a client that asked; clients never send it.
   */
  Preview: 7,
  /**
   * Host -> client: the board's overview (docs/protocol.md, "Overview"): one PNG of the whole board and the board
   * rectangle it covers (four float64: minX, minY, maxX, maxY; then the PNG as a varuint8array), sent after the
   * preview and before the first SyncPart of a large board (or between the parts, when the host drew it only after
   * the join), only to a client whose hello asked (`overview`). The page draws it under the scene until the board
   * has come. Clients never send it.
   */
  Overview: 8,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Close codes the host sends, one per way a connection can be refused or ended. */
export const CloseReason = {
  /**
   * WebSocket's own "try again later": the host cannot take this now but will soon (a SyncStep2 holding
   * edits of someone connected, who is still sending them). Retried.
   */
  TryAgain: 1013,
  /** The client speaks another protocol version. */
  VersionMismatch: 4000,
  BadToken: 4001,
  Kicked: 4002,
  InvalidMessage: 4003,
  TooLarge: 4004,
  RateLimited: 4005,
  /** No board with that id is open on this host. */
  UnknownBoard: 4006,
  /** The host closes the board (shutdown, or the board was replaced). */
  BoardClosed: 4007,
  /** The session is locked to new joiners. */
  Locked: 4008,
  /** The host refused a knock. */
  Refused: 4009,
  /**
   * The secure channel failed: a frame altered, replayed, reordered or dropped on the way, a broken
   * handshake, or a plain frame where only the secure channel is spoken (the LAN listener).
   */
  SecureChannel: 4010,
  /** The client's own verdict: the host could not prove it holds the key of the link (a rogue host). */
  HostNotVerified: 4011,
  /** The board has as many participants as it takes (HostLimits.maxParticipants); retried later. */
  Full: 4012,
  /** The client read what the host sent too slowly: its backlog passed HostLimits.slowCloseBytes. */
  TooSlow: 4013,
} as const
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason]

/**
 * Largest protocol frame the host accepts (1009 closes a larger one). The largest frames people make: an
 * image (at most 5 MB) as one update, and the SyncStep2 of a client that reconnects after working offline,
 * which carries everything it made meanwhile (two or three images, or ~1,000,000 points of ink). A stroke
 * chunk is a few hundred bytes. `ws` would take 100 MB.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

/**
 * The size of the parts a host cuts a joining client's SyncStep2 into (MessageType.SyncPart): a large board
 * arrives in frames far below MAX_MESSAGE_BYTES, the page draws and shows progress as they come. A part closes
 * after the struct that reaches this size, so it is 16 KiB under 1 MiB: a frame stays within 1 MiB unless one
 * struct is larger than that (an image, within MAX_MESSAGE_BYTES as it was when it came).
 */
export const SYNC_PART_BYTES = 1024 * 1024 - 16 * 1024

/** A sustained rate and the burst allowed above it (a token bucket). */
export interface Allowance {
  perSecond: number
  burst: number
}

/**
 * Bytes of edits and control messages one socket may send the host (HostLimits.bytes): sustained 4 MB/s is a fast
 * LAN image paste every other second; the burst takes two largest messages. Shared so that a client paces a large
 * edit to it (outbox.ts) instead of being closed as a flood (RateLimited).
 */
export const EDIT_BYTES_ALLOWANCE: Allowance = { perSecond: 4 * 1024 * 1024, burst: 2 * MAX_MESSAGE_BYTES }

/**
 * Edits and control messages one socket may send the host (HostLimits.messages): drawing sends ~60 updates/s (a
 * chunk per animation frame) and the eraser about as many; bursts come from undo, paste and reconnects.
 */
export const EDIT_MESSAGES_ALLOWANCE: Allowance = { perSecond: 200, burst: 400 }

/**
 * Bytes of one socket's edits times the people they are relayed to (HostLimits.relayBytes): a person drawing for
 * 60 people relays ~1 MB/s; the burst is a largest image to 64 people and more.
 */
export const RELAY_BYTES_ALLOWANCE: Allowance = { perSecond: 32 * 1024 * 1024, burst: 1024 * 1024 * 1024 }

/** At most this many bytes of preview frames go before a joiner's first SyncPart (the rest of the view comes in parts). */
export const MAX_PREVIEW_BYTES = 4 * 1024 * 1024
