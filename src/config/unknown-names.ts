/**
 * Names nobody defined: a `PFORTE_*` variable or a file key that matches no setting is a
 * typo far more often than a wish, so it is reported with the closest known name instead
 * of being ignored (a mistyped PFORTE_PROT=8080 would otherwise leave the port at 8080
 * by luck and PFORTE_TRUST_PROXI unset by surprise).
 */

/** Variables Pforte reads that are not settings in the schema. */
export const OTHER_VARIABLES = [
  'PFORTE_CONFIG_FILE',
  'PFORTE_DEBUG',
  // The test suite's own (test/global-setup.ts); a developer's shell may export it.
  'PFORTE_TEST_DATABASE_URL',
];

/** One problem line per `PFORTE_*` variable in `env` that is not in `known`. */
export function findUnknownVariables(
  env: Record<string, string | undefined>,
  known: readonly string[],
): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('PFORTE_') && !known.includes(name))
    .sort()
    .map((name) => `${name} is not a known setting${suggestion(name, known)}`);
}

/** "; did you mean X?" for the closest of `known`, or "" when none is close. */
export function suggestion(name: string, known: readonly string[]): string {
  const closest = closestName(name, known);
  return closest ? `; did you mean ${closest}?` : '';
}

/** The one of `known` within a typo's distance of `name` (the nearest), or undefined. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  // Two edits (a swapped pair counts as one) catch typos without pairing unrelated names.
  const allowed = name.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toUpperCase(), candidate.toUpperCase());
    if (distance <= allowed && (!best || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
