/** The seed grouped by four for typing it into an app by hand (no server imports: the enrolment page uses it). */
export function formatSeed(seed: string): string {
  return seed.replace(/(.{4})(?=.)/g, '$1 ');
}
