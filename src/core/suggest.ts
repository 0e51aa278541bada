// Did-you-mean suggestions for misspelled keys and names (optimal string alignment distance).

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[m][n];
}

/** Names longer than this are not typos of a name: comparing them costs time and memory (length × length). */
const MAX_SUGGEST_LENGTH = 128;

/** The closest candidate, compared case-insensitively, if it is close enough to be a likely typo. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c.length > MAX_SUGGEST_LENGTH) continue;
    const lc = c.toLowerCase();
    if (lc === w) return c;
    const limit = Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3));
    const prefix = lc.startsWith(w) || w.startsWith(lc);
    // The distance is at least the difference in length: too far apart to be a typo unless one is a prefix.
    if (!prefix && Math.abs(w.length - lc.length) > limit) continue;
    const dist = editDistance(w, lc);
    const score = prefix ? Math.min(dist, limit) : dist;
    if (score <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** `; did you mean `x`?` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `; did you mean \`${s}\`?`;
}
