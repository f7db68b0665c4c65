// Filler text for bulky lines. Built once, then sliced: slicing is what makes 1 GB fast.
// It holds what makes JSON escaping work: quotes, backslashes, newlines, tabs, ANSI
// escapes (written as \u001b) and non-ASCII BMP letters. No astral characters, so a
// slice can never split a surrogate pair into invalid JSON.

const WORDS = (
  'the a to of and in is for that with on this as it be by are from or at an not file ' +
  'function return const let value error test build config server client request response ' +
  'token cache model session project usage report daily index schema query handler stream ' +
  'parse line buffer offset length byte count total cost price budget block window retry'
).split(' ');

const FLAVOURS = [
  'café',
  'résumé',
  'naïve',
  'Zürich',
  'São Paulo',
  'straße',
  '日本語のテキスト',
  '中文字符',
  'Привет',
  '— em dash —',
  '…',
  '½ ≤ ≥ ±',
];

const CODE = [
  'export function parse(line: string): Event | undefined {\n\tif (!line.includes(\'"usage"\')) return undefined;\n\treturn JSON.parse(line);\n}\n',
  'console.log("done\\n", JSON.stringify({ a: 1, b: "two" }));\n',
  'const re = /"(?:[^"\\\\]|\\\\.)*"/g; // match a JSON string\n',
  'if err != nil {\n\treturn fmt.Errorf("open %q: %w", path, err)\n}\n',
  'SELECT day, model, sum(input) FROM usage WHERE day >= ? GROUP BY 1, 2;\n',
  'C:\\Users\\dev\\AppData\\Roaming\\npm\\node_modules\\ccusage\n',
  '\u001b[32m✓\u001b[0m 42 tests passed \u001b[2m(1.3s)\u001b[0m\n',
  '\u001b[31mError:\u001b[0m expected "input" to equal 16, got 32\n',
  '{"type":"assistant","message":{"id":"msg_in_a_string","usage":{"input_tokens":999}}}\n',
  '    at Object.<anonymous> (/home/dev/projects/app/src/index.ts:12:7)\n',
];

export function createTextPool(random, size = 384 * 1024) {
  const parts = [];
  let length = 0;
  while (length < size) {
    let part;
    const r = random.next();
    if (r < 0.3) part = random.pick(CODE);
    else {
      const n = random.int(6, 30);
      const words = [];
      for (let i = 0; i < n; i++) {
        words.push(random.chance(0.04) ? random.pick(FLAVOURS) : random.pick(WORDS));
      }
      part = `${words.join(' ')}${random.chance(0.5) ? '.\n' : '. '}`;
    }
    parts.push(part);
    length += part.length;
  }
  const pool = parts.join('');
  return {
    /** A pseudo-random slice of about `length` characters. */
    chunk(n) {
      const len = Math.min(n, pool.length);
      const start = random.int(0, pool.length - len);
      return pool.slice(start, start + len);
    },
    /** Short prose that always holds a quote, a newline and an accented letter. */
    sentence(n = 120) {
      return `Sure, I'll update "${random.pick(WORDS)}" in the café config.\n${this.chunk(n)}`;
    },
  };
}
