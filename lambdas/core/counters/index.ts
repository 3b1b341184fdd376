/** Every counter the consumer writes. A new dimension is a new file beside these and one line here. */
import type { CounterDefinition } from './definition.js';
import { engagementCounter } from './engagement.js';
import { eventCounter } from './events.js';
import { pageCounter } from './page.js';
import { siteCounter } from './site.js';
import { visitPropertyCounters } from './visit-properties.js';

export const counterDefinitions: readonly CounterDefinition[] = [
  siteCounter,
  pageCounter,
  ...visitPropertyCounters,
  eventCounter,
  engagementCounter,
];
