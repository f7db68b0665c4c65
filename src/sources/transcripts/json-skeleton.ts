/**
 * Hot path: a validating walk over one JSON text held in a Buffer, decoding only the values
 * asked for. It accepts exactly the texts `JSON.parse(buf.toString('utf8', start, end))`
 * accepts (any nesting depth, every escape, raw bytes >= 0x80 inside strings, which UTF-8
 * decoding would only replace) and throws `INVALID_JSON` at the others. Written for speed:
 * loops over locals, few calls per token, strings scanned four bytes at a time.
 */

export const INVALID_JSON = new SyntaxError('not valid JSON');

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Bytes that may follow a backslash in a JSON string (`u` takes four hex digits more). */
const SIMPLE_ESCAPE = tableOf('"\\/bfnrt');
const HEX = tableOf('0123456789abcdefABCDEF');

function tableOf(chars: string): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** Containers never descended into, in place of what they held. */
export const SKIPPED_OBJECT: Readonly<Record<string, never>> = Object.freeze({});
export const SKIPPED_ARRAY: readonly never[] = Object.freeze([]);

/** Integers with at most this many digits are exact when summed digit by digit. */
const SAFE_DIGITS = 15;

// Strings are scanned four bytes at a time, read little-endian from a DataView: the first
// byte in the text is the lowest. One mask test finds the bytes that need a look.

/** Bit 7 set in each byte of `x` that is '"', '\\' or below 0x20; exact for the lowest. */
function specialBytes(x: number): number {
  // x ^ 0x02 turns '"' into 0x20 and keeps control bytes below it: one "byte below 0x21"
  // test finds both, a "zero byte" test on x ^ '\\' finds backslashes.
  const y = x ^ 0x02020202;
  const b = x ^ 0x5c5c5c5c;
  return (((y - 0x21212121) & ~y) | ((b - 0x01010101) & ~b)) & 0x80808080;
}

/** The index (0 to 3) of the lowest byte flagged in a `specialBytes` mask. */
function firstFlagged(mask: number): number {
  return (31 - Math.clz32(mask & -mask)) >> 3;
}

/** The low 0 to 3 bytes of a word: the part of a key before its closing quote. */
const LOW_BYTES = [0, 0xff, 0xffff, 0xffffff];

function mix(h: number, word: number): number {
  return Math.imul(h ^ word, 0x9e3779b1);
}

/** A key's hash: its bytes as little-endian words, the last one padded with zeros. */
function hashOf(bytes: Buffer): number {
  let h = 0;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) h = mix(h, bytes.readInt32LE(i));
  if (i < bytes.length) {
    let word = 0;
    for (let k = 0; i + k < bytes.length; k++) word |= (bytes[i + k] as number) << (8 * k);
    h = mix(h, word);
  }
  return h;
}

/** Object member names (ASCII), matched against a key's raw bytes by its hash. */
export class KeySet {
  private readonly bytes: Buffer[];
  /** Open addressing by hash: name index + 1, 0 for an empty slot. */
  private readonly slots: Int16Array;
  private readonly hashes: Int32Array;

  constructor(readonly names: readonly string[]) {
    this.bytes = names.map((n) => Buffer.from(n, 'latin1'));
    let size = 16;
    while (size < names.length * 4) size *= 2;
    this.slots = new Int16Array(size);
    this.hashes = new Int32Array(names.length);
    this.bytes.forEach((b, i) => {
      if (!/^[\x20-\x7e]*$/.test(names[i] as string)) throw new Error(`key ${names[i]}: not ASCII`);
      const h = hashOf(b);
      this.hashes[i] = h;
      let s = slotOf(h, size);
      while (this.slots[s] !== 0) s = (s + 1) & (size - 1);
      this.slots[s] = i + 1;
    });
  }

  /** The index of the name whose bytes are `buf[from, to)`, hashed `h`, or -1. */
  indexOf(buf: Buffer, from: number, to: number, h: number): number {
    const size = this.slots.length;
    for (let s = slotOf(h, size); ; s = (s + 1) & (size - 1)) {
      const i = (this.slots[s] as number) - 1;
      if (i === -1) return -1;
      const name = this.bytes[i] as Buffer;
      if (this.hashes[i] !== h || name.length !== to - from) continue;
      let k = 0;
      while (k < name.length && name[k] === buf[from + k]) k++;
      if (k === name.length) return i;
    }
  }
}

function slotOf(h: number, size: number): number {
  return (h ^ (h >>> 15)) & (size - 1);
}

export class JsonCursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  /** Whether the string the last `string()` scanned holds a backslash escape. */
  escaped = false;
  /** The buffer's whole ArrayBuffer, for reading four bytes at a time. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** `buf`'s offset in it. */
  private base = 0;
  /** The closing bytes of the containers `skipValue` is inside, innermost last. */
  private kinds: Uint8Array = new Uint8Array(64);

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.base = buf.byteOffset;
    if (buf.buffer !== this.view.buffer) this.view = new DataView(buf.buffer);
  }

  /** Skips whitespace; returns the next byte, or -1 at the end of the text. */
  peek(): number {
    const buf = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const b = buf[p] as number;
      if (b > 0x20 || (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)) {
        this.pos = p;
        return b;
      }
      p++;
    }
    this.pos = p;
    return -1;
  }

  /** Skips whitespace and one expected byte. */
  expect(byte: number): void {
    if (this.peek() !== byte) throw INVALID_JSON;
    this.pos++;
  }

  /**
   * Inside an object, after its `{` (`first`) or after a member's value: moves to the value
   * of the next member `keys` names and returns the name's index, or -1 after the closing
   * `}`. The members in between are validated and skipped; keys are hashed while scanned,
   * so an unknown key costs one table probe.
   */
  member(keys: KeySet, first: boolean): number {
    const buf = this.buf;
    const end = this.end;
    const view = this.view;
    const base = this.base;
    let p = this.pos;
    let c = -1;
    for (let atFirst = first; ; atFirst = false) {
      p = blankEnd(buf, p, end);
      c = p < end ? (buf[p] as number) : -1;
      if (c === RBRACE) {
        this.pos = p + 1;
        return -1;
      }
      if (!atFirst) {
        if (c !== COMMA) throw INVALID_JSON;
        p = blankEnd(buf, p + 1, end);
        c = p < end ? (buf[p] as number) : -1;
      }
      if (c !== QUOTE) throw INVALID_JSON;
      const from = p + 1;
      let h = 0;
      let i: number;
      for (p = from; ; ) {
        const word = p + 4 <= end ? view.getInt32(base + p, true) : 0x22222222;
        const m = specialBytes(word);
        if (m === 0) {
          h = mix(h, word);
          p += 4;
          continue;
        }
        const k = p + 4 <= end ? firstFlagged(m) : -1;
        if (k === -1 || buf[p + k] !== QUOTE) {
          // Rare: an escaped key, or one that ends the text, is decoded.
          this.pos = from - 1;
          this.escaped = false;
          const close = this.string();
          i = keys.names.indexOf(textOf(buf, from - 1, close, this.escaped));
          p = close + 1;
          break;
        }
        if (k > 0) h = mix(h, word & (LOW_BYTES[k] as number));
        p += k;
        i = keys.indexOf(buf, from, p, h);
        p++;
        break;
      }
      p = blankEnd(buf, colonEnd(buf, p, end), end);
      if (i !== -1) {
        this.pos = p;
        return i;
      }
      // An unknown member's value: scalars here, containers in skipValue.
      c = p < end ? (buf[p] as number) : -1;
      if (c === QUOTE) p = this.stringEnd(p + 1) + 1;
      else if (c === MINUS || (c >= ZERO && c <= NINE)) p = numberEnd(buf, p, end);
      else if (c === LBRACE || c === LBRACKET) {
        this.pos = p;
        this.skipValue();
        p = this.pos;
      } else p = literalEnd(buf, p, end);
    }
  }

  /**
   * Inside an array, after its `[` (`first`) or after an element: whether another element
   * follows (and moves to it); false after the closing `]`.
   */
  element(first: boolean): boolean {
    const c = this.peek();
    if (c === RBRACKET) {
      this.pos++;
      return false;
    }
    if (first) return true;
    if (c !== COMMA) throw INVALID_JSON;
    this.pos++;
    return true;
  }

  /**
   * At an opening quote: validates the string, moves past it and returns the index of its
   * closing quote. Sets `escaped`.
   */
  string(): number {
    this.escaped = false;
    const close = this.stringEnd(this.pos + 1);
    this.pos = close + 1;
    return close;
  }

  /** From just after an opening quote: the index of the closing quote. Notes escapes. */
  private stringEnd(from: number): number {
    const buf = this.buf;
    const end = this.end;
    const view = this.view;
    const base = this.base;
    let p = from;
    for (;;) {
      if (p + 4 <= end) {
        const m = specialBytes(view.getInt32(base + p, true));
        if (m === 0) {
          p += 4;
          continue;
        }
        p += firstFlagged(m);
      } else if (p >= end) throw INVALID_JSON;
      const c = buf[p] as number;
      if (c === QUOTE) return p;
      if (c === BACKSLASH) {
        p = escapeEnd(buf, p, end);
        this.escaped = true;
      } else if (c < 0x20) throw INVALID_JSON;
      else p++;
    }
  }

  text(open: number, close: number, escaped: boolean): string {
    return textOf(this.buf, open, close, escaped);
  }

  /** `text` of an unescaped string, from `recent` when the same bytes were decoded lately. */
  private recentText(open: number, close: number, recent: RecentTexts): string {
    const view = this.view;
    const from = this.base + open + 1;
    const length = close - open - 1;
    if (length > RECENT_MAX_BYTES) return this.text(open, close, false);
    const kept = recent.bytes;
    for (let k = 0; k < RECENT; k++) {
      if (recent.lengths[k] !== length) continue;
      const at = k * RECENT_MAX_BYTES;
      let i = 0;
      while (i + 4 <= length && kept.getInt32(at + i) === view.getInt32(from + i)) i += 4;
      while (i < length && kept.getUint8(at + i) === view.getUint8(from + i)) i++;
      if (i === length) return recent.texts[k] as string;
    }
    const text = this.text(open, close, false);
    const k = recent.next;
    recent.next = (k + 1) % RECENT;
    this.buf.copy(recent.raw, k * RECENT_MAX_BYTES, open + 1, close);
    recent.lengths[k] = length;
    recent.texts[k] = text;
    return text;
  }

  /**
   * The first `units` UTF-16 code units of that string, or a few more, or the whole string
   * when it is shorter: enough to tell whether it starts with any text of up to `units`.
   */
  prefix(open: number, close: number, escaped: boolean, units: number): string {
    const buf = this.buf;
    const from = open + 1;
    let p = from;
    let escapes = false;
    // Each step is at least one code unit: an ASCII byte, an escape, or a byte >= 0x80
    // with the continuation bytes after it. Cut only before an ASCII byte or a lead byte,
    // where decoding the prefix gives what decoding the whole string starts with.
    for (let n = 0; n < units && p < close; n++) {
      const c = buf[p] as number;
      if (c === BACKSLASH) {
        p += buf[p + 1] === 0x75 ? 6 : 2;
        escapes = true;
      } else if (c < 0x80) p++;
      else
        do p++;
        while (p < close && ((buf[p] as number) & 0xc0) === 0x80);
    }
    if (p >= close) return this.text(open, close, escaped);
    const slice = buf.toString('utf8', from, p);
    return escapes ? (JSON.parse(`"${slice}"`) as string) : slice;
  }

  /** At the first byte of a number: validates it, moves past it and returns its value. */
  number(): number {
    const buf = this.buf;
    const start = this.pos;
    const p = numberEnd(buf, start, this.end);
    this.pos = p;
    const negative = buf[start] === MINUS;
    const digits = negative ? start + 1 : start;
    if (p - digits <= SAFE_DIGITS) {
      let v = 0;
      let i = digits;
      for (; i < p; i++) {
        const c = buf[i] as number;
        if (c < ZERO || c > NINE) break;
        v = v * 10 + (c - ZERO);
      }
      if (i === p) return negative ? -v : v;
    }
    return Number(buf.toString('latin1', start, p));
  }

  /**
   * A value read whole, except containers, which are validated and skipped: they give
   * `SKIPPED_OBJECT` or `SKIPPED_ARRAY`, so `typeof`, `Array.isArray` and comparisons with
   * primitives see what JSON.parse would have given. A string is decoded through `recent`
   * when given.
   */
  scalar(recent?: RecentTexts): unknown {
    const b = this.peek();
    if (b === QUOTE) {
      const open = this.pos;
      const close = this.string();
      if (recent !== undefined && !this.escaped) return this.recentText(open, close, recent);
      return this.text(open, close, this.escaped);
    }
    if (b === LBRACE) {
      this.skipValue();
      return SKIPPED_OBJECT;
    }
    if (b === LBRACKET) {
      this.skipValue();
      return SKIPPED_ARRAY;
    }
    if (b === MINUS || (b >= ZERO && b <= NINE)) return this.number();
    const p = this.pos;
    this.pos = literalEnd(this.buf, p, this.end);
    return b === 0x74 ? true : b === 0x66 ? false : null;
  }

  /** Validates one value and moves past it, however deep it nests: one state machine. */
  skipValue(): void {
    const buf = this.buf;
    const end = this.end;
    let kinds = this.kinds;
    let depth = 0;
    let wantKey = false;
    let p = this.pos;
    for (;;) {
      // At a value, or at a member's key when wantKey.
      let c = -1;
      while (p < end) {
        c = buf[p] as number;
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
        p++;
      }
      if (p >= end) throw INVALID_JSON;
      if (c === QUOTE) {
        p = this.stringEnd(p + 1) + 1;
        if (wantKey) {
          p = colonEnd(buf, p, end);
          wantKey = false;
          continue;
        }
      } else if (wantKey) throw INVALID_JSON;
      else if (c === LBRACE || c === LBRACKET) {
        const close = c + 2; // '}' and ']' follow '{' and '[' by two
        p = blankEnd(buf, p + 1, end);
        if (p < end && buf[p] === close) p++;
        else {
          if (depth === kinds.length) kinds = this.deeper();
          kinds[depth++] = close;
          wantKey = close === RBRACE;
          continue;
        }
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) p = numberEnd(buf, p, end);
      else p = literalEnd(buf, p, end);
      // After a value: close what it ends, then go on to the next one.
      for (;;) {
        if (depth === 0) {
          this.pos = p;
          return;
        }
        p = blankEnd(buf, p, end);
        if (p >= end) throw INVALID_JSON;
        c = buf[p] as number;
        const close = kinds[depth - 1];
        p++;
        if (c === COMMA) {
          wantKey = close === RBRACE;
          break;
        }
        if (c !== close) throw INVALID_JSON;
        depth--;
      }
    }
  }

  private deeper(): Uint8Array {
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
    return kinds;
  }
}

/** At a backslash: validates the escape and returns the index after it. */
function escapeEnd(buf: Buffer, p: number, end: number): number {
  const e = buf[p + 1] as number;
  if (p + 1 < end && SIMPLE_ESCAPE[e] === 1) return p + 2;
  if (
    e === 0x75 &&
    p + 5 < end &&
    HEX[buf[p + 2] as number] === 1 &&
    HEX[buf[p + 3] as number] === 1 &&
    HEX[buf[p + 4] as number] === 1 &&
    HEX[buf[p + 5] as number] === 1
  )
    return p + 6;
  throw INVALID_JSON;
}

/** At the first byte of a number: validates it and returns the index after it. */
function numberEnd(buf: Buffer, start: number, end: number): number {
  let p = start;
  if (buf[p] === MINUS) p++;
  let c = p < end ? (buf[p] as number) : -1;
  if (c === ZERO) c = ++p < end ? (buf[p] as number) : -1;
  else if (c > ZERO && c <= NINE) {
    do c = ++p < end ? (buf[p] as number) : -1;
    while (c >= ZERO && c <= NINE);
  } else throw INVALID_JSON;
  if (c === 0x2e) {
    c = ++p < end ? (buf[p] as number) : -1;
    if (c < ZERO || c > NINE) throw INVALID_JSON;
    do c = ++p < end ? (buf[p] as number) : -1;
    while (c >= ZERO && c <= NINE);
  }
  if (c === 0x65 || c === 0x45) {
    c = ++p < end ? (buf[p] as number) : -1;
    if (c === 0x2b || c === MINUS) c = ++p < end ? (buf[p] as number) : -1;
    if (c < ZERO || c > NINE) throw INVALID_JSON;
    do c = ++p < end ? (buf[p] as number) : -1;
    while (c >= ZERO && c <= NINE);
  }
  return p;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** At `t`, `f` or `n`: validates the literal and returns the index after it. */
function literalEnd(buf: Buffer, p: number, end: number): number {
  const c = buf[p];
  const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : null;
  if (word === null || p + word.length > end) throw INVALID_JSON;
  for (let i = 1; i < word.length; i++) if (buf[p + i] !== word[i]) throw INVALID_JSON;
  return p + word.length;
}

/** The index after the colon that must follow a key ending before `p`. */
function colonEnd(buf: Buffer, p: number, end: number): number {
  p = blankEnd(buf, p, end);
  if (p >= end || buf[p] !== COLON) throw INVALID_JSON;
  return p + 1;
}

/** The index of the first byte from `p` that is not JSON whitespace. */
function blankEnd(buf: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = buf[p];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p;
    p++;
  }
  return p;
}

const RECENT = 4;
const RECENT_MAX_BYTES = 64;

/**
 * The last few short strings one member held, with their bytes: values that recur from
 * line to line (session, cwd, model, types) are decoded once, not on every line.
 */
export class RecentTexts {
  readonly raw = new Uint8Array(RECENT * RECENT_MAX_BYTES);
  readonly bytes = new DataView(this.raw.buffer);
  readonly lengths = new Int32Array(RECENT).fill(-1);
  readonly texts: string[] = new Array<string>(RECENT).fill('');
  next = 0;
}

/** The string whose quotes are at `open` and `close`, decoded as JSON.parse would. */
export function textOf(buf: Buffer, open: number, close: number, escaped: boolean): string {
  // Quotes are ASCII, which ends any UTF-8 sequence, so decoding the string's bytes
  // alone gives what decoding the whole text would.
  if (!escaped) return buf.toString('utf8', open + 1, close);
  return JSON.parse(buf.toString('utf8', open, close + 1)) as string;
}
