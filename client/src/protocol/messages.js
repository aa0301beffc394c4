// The client's message model: what the rest of the client reads and writes.
//
// The codec (codec.js) maps the wire format of crates/protocol/PROTOCOL.md to and from
// these shapes, so rendering, prediction and UI never see wire details and a protocol
// change touches one file.

/**
 * Entity categories, numbered as sim-core's `EntityKind`.
 * @readonly
 */
export const EntityKind = Object.freeze({
  Player: 0,
  Node: 1,
  Creature: 2,
  Structure: 3,
  LootBag: 4,
  Projectile: 5,
});

/** Entity flag bits, as sim-core's `EntityView::FLAG_*`. */
export const Flag = Object.freeze({
  Acting: 1,
  Sprinting: 2,
  Inactive: 4,
  Hurt: 8,
});

/**
 * The replicated public state of one entity.
 * @typedef {object} EntityState
 * @property {number} id
 * @property {number} kind      one of EntityKind
 * @property {number} subtype   index into the content table of its kind
 * @property {number} x         world units
 * @property {number} y         world units
 * @property {number} angle     radians
 * @property {number} health    percent 0..100
 * @property {number} flags     Flag bits
 */

/**
 * Rarely changing public facts about a player entity.
 * @typedef {object} PlayerInfo
 * @property {number} id       entity id
 * @property {string} name
 * @property {number} level
 * @property {number | null} team
 */

/**
 * @typedef {object} ItemStack
 * @property {number} item        index into the item table
 * @property {number} count
 * @property {number} durability  0 for items without durability
 */

/**
 * @typedef {object} ItemDef
 * @property {string} name
 * @property {string} kind   resource, food, tool, weapon, armor, structure, ammo, misc
 */

/**
 * @typedef {object} RecipeDef
 * @property {string} name
 * @property {{item: number, count: number}[]} inputs
 * @property {number} output     item index
 * @property {number} count
 * @property {number} timeTicks
 * @property {number | null} station  item index of the station structure needed nearby
 */

/**
 * A field-wise change of an entity in a delta; `dx`/`dy` move it relative to the baseline.
 * @typedef {object} EntityChange
 * @property {number} id
 * @property {number} [dx]
 * @property {number} [dy]
 * @property {number} [angle]
 * @property {number} [health]
 * @property {number} [flags]
 * @property {number} [subtype]
 */

/**
 * The player's own state, sent only to them.
 * @typedef {object} PrivateState
 * @property {number} entity
 * @property {number} health
 * @property {number} hunger
 * @property {number} thirst
 * @property {number} stamina
 * @property {(ItemStack | null)[]} inventory
 * @property {(ItemStack | null)[]} equipment   head, body, hand
 * @property {number} selectedSlot
 * @property {{recipe: number, ticksLeft: number} | null} crafting
 * @property {number} xp
 * @property {number} level
 * @property {boolean} dead
 * @property {{entity: number, slots: (ItemStack | null)[]} | null} chest  the chest the player has open
 */

/**
 * What the handshake_ack says about the world.
 * @typedef {object} AckWorld
 * @property {number} worldSize
 * @property {number} viewW
 * @property {number} viewH
 * @property {number} gridSize    building grid cell size
 * @property {number} snapshotInterval  ticks between snapshots/deltas
 * @property {number} dayLengthS
 * @property {number} daylightS
 */

/**
 * Everything the session knows about the world's rules and content.
 * @typedef {AckWorld & {
 *   playerRadius: number, walkSpeed: number, sprintMultiplier: number,
 *   items: ItemDef[], recipes: RecipeDef[], nodeKinds: string[], creatureKinds: string[]
 * }} WorldInfo
 */

/**
 * A game event the client shows.
 * @typedef {{kind: 'chat', from: number, name: string, channel: 'global' | 'team', text: string}
 *  | {kind: 'hit', attacker: number, target: number, damage: number, x: number, y: number}
 *  | {kind: 'death', victim: number, killer: number | null, x: number, y: number}
 *  | {kind: 'gathered', item: number, count: number}
 *  | {kind: 'craft_started', recipe: number, ticks: number}
 *  | {kind: 'crafted', recipe: number}
 *  | {kind: 'craft_cancelled', recipe: number}
 *  | {kind: 'level_up', level: number}
 *  | {kind: 'respawned', x: number, y: number}
 *  | {kind: 'rejected', reason: string}
 *  | {kind: 'structure_placed', entity: number, item: number}
 *  | {kind: 'consumed', item: number | null}
 *  | {kind: 'team_changed', player: number, team: number | null}} GameEvent
 */

/**
 * @typedef {{id: number, name: string, score: number, level: number}} LeaderRow
 */

/**
 * Messages from the server.
 * @typedef {{type: 'handshake_ack', version: number, tickRate: number, serverTick: number,
 *     playerId: number, sessionId: string, resumeToken: string, world: AckWorld}
 *  | {type: 'content', items: ItemDef[], recipes: RecipeDef[]}
 *  | {type: 'world_map', cellSize: number, cols: number, rows: number, biomes: Uint8Array}
 *  | {type: 'snapshot', tick: number, ackSeq: number, entities: EntityState[], players: PlayerInfo[]}
 *  | {type: 'delta', tick: number, baseTick: number, ackSeq: number, removed: number[],
 *     entered: EntityState[], changed: EntityChange[], players: PlayerInfo[]}
 *  | {type: 'private', tick: number, state: PrivateState}
 *  | {type: 'events', tick: number, events: GameEvent[]}
 *  | {type: 'leaderboard', rows: LeaderRow[]}
 *  | {type: 'ping', nonce: number}
 *  | {type: 'pong', nonce: number}
 *  | {type: 'error', code: string, message: string, fatal: boolean}
 *  | {type: 'disconnect', reason: string, message: string}} ServerMessage
 */

/**
 * One tick of the player's input.
 * @typedef {object} InputMsg
 * @property {'input'} type
 * @property {number} seq
 * @property {number} ackTick       last snapshot/delta tick applied
 * @property {number} moveX
 * @property {number} moveY
 * @property {boolean} sprint
 * @property {number} aim
 * @property {boolean} primary
 * @property {boolean} secondary
 * @property {boolean} interact
 * @property {number | null} selectSlot
 * @property {number | null} craft
 * @property {boolean} cancelCraft
 * @property {{slot: number, cellX: number, cellY: number} | null} build
 * @property {number | null} dropSlot
 * @property {number | null} equipSlot
 * @property {{channel: 'global' | 'team', text: string} | null} chat
 * @property {{create: string} | {join: number} | 'leave' | null} team
 * @property {number | null} chestPut   inventory slot to move into the open chest
 * @property {number | null} chestTake  chest slot to take into the inventory
 */

/**
 * Messages to the server. A handshake with a token signs in; without one it plays as a
 * guest named `guestName`.
 * @typedef {{type: 'handshake', versions: number[], client: string, token: string | null,
 *     guestName: string | null, resumeToken: string | null}
 *  | InputMsg
 *  | {type: 'ping', nonce: number}
 *  | {type: 'pong', nonce: number}
 *  | {type: 'disconnect', message: string}} ClientMessage
 */

/**
 * An input with nothing pressed.
 * @param {number} seq
 * @returns {InputMsg}
 */
export function emptyInput(seq) {
  return {
    type: 'input',
    seq,
    ackTick: 0,
    moveX: 0,
    moveY: 0,
    sprint: false,
    aim: 0,
    primary: false,
    secondary: false,
    interact: false,
    selectSlot: null,
    craft: null,
    cancelCraft: false,
    build: null,
    dropSlot: null,
    equipSlot: null,
    chat: null,
    team: null,
    chestPut: null,
    chestTake: null,
  };
}
