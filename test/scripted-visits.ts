/**
 * The tests' own computation of visits from scripted rows, written apart from the engine
 * (core/domain/visitor-day.ts, query/explore/sql.ts) so that the integration tests hold the
 * engine to something it does not share code with: a visitor's rows of one UTC day, page views
 * split at 30-minute gaps, each event in the last visit begun at or before it, else the first.
 */
export interface ScriptedRow {
  time: number;
  visitor: string;
  type: 'pageview' | 'event';
}

export interface ScriptedVisit<Row extends ScriptedRow> {
  /** `<UTC day>|<visitor>`: the visitor-day the visit is in. */
  visitorDay: string;
  day: string;
  start: number;
  end: number;
  views: Row[];
  events: Row[];
}

export function scriptedVisits<Row extends ScriptedRow>(rows: readonly Row[]): ScriptedVisit<Row>[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${new Date(row.time).toISOString().slice(0, 10)}|${row.visitor}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const visits: ScriptedVisit<Row>[] = [];
  for (const [visitorDay, group] of groups) {
    const sorted = [...group].sort((a, b) => a.time - b.time);
    const dayVisits: ScriptedVisit<Row>[] = [];
    for (const row of sorted.filter((r) => r.type === 'pageview')) {
      const last = dayVisits.at(-1);
      if (last && row.time - last.end < 30 * 60_000) {
        last.end = row.time;
        last.views.push(row);
      } else
        dayVisits.push({
          visitorDay,
          day: visitorDay.split('|')[0]!,
          start: row.time,
          end: row.time,
          views: [row],
          events: [],
        });
    }
    for (const event of sorted.filter((r) => r.type === 'event'))
      ([...dayVisits].reverse().find((v) => v.start <= event.time) ?? dayVisits[0])?.events.push(event);
    visits.push(...dayVisits);
  }
  return visits;
}

/** A small deterministic generator for scripted history, so a failure reproduces: `random()` in [0, 1), `pick(items)`. */
export function seededRandom(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { random, pick: <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]! };
}
