import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0007-event-date-order',
  description: 'Events in earliest-date order straight from an index (listings by date, deep pages)',
  statements: [
    // The composite event_date index was not chosen for `dateEarliest >= $d ORDER BY dateEarliest`: every
    // event was scanned and sorted (bench/README.md, deepPage). A single-property index serves the order.
    'CREATE INDEX event_date_earliest IF NOT EXISTS FOR (n:Event) ON (n.dateEarliest)',
  ],
};
