/** Answers of the API that more than one component test reads. */

/** GET /realtime with three visitors on two pages. */
export const someRealtime = {
  visitors: 3,
  pageviews: 7,
  pages: [
    { value: 'http://localhost/pricing', visitors: 2 },
    { value: 'http://localhost/', visitors: 1 },
  ],
};
