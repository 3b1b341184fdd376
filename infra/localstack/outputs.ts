/**
 * The outputs only the LocalStack target has, which its post-deploy step reads: there no custom
 * resource fills the buckets or creates the demo org, so the step needs the bucket names.
 */
export const localstackOutputs = {
  siteBucket: 'SiteBucketName',
  dashboardBucket: 'DashboardBucketName',
  /** Set when the stack was deployed with `-c siteKey=...`: the demo site uses that key. */
  siteKey: 'SiteKey',
} as const;
