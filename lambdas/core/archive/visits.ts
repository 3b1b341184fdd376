/**
 * A day's visits, computed once when the day is written (archive.ts writeDay), by the project's
 * own rules (domain/visitor-day.ts visitsOf and visitOf), so the SQL engine never recomputes
 * them: each row gets its visit number, and the day gets its "visit pages", one row per page
 * viewed in a visit carrying that visit's figures and properties. A breakdown of pages is then
 * a scan of the visit pages, a breakdown of a visit property a scan of their first rows
 * (`first_page = 1`, one per visit), with no window function and no join.
 */
import type { VisitDims } from '../domain/visit-properties.js';
import { visitOf, visitsOf } from '../domain/visitor-day.js';
import { type ArchiveRow, viewOfRow } from './row.js';

/** One page viewed in one visit, with its visit's figures (the columns of the visit-pages file). */
export interface VisitPage extends VisitDims {
  visitor_id: string;
  /** The visitor-day's place in its day, from 0: within a day, counted DISTINCT far faster than text. */
  visitor_number: number;
  /** The visit's number within its visitor-day, from 1 (as the rows' `visit`). */
  visit: number;
  page: string;
  /** Page views of this page in this visit. */
  views: number;
  /** 1 on one row per visit (its entry page's): the visit's own row. */
  first_page: number;
  /** Visits of the visitor-day that viewed this page: where it is 1, the visitor counts without a DISTINCT. */
  page_visits: number;
  /** Visits of the visitor-day: where it is 1, the visitor counts without a DISTINCT. */
  visitor_visits: number;
  /** Epoch milliseconds of the visit's first page view. */
  start_time: number;
  /** Whole seconds from its first page view to its last. */
  duration: number;
  pageviews: number;
  events: number;
  entry_page: string;
  exit_page: string;
}

export interface DayVisits {
  /** Each row's visit number, in the rows' order; 0 for a row of a visitor-day without page views (in no visit). */
  visitOfRow: number[];
  visitPages: VisitPage[];
  /** Visits of the day: the visit pages' first run. */
  visits: number;
}

/**
 * The day's visit pages come in two runs: the visits' own rows (`first_page = 1`) first, then the
 * other pages; `visits` says how many are in the first run, so the file can put them in row
 * groups of their own, which a visit-level query reads alone.
 */
export function visitsOfDay(rows: readonly ArchiveRow[]): DayVisits {
  const byVisitor = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const indexes = byVisitor.get(row.visitor_id);
    if (indexes) indexes.push(i);
    else byVisitor.set(row.visitor_id, [i]);
  });
  const visitOfRow = rows.map(() => 0);
  const visitPages: VisitPage[] = [];
  let visitorNumber = 0;
  for (const [visitorId, indexes] of byVisitor) {
    const visitorNumberOfDay = visitorNumber++;
    const visits = visitsOf(indexes.map((i) => viewOfRow(rows[i]!)));
    if (visits.length === 0) continue;
    const viewsByVisit = visits.map(() => new Map<string, number>());
    for (const i of indexes) {
      const row = rows[i]!;
      const visit = visitOf(visits, row.time)!;
      const number = visits.indexOf(visit);
      visitOfRow[i] = number + 1;
      if (row.type === 'pageview') {
        const views = viewsByVisit[number]!;
        views.set(row.page, (views.get(row.page) ?? 0) + 1);
      }
    }
    const visitsWithPage = new Map<string, number>();
    for (const views of viewsByVisit)
      for (const page of views.keys()) visitsWithPage.set(page, (visitsWithPage.get(page) ?? 0) + 1);
    visits.forEach((visit, number) => {
      for (const [page, views] of viewsByVisit[number]!)
        visitPages.push({
          visitor_id: visitorId,
          visitor_number: visitorNumberOfDay,
          visit: number + 1,
          page,
          views,
          first_page: page === visit.entryPage ? 1 : 0,
          page_visits: visitsWithPage.get(page)!,
          visitor_visits: visits.length,
          start_time: visit.start,
          duration: visit.durationSeconds,
          pageviews: visit.pageviews,
          events: visit.events,
          entry_page: visit.entryPage,
          exit_page: visit.exitPage,
          ...visit.dims,
        });
    });
  }
  const firstRun = visitPages.filter((page) => page.first_page === 1);
  return {
    visitOfRow,
    visitPages: [...firstRun, ...visitPages.filter((page) => page.first_page === 0)],
    visits: firstRun.length,
  };
}
