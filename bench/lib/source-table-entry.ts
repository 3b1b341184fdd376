/**
 * Section 6 measures this as a bundle of its own: the source table (lambdas/core/domain/
 * known-sources.ts) imported and parsed, as the ingest function's first request parses it.
 */
import { knownSourceOfHost } from '../../lambdas/core/domain/source-names.js';

knownSourceOfHost('www.google.de');
