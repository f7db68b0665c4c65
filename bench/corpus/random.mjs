// Seeded PRNG (sfc32 seeded through splitmix32): the same seed gives the same corpus, byte for byte.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

function splitmix32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed) {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32();

  const random = {
    /** Uniform in [0, 1). */
    next: () => nextUint32() / 4294967296,
    /** Integer in [min, max]. */
    int: (min, max) => min + Math.floor(random.next() * (max - min + 1)),
    chance: (p) => random.next() < p,
    pick: (items) => items[Math.floor(random.next() * items.length)],
    /** items: [[value, weight], ...] */
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = random.next() * total;
      for (const [value, w] of items) {
        r -= w;
        if (r < 0) return value;
      }
      return items[items.length - 1][0];
    },
    /** Heavy-tailed sizes: median and spread (sigma of the underlying normal), clamped. */
    logNormal: (median, sigma, min, max) => {
      const u1 = random.next() || 1e-12;
      const u2 = random.next();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.round(Math.min(max, Math.max(min, median * Math.exp(sigma * z))));
    },
    chars: (alphabet, n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[nextUint32() % alphabet.length];
      return s;
    },
    hex: (n) => random.chars(HEX, n),
    base62: (n) => random.chars(BASE62, n),
    uuid: () => {
      const h = random.hex(32);
      const variant = HEX[8 + (nextUint32() % 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
  return random;
}
